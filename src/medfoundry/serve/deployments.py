"""Deploying a model: the evaluation gate, the guardrail policy, and the deployment rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from medfoundry.audit import lineage
from medfoundry.catalog.resolve import resolve_model
from medfoundry.errors import AlreadyExists, GateFailed, InputError, NotFound
from medfoundry.guardrails.policy import Policy
from medfoundry.ids import new_id
from medfoundry.store.database import Store
from medfoundry.store.models import Deployment, Evaluation

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


@dataclass(frozen=True)
class DeploymentInfo:
    id: str
    name: str
    model_id: str
    state: str
    evaluation_id: str | None
    policy_name: str
    forced_reason: str | None
    created_at: str

    @classmethod
    def of(cls, row: Deployment) -> DeploymentInfo:
        return cls(
            row.id,
            row.name,
            row.model_id,
            row.state,
            row.evaluation_id,
            str(row.policy.get("name", "default")),
            row.forced_reason,
            row.created_at.isoformat(),
        )

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def latest_evaluation(store: Store, model_id: str) -> Evaluation | None:
    """The model's most recent evaluation (the evaluation stage's helper when it exists)."""
    try:
        from medfoundry.evaluate import latest_evaluation as from_stage
    except ImportError:  # the evaluation stage is not installed: read the table directly
        pass
    else:
        return from_stage(store, model_id)
    with store.sessions() as session:
        query = (
            select(Evaluation).where(Evaluation.model_id == model_id).order_by(Evaluation.created_at.desc())
        )
        return session.scalars(query.limit(1)).first()


def deploy(
    store: Store,
    model_ref: str,
    *,
    name: str | None = None,
    policy: Policy | None = None,
    force: bool = False,
    reason: str | None = None,
) -> Deployment:
    """Deploy ``model_ref`` if its latest evaluation passed its gates (or ``force`` with a reason)."""
    model = resolve_model(store, model_ref)
    name = name or re.sub(r"[^A-Za-z0-9._:-]", "-", model.name.rsplit("/", 1)[-1])[:128]
    if not NAME_RE.match(name):
        raise InputError(
            f"deployment name '{name}' is not valid", hint="use letters, digits, '.', '_', ':', '-'"
        )
    if force and not (reason and reason.strip()):
        raise InputError('--force needs --reason "..." saying why the gate is overridden')
    evaluation = latest_evaluation(store, model.id)
    if not force:
        _check_gate(model.id, evaluation)
    policy = policy or Policy()
    with store.session() as session:
        existing = session.scalars(select(Deployment).where(Deployment.name == name)).first()
        if existing is not None and existing.state == "active":
            raise AlreadyExists(
                f"a deployment named '{name}' is already active",
                hint=f"run 'medfoundry undeploy {name}' first",
            )
        if existing is not None:  # keep the old row (and its history) under a retired name
            existing.name = f"{name}~{existing.id}"[:128]
            session.flush()
        row = Deployment(
            id=new_id("deployment"),
            name=name,
            model_id=model.id,
            evaluation_id=evaluation.id if evaluation else None,
            state="active",
            policy=policy.model_dump(mode="json"),
            forced_reason=reason if force else None,
        )
        session.add(row)
    edges = [(model.id, "serves")] + ([(evaluation.id, "gated-by")] if evaluation else [])
    lineage.record(store, row.id, edges)
    details: dict[str, Any] = {"name": name, "model_id": model.id, "policy": policy.name, "forced": force}
    if evaluation:
        details["evaluation_id"] = evaluation.id
    store.audit.append("deployment.create", "deployment", row.id, details)
    if force:
        store.audit.append(
            "deployment.gate_override",
            "deployment",
            row.id,
            {"reason": reason, "evaluation_passed": _passed(evaluation)},
        )
    return row


def _passed(evaluation: Evaluation | None) -> bool | None:
    return None if evaluation is None else evaluation.passed


def _check_gate(model_id: str, evaluation: Evaluation | None) -> None:
    override = 'or override with --force --reason "..." (audited)'
    if evaluation is None:
        raise GateFailed(
            f"model {model_id} has no evaluation, so its gates have not passed",
            hint=f"run 'medfoundry evaluate {model_id} ...' first, {override}",
        )
    if evaluation.passed is not True:
        raise GateFailed(
            f"the latest evaluation of model {model_id} ({evaluation.id}, suite {evaluation.suite}) did not pass its gates",
            hint=f"see its scorecard, improve the model and evaluate again, {override}",
        )


def list_deployments(store: Store, *, include_inactive: bool = False) -> list[Deployment]:
    with store.sessions() as session:
        query = select(Deployment).order_by(Deployment.created_at)
        if not include_inactive:
            query = query.where(Deployment.state == "active")
        return list(session.scalars(query))


def find_deployment(store: Store, name: str, *, active: bool = False) -> Deployment | None:
    """The deployment called ``name`` (only if it is active, with ``active=True``), or None."""
    query = select(Deployment).where(Deployment.name == name)
    if active:
        query = query.where(Deployment.state == "active")
    with store.sessions() as session:
        return session.scalars(query).first()


def get_deployment(store: Store, name: str) -> Deployment:
    row = find_deployment(store, name)
    if row is None:
        raise NotFound(f"no deployment named '{name}'", hint="see 'medfoundry deployments list'")
    return row


def undeploy(store: Store, name: str) -> Deployment:
    with store.session() as session:
        row = session.scalars(select(Deployment).where(Deployment.name == name)).first()
        if row is None or row.state != "active":
            raise NotFound(f"no active deployment named '{name}'", hint="see 'medfoundry deployments list'")
        row.state = "inactive"
    store.audit.append("deployment.remove", "deployment", row.id, {"name": name})
    return row
