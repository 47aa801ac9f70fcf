"""Evaluation: healthcare benchmarks scored like lm-evaluation-harness, gates and scorecards.

Entry points: ``run_evaluation(store, model_ref, EvalOptions(...))`` and
``latest_evaluation(store, model_id)`` (deployment checks that it passed).
"""

from __future__ import annotations

from medfoundry.evaluate.scorecard import compare, get_evaluation, latest_evaluation

__all__ = ["compare", "get_evaluation", "latest_evaluation"]
