"""Evaluation: healthcare benchmarks scored like lm-evaluation-harness, gates and scorecards.

Entry points: ``medfoundry.evaluate.runner.run_evaluation(store, model_ref, EvalRunConfig(...))``
and ``latest_evaluation(store, model_id)`` (deployment checks that it passed). The store-side
names load lazily, so the scoring engine imports without the database stack.
"""

from __future__ import annotations

from typing import Any

__all__ = ["compare", "get_evaluation", "latest_evaluation"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from medfoundry.evaluate import scorecard

        return getattr(scorecard, name)
    raise AttributeError(f"module 'medfoundry.evaluate' has no attribute {name!r}")
