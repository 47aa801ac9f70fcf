"""The gate "human review acceptance >= X on >= N reviewed items" for a model."""

from __future__ import annotations

from sqlalchemy import select

from medfoundry.evaluate.gates import GateResult
from medfoundry.review_policy import HumanReviewGate
from medfoundry.store.database import Store
from medfoundry.store.models import ReviewTask


def acceptance(store: Store, model_id: str, *, count_edits: bool = False) -> tuple[int, int]:
    """(accepted, reviewed) over the model's decided review tasks."""
    with store.sessions() as session:
        query = select(ReviewTask.status).where(ReviewTask.model_id == model_id, ReviewTask.status != "pending")
        statuses = list(session.scalars(query))
    accepted = sum(s == "approved" or (count_edits and s == "edited") for s in statuses)
    return accepted, len(statuses)


def acceptance_gate(store: Store, model_id: str, spec: HumanReviewGate) -> GateResult:
    accepted, reviewed = acceptance(store, model_id, count_edits=spec.count_edits_as_accepted)
    gate = f"human review acceptance >= {spec.min_acceptance:g} on >= {spec.min_items} reviewed items"
    value = accepted / reviewed if reviewed else None
    if reviewed < spec.min_items:
        reason = f"only {reviewed} reviewed item(s) of model {model_id}; the gate needs {spec.min_items}"
        return GateResult(gate, "human_review", "acceptance", value, spec.min_acceptance, False, reason)
    assert value is not None
    passed = value >= spec.min_acceptance
    reason = f"{accepted}/{reviewed} accepted = {value:.4f}" + ("" if passed else f" < {spec.min_acceptance:g}")
    return GateResult(gate, "human_review", "acceptance", value, spec.min_acceptance, passed, reason)
