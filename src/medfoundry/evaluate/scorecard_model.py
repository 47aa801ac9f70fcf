"""The scorecard as a typed model. Stored, exported and shown as today's JSON: a scorecard
``card`` satisfies ``Scorecard.parse(card).to_json() == card``, so nothing reading the
stored dict changes; new code reads it typed (``EvalOutcome.card``, ``Scorecard.parse``).
``save_scorecard`` validates every scorecard before storing it, so the shape cannot drift.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Number = int | float


class _Typed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelRef(_Typed):
    id: str
    name: str
    location: str | None
    parent_id: str | None


class BenchmarkScore(_Typed):
    benchmark: str
    n: int
    headline: str
    metrics: dict[str, Number | None]
    stderr: dict[str, Number]
    ci95: dict[str, list[Number]]
    mode: str
    data: str
    seconds: Number
    items_per_s: Number | None


class GateOutcome(_Typed):
    gate: str
    benchmark: str
    metric: str
    value: Number | None
    threshold: Number | None
    passed: bool
    reason: str


class BaseScores(_Typed):
    model_id: str
    evaluation_id: str | None  # None: scored inside this evaluation (pipeline ``compare_base``)
    benchmarks: dict[str, BenchmarkScore]


class Artifacts(_Typed):
    predictions: str
    report_html: str
    report_png: str


class Scorecard(_Typed):
    id: str
    model: ModelRef
    suite: str
    dtype: str
    device: str
    code_version: str
    created_at: str
    benchmarks: list[BenchmarkScore]
    gates: list[GateOutcome]
    passed: bool | None
    options: dict[str, Any] | None = None
    note: str | None = None
    base: BaseScores | None = None
    gates_spec: dict[str, Any] | None = None
    artifacts: Artifacts | None = None
    report_dir: str | None = None
    skipped: list[dict[str, Any]] | None = None  # inputs an image benchmark could not read: {id, reason}

    @classmethod
    def parse(cls, card: dict[str, Any]) -> Scorecard:
        return cls.model_validate(card)

    def to_json(self) -> dict[str, Any]:
        """Today's JSON: only the keys the scorecard has, numbers as they were."""
        return self.model_dump(mode="json", exclude_unset=True)

    def benchmark(self, name: str) -> BenchmarkScore | None:
        return next((b for b in self.benchmarks if b.benchmark == name), None)

    @property
    def verdict(self) -> Literal["passed", "failed", "no gates"]:
        return {True: "passed", False: "failed", None: "no gates"}[self.passed]  # type: ignore[return-value]
