"""Our prompts are the harness's, character for character."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.evaluate.benchmarks import BENCHMARKS, load_docs
from medfoundry.evaluate.prompts import PROMPTS, parse_choice


def test_medqa_prompt_matches_harness(shared_data: Path) -> None:
    preprocess_medqa = pytest.importorskip("lm_eval.tasks.medqa.preprocess_medqa")
    for doc in load_docs(BENCHMARKS.get("medqa"), shared_data / "bench" / "medqa"):
        hub = {"sent1": doc["question"], **{f"ending{i}": o for i, o in enumerate(doc["options"])}}
        assert PROMPTS.get("medqa")(doc) == preprocess_medqa.doc_to_text(hub)


def test_medmcqa_prompt_matches_harness(shared_data: Path) -> None:
    utils = pytest.importorskip("lm_eval.tasks.medmcqa.utils_medmcqa")
    for doc in load_docs(BENCHMARKS.get("medmcqa"), shared_data / "bench" / "medmcqa"):
        hub = {
            "question": doc["question"],
            **dict(zip(["opa", "opb", "opc", "opd"], doc["options"], strict=True)),
        }
        assert PROMPTS.get("medmcqa")(doc) == utils.doc_to_text(hub)


def test_pubmedqa_prompt_matches_harness(shared_data: Path) -> None:
    pre = pytest.importorskip("lm_eval.tasks.pubmedqa.preprocess_pubmedqa")
    for doc in load_docs(BENCHMARKS.get("pubmedqa"), shared_data / "bench" / "pubmedqa"):
        assert PROMPTS.get("pubmedqa")(doc) == pre.doc_to_text(doc)


@pytest.mark.parametrize(
    "answer,choices,expected",
    [
        ("B", ["A", "B", "C", "D"], 1),
        ("The answer is C.", ["A", "B", "C", "D"], 2),
        ("A is tempting, but...\nAnswer: D", ["A", "B", "C", "D"], 3),
        ("Maybe, the evidence is weak", ["yes", "no", "maybe"], 2),
        ("I cannot tell", ["A", "B", "C", "D"], None),
        ("no.", ["yes", "no", "maybe"], 1),
    ],
)
def test_parse_choice(answer: str, choices: list[str], expected: int | None) -> None:
    assert parse_choice(answer, choices) == expected
