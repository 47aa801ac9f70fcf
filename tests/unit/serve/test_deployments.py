"""Deploy gates on the latest evaluation; force needs a reason and is audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.catalog.resolve import resolve_model
from medfoundry.errors import AlreadyExists, GateFailed, InputError, NotFound
from medfoundry.serve.deployments import deploy, list_deployments, undeploy
from medfoundry.store.database import Store
from tests.unit.serve.helpers import add_evaluation


def test_gate_follows_the_latest_evaluation(any_store: Store, tiny_model_dir: Path) -> None:
    model = resolve_model(any_store, str(tiny_model_dir))
    with pytest.raises(GateFailed, match="no evaluation"):
        deploy(any_store, model.id, name="m")
    add_evaluation(any_store, model.id, passed=True)
    add_evaluation(any_store, model.id, passed=False)  # the latest one counts
    with pytest.raises(GateFailed, match="did not pass") as info:
        deploy(any_store, model.id, name="m")
    assert "--force" in (info.value.hint or "")
    passed = add_evaluation(any_store, model.id, passed=True)
    row = deploy(any_store, model.id, name="m")
    assert row.evaluation_id == passed.id and row.state == "active"
    assert [d.name for d in list_deployments(any_store)] == ["m"]
    event = any_store.audit.tail(1, action="deployment.create")[0]
    assert event.details["model_id"] == model.id and event.object_id == row.id


def test_force_needs_a_reason_and_is_audited(any_store: Store, tiny_model_dir: Path) -> None:
    model = resolve_model(any_store, str(tiny_model_dir))
    with pytest.raises(InputError, match="--reason"):
        deploy(any_store, model.id, name="f", force=True)
    row = deploy(any_store, model.id, name="f", force=True, reason="clinical pilot sign-off #42")
    assert row.forced_reason == "clinical pilot sign-off #42"
    override = any_store.audit.tail(1, action="deployment.gate_override")[0]
    assert override.details == {"reason": "clinical pilot sign-off #42", "evaluation_passed": None}


def test_names_are_unique_among_active_and_undeploy(any_store: Store, tiny_model_dir: Path) -> None:
    model = resolve_model(any_store, str(tiny_model_dir))
    add_evaluation(any_store, model.id, passed=True)
    deploy(any_store, model.id, name="n")
    with pytest.raises(AlreadyExists):
        deploy(any_store, model.id, name="n")
    undeploy(any_store, "n")
    assert list_deployments(any_store) == []
    with pytest.raises(NotFound):
        undeploy(any_store, "n")
    again = deploy(any_store, model.id, name="n")
    assert [d.id for d in list_deployments(any_store)] == [again.id]
    assert len(list_deployments(any_store, include_inactive=True)) == 2
    with pytest.raises(InputError):
        deploy(any_store, model.id, name="bad name!")
