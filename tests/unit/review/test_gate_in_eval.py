"""The human-review gate inside ``medfoundry eval run``: it fails until enough outputs were accepted."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from medfoundry.catalog.resolve import register_model
from medfoundry.review.tasks import decide
from medfoundry.store.database import Store
from tests.unit.evaluate.conftest import CliRun, run_cli  # noqa: F401  (the fixture)
from tests.unit.evaluate.fixtures import write_medqa
from tests.unit.review.helpers import make_task

Cli = Callable[..., CliRun]


@pytest.mark.slow
def test_eval_gate_on_human_review_acceptance(store: Store, run_cli: Cli, tiny_model_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    model = register_model(store, str(tiny_model_dir), name="reviewed-model")
    gates = tmp_path / "gates.yaml"
    gates.write_text("absolute: ['medqa.acc >= 0.0']\nhuman_review: {min_acceptance: 0.5, min_items: 2}\n")
    data = write_medqa(tmp_path / "medqa.jsonl", n=2)
    args = ("eval", "run", model.id, "--benchmark", "medqa", "--data", str(data), "--gates", str(gates), "--json")
    decide(store, make_task(store, 1, model_id=model.id).id, "dr-a", "approved")
    refused = run_cli(*args)
    assert refused.code == 10, refused.stderr  # GateFailed: only one reviewed output
    gate = refused.json()["gates"][-1]
    assert gate["benchmark"] == "human_review" and "only 1 reviewed" in gate["reason"]
    decide(store, make_task(store, 2, model_id=model.id).id, "dr-a", "rejected", reason="omission")
    passed = run_cli(*args)
    assert passed.code == 0, passed.stderr
    assert passed.json()["gates"][-1]["value"] == 0.5 and passed.json()["passed"] is True


def test_an_evaluations_generated_answers_become_review_tasks(store: Store, run_cli: Cli, tiny_model_dir: Path,  # noqa: F811
                                                               tmp_path: Path) -> None:  # fmt: skip
    from medfoundry.review.tasks import get_task, task_content
    from tests.unit.evaluate.fixtures import write_custom

    data = write_custom(tmp_path / "mine.jsonl")
    run = run_cli("eval", "run", str(tiny_model_dir), "--benchmark", "custom", "--data", str(data), "--json")
    assert run.code == 0, run.stderr
    imported = run_cli("review", "import", "--evaluation", run.json()["id"], "--json")
    assert imported.code == 0, imported.stderr
    assert imported.json()["created"] == 2 and imported.json()["skipped"] == 2  # open questions; choices skipped
    content = task_content(store, get_task(store, imported.json()["tasks"][0]))
    assert "code blue" in content["messages"][0]["content"] or "heart rate" in content["messages"][0]["content"]
    assert json.loads(content["source_record"])["gold"] in ("rapid response team", "100")
