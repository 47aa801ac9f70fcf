"""Batches for reviewers from an evaluation's predictions and from a task dataset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medfoundry.datasets.chat import register_chat_jsonl
from medfoundry.datasets.versions import create_version
from medfoundry.errors import InputError, NotFound
from medfoundry.review.imports import from_dataset, from_evaluation
from medfoundry.review.tasks import get_task, task_content
from medfoundry.store.database import Store
from medfoundry.store.models import Evaluation, Model


def evaluation_with(store: Store, rows: list[dict]) -> Evaluation:
    body = "".join(json.dumps(r) + "\n" for r in rows).encode()
    artifact = store.put_artifact(body, kind="eval-predictions", name="preds.jsonl")
    with store.session() as session:
        session.add(Model(id="mdl_eval", name="m", source="local", location="/m", code_version="t"))
        session.flush()
        evaluation = Evaluation(id="evl_x", model_id="mdl_eval", suite="s", artifact_id=artifact.id, code_version="t")
        session.add(evaluation)
    return evaluation


def test_evaluation_answers_become_tasks_and_choices_are_skipped(store: Store) -> None:
    evaluation_with(store, [
        {"benchmark": "icd10", "id": "7", "gold": ["J45.909"], "pred": ["J45.909"], "answer": "J45.909 asthma"},
        {"benchmark": "medqa", "id": "1", "gold": 0, "pred": 1, "loglikelihoods": [-1.0, -2.0]},
        {"benchmark": "custom", "id": "2", "prompt": "Summarize the visit.", "output": "Routine follow-up."},
    ])  # fmt: skip
    result = from_evaluation(store, "evl_x", reviewers=2)
    assert len(result.created) == 2 and result.skipped == 1
    first, second = (get_task(store, t) for t in result.created)
    assert first.model_id == "mdl_eval" and first.source == "evaluation" and first.source_ref == "evl_x:icd10/7"
    assert first.reviewers_required == 2 and first.mode == "flag"
    assert json.loads(task_content(store, first)["source_record"]) == {"gold": ["J45.909"]}
    assert task_content(store, second)["messages"][0]["content"] == "Summarize the visit."
    with pytest.raises(NotFound):
        from_evaluation(store, "evl_missing")


def test_dataset_examples_become_tasks(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "drafts.jsonl"
    path.write_text("".join(json.dumps({"messages": [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": f"Explain {t}."},
        {"role": "assistant", "content": f"{t} is common."}]}) + "\n" for t in ("gout", "acne", "eczema")))  # fmt: skip
    register_chat_jsonl(store, path, name="drafts")
    result = from_dataset(store, "drafts", limit=2)
    assert len(result.created) == 2 and result.skipped == 1
    content = task_content(store, get_task(store, result.created[0]))
    assert [m["role"] for m in content["messages"]] == ["system", "user"] and content["output"] == "gout is common."
    raw = store.put_artifact(b"{}", kind="x", name="raw", phi=True)
    create_version(store, dataset_name="raw", kind="raw", artifact=raw, source="s", counts={})
    with pytest.raises(InputError, match="raw version holding PHI"):
        from_dataset(store, "raw")
