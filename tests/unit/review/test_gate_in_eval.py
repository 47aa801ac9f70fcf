"""The human-review gate inside ``medfoundry eval run``: it fails until enough outputs were accepted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from medfoundry.catalog.resolve import register_model
from medfoundry.review.tasks import decide
from medfoundry.store.database import Store
from tests.unit.evaluate.conftest import CliRun, run_cli  # noqa: F401  (the fixture)
from tests.unit.evaluate.fixtures import write_medqa
from tests.unit.review.helpers import make_task

Cli = Callable[..., CliRun]


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
