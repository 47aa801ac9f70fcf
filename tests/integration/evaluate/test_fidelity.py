"""Fidelity: lm-evaluation-harness and medfoundry on the same model and files agree item by item.

The harness's own task code (``preprocess_medqa``, ``preprocess_pubmedqa``, its HF model
``hf``) scores the local files through its Python API; medfoundry scores the same files in
their official formats. Per-item choices must be identical and log-likelihoods equal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medfoundry.evaluate.benchmarks import BENCHMARKS, load_docs
from medfoundry.evaluate.scorers import EvalModel, choose

lm_eval = pytest.importorskip("lm_eval")
N_ITEMS = 4


def harness_samples(task: dict[str, Any], model_dir: Path) -> list[dict[str, Any]]:
    from lm_eval import evaluator

    results = evaluator.simple_evaluate(
        model="hf",
        model_args=f"pretrained={model_dir},dtype=auto",
        tasks=[task],
        batch_size=1,
        device="cpu",
        log_samples=True,
    )
    assert results is not None
    return sorted(results["samples"][task["task"]], key=lambda s: s["doc_id"])


def medfoundry_rows(name: str, data: Path, model_dir: Path) -> list[dict[str, Any]]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    lm = EvalModel(
        AutoModelForCausalLM.from_pretrained(model_dir, dtype="auto").eval(),
        AutoTokenizer.from_pretrained(model_dir),
        batch_size=4,
    )
    spec = BENCHMARKS.get(name)
    return choose(spec, load_docs(spec, data, limit=N_ITEMS), lm, None)


def assert_same(samples: list[dict[str, Any]], rows: list[dict[str, Any]], choices: list[str]) -> None:
    assert len(samples) == len(rows) == N_ITEMS
    for sample, row in zip(samples, rows, strict=True):
        harness_ll = [resp[0][0] for resp in sample["resps"]]
        assert row["loglikelihoods"] == pytest.approx(harness_ll, abs=1e-4)
        assert row["pred"] == max(range(len(harness_ll)), key=lambda i: (harness_ll[i], -i))
        assert float(row["pred"] == row["gold"]) == sample["acc"]
        target = sample["target"]
        assert row["gold"] == (choices.index(target) if isinstance(target, str) else target)


@pytest.mark.slow
def test_medqa_matches_harness(tiny_model_dir: Path, shared_data: Path, tmp_path: Path) -> None:
    from lm_eval.tasks.medqa import preprocess_medqa

    source = shared_data / "bench" / "medqa" / "medqa_usmle_4options_sample.jsonl"
    hub = tmp_path / "medqa_hub.jsonl"  # the hub's layout of the same rows (GBaker/MedQA-USMLE-4-options-hf)
    rows = [json.loads(line) for line in source.read_text().splitlines()[:N_ITEMS]]
    hub.write_text(
        "".join(
            json.dumps(
                {
                    "sent1": r["question"],
                    "label": "ABCD".index(r["answer_idx"]),
                    **{f"ending{i}": r["options"][k] for i, k in enumerate("ABCD")},
                }
            )
            + "\n"
            for r in rows
        )
    )
    task = {
        "task": "mf_medqa_4options",
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": str(hub)}},
        "test_split": "test",
        "output_type": "multiple_choice",
        "doc_to_text": preprocess_medqa.doc_to_text,
        "doc_to_target": preprocess_medqa.doc_to_target,
        "doc_to_choice": ["A", "B", "C", "D"],
        "metric_list": [{"metric": "acc"}, {"metric": "acc_norm"}],
    }
    assert_same(
        harness_samples(task, tiny_model_dir),
        medfoundry_rows("medqa", source, tiny_model_dir),
        ["A", "B", "C", "D"],
    )


@pytest.mark.slow
def test_pubmedqa_matches_harness(tiny_model_dir: Path, shared_data: Path, tmp_path: Path) -> None:
    from lm_eval.tasks.pubmedqa import preprocess_pubmedqa

    folder = shared_data / "bench" / "pubmedqa"
    questions = json.loads((folder / "pqal_test_sample.json").read_text())
    truth = json.loads((folder / "test_ground_truth_sample.json").read_text())
    hub = tmp_path / "pubmedqa_hub.jsonl"  # bigbio pubmed_qa_labeled_fold0_source's fields
    chosen = [pmid for pmid in questions if pmid in truth][:N_ITEMS]
    hub.write_text(
        "".join(
            json.dumps(
                {
                    "QUESTION": questions[p]["QUESTION"],
                    "CONTEXTS": questions[p]["CONTEXTS"],
                    "final_decision": truth[p],
                }
            )
            + "\n"
            for p in chosen
        )
    )
    task = {
        "task": "mf_pubmedqa",
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": str(hub)}},
        "test_split": "test",
        "output_type": "multiple_choice",
        "doc_to_text": preprocess_pubmedqa.doc_to_text,
        "doc_to_target": "final_decision",
        "doc_to_choice": ["yes", "no", "maybe"],
        "metric_list": [{"metric": "acc"}],
    }
    assert_same(
        harness_samples(task, tiny_model_dir),
        medfoundry_rows("pubmedqa", folder, tiny_model_dir),
        ["yes", "no", "maybe"],
    )
