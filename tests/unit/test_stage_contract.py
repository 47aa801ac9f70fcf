"""Every stage has one shape: run(store, <X>Config, on_event=None) -> a typed result, with
progress as StageEvents."""

from __future__ import annotations

import importlib
import inspect
import typing
from dataclasses import is_dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel

from medfoundry.catalog.resolve import resolve_model
from medfoundry.evaluate.stage import EvaluateConfig
from medfoundry.evaluate.stage import run as run_evaluate
from medfoundry.serve.stage import DeployConfig
from medfoundry.serve.stage import run as run_deploy
from medfoundry.stage import StageEvent, describe
from medfoundry.store.database import Store
from tests.unit.serve.helpers import add_evaluation

STAGES = {
    "ingest": "medfoundry.ingest.run",
    "deid": "medfoundry.deid.stage",
    "build": "medfoundry.datasets.build",
    "train": "medfoundry.train.stage",
    "evaluate": "medfoundry.evaluate.stage",
    "deploy": "medfoundry.serve.stage",
}


@pytest.mark.parametrize("module", STAGES.values(), ids=list(STAGES))
def test_each_stage_has_the_common_shape(module: str) -> None:
    run = importlib.import_module(module).run
    signature = inspect.signature(run)
    assert list(signature.parameters) == ["store", "config", "on_event"]
    assert signature.parameters["on_event"].default is None
    hints = typing.get_type_hints(run)
    config, result = hints["config"], hints["return"]
    assert issubclass(config, BaseModel) and config.__name__.endswith("Config"), config
    assert isinstance(result, type) and (is_dataclass(result) or issubclass(result, BaseModel)), result


def test_deploy_reports_an_event_and_returns_a_typed_result(store: Store, tiny_model_dir: Path) -> None:
    model = resolve_model(store, str(tiny_model_dir))
    add_evaluation(store, model.id, passed=True)
    events: list[StageEvent] = []
    info = run_deploy(
        store, DeployConfig(model=model.id, name="triage", policy="patient-facing"), events.append
    )
    assert (info.name, info.model_id, info.policy_name) == ("triage", model.id, "patient-facing")
    assert events == [StageEvent("deploy", 1, 1, "deployments")]
    assert describe(info)["name"] == "triage"


@pytest.mark.slow
def test_evaluate_counts_items_as_it_scores(store: Store, tiny_model_dir: Path, shared_data: Path) -> None:
    events: list[StageEvent] = []
    config = EvaluateConfig(model=str(tiny_model_dir), benchmark="medqa", data=shared_data / "bench" / "medqa",
                            limit=3, batch_size=2)  # fmt: skip
    outcome = run_evaluate(store, config, events.append)
    assert outcome.scorecard["benchmarks"][0]["benchmark"] == "medqa"
    assert outcome.card.to_json() == outcome.scorecard  # typed, and serialized as the stored JSON
    assert outcome.card.benchmark("medqa") is not None and outcome.card.verdict == "no gates"
    assert [e.unit for e in events] == ["medqa"] * len(events) and events
    assert [e.done for e in events] == sorted(e.done for e in events)
    assert events[-1].done == events[-1].total == 3
