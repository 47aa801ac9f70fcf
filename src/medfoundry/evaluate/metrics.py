"""Metrics with uncertainty: means with standard errors, bootstrap intervals, P/R/F1."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

BOOTSTRAP_SEED = 1234
BOOTSTRAP_ITERS = 1000


@dataclass(frozen=True)
class MetricValue:
    value: float
    stderr: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "stderr": self.stderr, "ci95": [self.ci_low, self.ci_high]}


def mean_stderr(values: Sequence[float]) -> float:
    """The harness's ``mean_stderr``: sample standard deviation / sqrt(n)."""
    n = len(values)
    if n < 2:
        return 0.0
    mu = sum(values) / n
    return math.sqrt(sum((v - mu) ** 2 for v in values) / (n - 1) / n)


def bootstrap_ci(
    items: Sequence[object],
    statistic: Callable[[Sequence[object]], float],
    *,
    iters: int = BOOTSTRAP_ITERS,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """A 95% percentile bootstrap interval of ``statistic`` over resampled items (fixed seed)."""
    if not items:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(items)
    samples = sorted(statistic([items[rng.randrange(n)] for _ in range(n)]) for _ in range(iters))
    return samples[int(0.025 * iters)], samples[min(iters - 1, int(0.975 * iters))]


def mean_metric(values: Sequence[float]) -> MetricValue:
    if not values:
        return MetricValue(0.0, 0.0, 0.0, 0.0)
    low, high = bootstrap_ci(list(values), lambda s: sum(s) / len(s))  # type: ignore[arg-type]
    return MetricValue(sum(values) / len(values), mean_stderr(values), low, high)


def prf(true_pos: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = true_pos / n_pred if n_pred else 0.0
    recall = true_pos / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def micro_prf(per_item: Sequence[tuple[int, int, int]]) -> tuple[float, float, float]:
    """Micro P/R/F1 from per-item (true positives, predicted, gold) counts."""
    return prf(sum(t for t, _, _ in per_item), sum(p for _, p, _ in per_item), sum(g for _, _, g in per_item))


def micro_metrics(per_item: Sequence[tuple[int, int, int]]) -> dict[str, MetricValue]:
    """precision, recall and f1 with bootstrap intervals over items."""
    out: dict[str, MetricValue] = {}
    for k, name in enumerate(("precision", "recall", "f1")):

        def stat(sample: Sequence[object], k: int = k) -> float:
            return micro_prf(sample)[k]  # type: ignore[arg-type]

        low, high = bootstrap_ci(list(per_item), stat)
        out[name] = MetricValue(micro_prf(per_item)[k], None, low, high)
    return out
