"""The de-identification stage in the common shape: ``run(store, DeidRunConfig, on_event)``.

A thin wrapper over ``deid.run.run`` (which keeps its keyword signature for the CLI): the
run's settings become one pydantic model and per-patient progress becomes ``StageEvent``s.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from medfoundry.deid.config import DeidConfig
from medfoundry.deid.run import DeidResult
from medfoundry.deid.run import run as run_deid
from medfoundry.stage import OnEvent, emit
from medfoundry.store.database import Store


class DeidRunConfig(BaseModel):
    """What ``deid run`` and the pipeline's deid stage ask for; ``policy`` is the YAML policy."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="The raw dataset version: NAME, NAME@N or an id.")
    policy: DeidConfig = Field(default_factory=DeidConfig, description="The de-identification policy.")
    executor: str = Field("processes", description="serial, processes or ray.")
    workers: int = Field(0, ge=0, description="Worker processes (0: one per CPU).")
    name: str | None = Field(None, description="The output dataset's name (default: SOURCE-deid).")


def run(store: Store, config: DeidRunConfig, on_event: OnEvent | None = None) -> DeidResult:
    """De-identify the source's records; one event per patient written."""
    progress: Callable[[int], None] | None = None
    if on_event is not None:

        def progress(patients: int) -> None:
            emit(on_event, "deid", patients, None, "patients")

    return run_deid(
        store,
        config.source,
        config.policy,
        executor=config.executor,
        workers=config.workers,
        name=config.name,
        progress=progress,
    )
