"""The one shape of a stage: ``run(store, config, on_event=None) -> Result``.

``config`` is a pydantic ``*Config`` model (what the CLI flags, the pipeline YAML and the
HTTP forms fill in), the result a typed object, and progress arrives as ``StageEvent``s:
one event type for every stage, so a progress bar, a job heartbeat or a log line is
written once. Stages call ``emit(on_event, ...)``, which does nothing when no one listens.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from medfoundry.store.database import Store


@dataclass(frozen=True)
class StageEvent:
    """How far a stage is: ``done`` of ``total`` (None when unknown) ``unit``s, plus counters."""

    stage: str
    done: float
    total: float | None = None
    unit: str = ""
    values: Mapping[str, float] = field(default_factory=dict)

    @property
    def fraction(self) -> float | None:
        return self.done / self.total if self.total else None


OnEvent = Callable[[StageEvent], None]


def emit(on_event: OnEvent | None, stage: str, done: float, total: float | None = None, unit: str = "",
         **values: float) -> None:  # fmt: skip
    if on_event is not None:
        on_event(StageEvent(stage, done, total, unit, values))


ConfigT = TypeVar("ConfigT", bound=BaseModel, contravariant=True)
ResultT = TypeVar("ResultT", covariant=True)


class Stage(Protocol[ConfigT, ResultT]):
    """What every stage's entry function looks like."""

    def __call__(self, store: Store, config: ConfigT, on_event: OnEvent | None = None) -> ResultT: ...


def describe(result: Any) -> dict[str, Any]:
    """A stage result as plain JSON-able data (pydantic models and dataclasses alike)."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    if is_dataclass(result) and not isinstance(result, type):
        return asdict(result)
    raise TypeError(f"{type(result).__name__} is not a stage result")
