"""The guardrail evaluation: loading the case shapes, running cases as the chat API does, and
the metrics with Wilson intervals, checked against hand-computed numbers on a tiny set.

A probe rule (tests/unit/guardrails/eval_probe.py, registered only for the test) reacts to marker words, so every outcome of the tiny set is
known in advance whatever the shipped rules do.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medfoundry.errors import ConfigError
from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.evaluation import (
    EvalCase,
    chat_checker,
    evaluate,
    load_eval_file,
    load_eval_files,
    wilson_interval,
)
from tests.unit.guardrails.eval_probe import probe_pipeline_ctx, write_tiny_files

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture()
def probe_pipeline() -> Iterator[GuardrailPipeline]:
    yield from probe_pipeline_ctx()


@pytest.fixture()
def tiny_files(tmp_path: Path) -> list[Path]:
    return write_tiny_files(tmp_path)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [  # hand-computed: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.96
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (5, 5, 0.5655, 1.0),
        (3, 4, 0.3006, 0.9544),
        (1, 5, 0.0362, 0.6245),
    ],
)
def test_wilson_interval_matches_hand_computed_values(k: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(k, n)
    assert got is not None
    assert got[0] == pytest.approx(low, abs=1e-4)
    assert got[1] == pytest.approx(high, abs=1e-4)


def test_wilson_interval_of_nothing_is_none_and_bad_counts_fail() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(6, 5)


def test_metrics_on_the_tiny_set(probe_pipeline: GuardrailPipeline, tiny_files: list[Path]) -> None:
    report = evaluate(probe_pipeline, load_eval_files(tiny_files))
    doc = report.to_dict()

    emergency = doc["emergency"]
    assert (emergency["sensitivity"]["k"], emergency["sensitivity"]["n"]) == (3, 4)
    assert emergency["sensitivity"]["ci95"] == pytest.approx([0.3006, 0.9544], abs=1e-4)
    assert (emergency["specificity"]["k"], emergency["specificity"]["n"]) == (2, 3)
    assert emergency["specificity"]["ci95"] == pytest.approx([0.2077, 0.9385], abs=1e-4)
    assert emergency["per_class"]["cardiac"]["sensitivity"]["rate"] == 0.5
    assert emergency["per_class"]["cardiac"]["specificity"]["rate"] == 0.5
    assert emergency["per_class"]["stroke"]["sensitivity"]["rate"] == 1.0
    assert emergency["per_class"]["stroke"]["specificity"]["rate"] == 1.0
    assert emergency["per_language"]["es"]["sensitivity"]["k"] == 1
    assert emergency["per_tag"]["misspelled"]["sensitivity"]["k"] == 0
    assert emergency["per_tag"]["multi_turn"]["sensitivity"]["k"] == 1
    assert emergency["per_context"]["negation"]["k"] == 0

    denied = doc["denied_topics"]
    assert (denied["sensitivity"]["k"], denied["sensitivity"]["n"]) == (2, 3)  # d2 counts: accept escalate
    assert (denied["specificity"]["k"], denied["specificity"]["n"]) == (0, 1)
    injection = doc["injection"]
    assert (injection["sensitivity"]["k"], injection["specificity"]["k"]) == (1, 1)

    overall = doc["overall"]
    assert (overall["sensitivity"]["k"], overall["sensitivity"]["n"]) == (6, 8)
    assert overall["sensitivity"]["ci95"] == pytest.approx([0.4093, 0.9285], abs=1e-4)
    assert (overall["specificity"]["k"], overall["specificity"]["n"]) == (3, 5)
    assert (overall["false_escalation"]["k"], overall["false_escalation"]["n"]) == (1, 5)
    assert doc["false_escalation_rate"] == 0.2

    paraphrase = doc["paraphrase"]
    assert (paraphrase["rewordings"]["k"], paraphrase["rewordings"]["n"]) == (2, 3)
    assert (paraphrase["groups_all_caught"]["k"], paraphrase["groups_all_caught"]["n"]) == (0, 1)

    errors = {e["id"]: e for e in doc["errors"]}
    assert set(errors) == {"e2", "n2", "d3", "d4", "e1/p3"}
    assert errors["n2"]["expected"] == "allow"
    assert errors["n2"]["got"] == ["escalate"]
    assert errors["n2"]["class"] == "cardiac"
    assert errors["n2"]["rules"] == [{"rule": "eval_probe", "action": "escalate", "class": "probe"}]
    assert errors["d4"]["got"] == ["refuse"]
    assert errors["e2"]["got"] == ["allow"]


def test_chat_cases_reach_the_pipeline_with_their_roles() -> None:
    calls: list[tuple[list[str], list[str] | None]] = []

    class RecordingPipeline:
        def check_input(self, texts: list[str], roles: list[str] | None = None) -> object:
            calls.append((texts, roles))
            raise ConfigError("stop here")

    check = chat_checker(RecordingPipeline())  # type: ignore[arg-type]
    case = load_eval_file(ROOT / "tests/data/guardrails/benign.report.yaml")
    chat = next(c for c in case if c.context == "system_prompt")
    with pytest.raises(ConfigError):
        check(chat.texts, chat.roles)
    assert calls[0][1] is not None and calls[0][1][0] == "system" and calls[0][1][-1] == "user"
    assert len(calls[0][0]) == len(calls[0][1])


def test_single_text_cases_are_one_user_turn(tiny_files: list[Path]) -> None:
    cases = {c.id: c for c in load_eval_file(tiny_files[0])}
    assert cases["e1"].texts == ("PROBE-ESCALATE chest words",) and cases["e1"].roles == ("user",)
    assert cases["e4"].roles == ("system", "user", "assistant", "user")


def test_the_redteam_file_loads_with_none_as_allow() -> None:
    cases = load_eval_file(ROOT / "tests/redteam/cases.yaml")
    assert len(cases) >= 100
    assert {c.expected for c in cases} <= {"allow", "escalate", "refuse", "block", "redact"}
    assert {c.section for c in cases} == {"emergency", "denied_topics", "injection", "phi"}
    benign = [c for c in cases if c.cls == "benign"]
    assert benign and all(c.expected == "allow" for c in benign)


def test_a_bad_record_names_the_file_the_case_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\ncases:\n"
        "- {id: ok, language: en, expected: allow, class: cardiac, text: fine}\n"
        "- {id: broken, language: en, expected: maybe, class: cardiac, text: fine}\n"
        "- {id: both, language: en, expected: allow, class: cardiac}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_eval_file(bad)
    message = info.value.message
    assert "bad.yaml" in message
    assert "cases[1] (id broken).expected" in message
    assert "cases[2] (id both)" in message and "exactly one of 'text' or 'turns'" in message


def test_duplicate_ids_across_files_are_refused(tmp_path: Path, tiny_files: list[Path]) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(tiny_files[0].read_text())
    with pytest.raises(ConfigError, match=r"id .e1. is in tiny\.report\.yaml and copy\.yaml"):
        load_eval_files([tiny_files[0], copy])


def test_evalcase_positive_flag() -> None:
    case = EvalCase(
        id="x",
        section="emergency",
        expected="allow",
        cls="cardiac",
        language="en",
        texts=("a",),
        roles=("user",),
    )
    assert not case.positive
