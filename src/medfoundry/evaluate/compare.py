"""``eval compare``: two scorecards, each named by evaluation id or by model."""

from __future__ import annotations

from typing import Any

from medfoundry.catalog.resolve import resolve_model
from medfoundry.errors import NotFound
from medfoundry.evaluate.scorecard import compare, get_evaluation, latest_evaluation
from medfoundry.store.database import Store
from medfoundry.store.models import Evaluation


def find_scorecard(store: Store, ref: str) -> Evaluation:
    """An evaluation id, or a model reference whose latest evaluation is taken."""
    if ref.startswith("evl_"):
        return get_evaluation(store, ref)
    model = resolve_model(store, ref, register=False)
    found = latest_evaluation(store, model.id)
    if found is None:
        raise NotFound(
            f"model {model.id} has no evaluation", hint=f"run: medfoundry eval run {ref} --suite ..."
        )
    return found


def compare_refs(store: Store, a: str, b: str) -> dict[str, Any]:
    first, second = find_scorecard(store, a), find_scorecard(store, b)

    def head(e: Evaluation) -> dict[str, Any]:
        return {"id": e.id, "model": e.model_id, "suite": e.suite, "passed": e.passed}

    return {"a": head(first), "b": head(second), "rows": compare(first.scorecard, second.scorecard)}
