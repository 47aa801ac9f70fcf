"""Job kinds for the stages that follow the contract: the payload is the stage's ``*Config``
as JSON, progress events become the job's (throttled) progress, and the result is the
stage result as JSON. ``medfoundry jobs submit ingest --payload '{"source": "export/"}'``
then runs on any worker exactly as ``data ingest export/`` runs in the foreground.
"""

from __future__ import annotations

import importlib
import time
import typing
from collections.abc import Callable
from typing import Any

from medfoundry.jobs.queue import JobContext
from medfoundry.stage import StageEvent, describe

REPORT_EVERY_S = 1.0


def _progress(ctx: JobContext) -> Callable[[StageEvent], None]:
    last = 0.0

    def on_event(event: StageEvent) -> None:
        nonlocal last
        ctx.check_cancelled()
        now = time.monotonic()
        if now - last >= REPORT_EVERY_S or (event.total is not None and event.done >= event.total):
            last = now
            ctx.report_progress({"done": event.done, "total": event.total, "unit": event.unit, **event.values})

    return on_event


def _result_json(result: Any) -> dict[str, Any]:
    if hasattr(result, "evaluation") and hasattr(result, "scorecard"):  # evaluate's EvalOutcome holds rows
        return {"evaluation_id": result.evaluation.id, "model_id": result.evaluation.model_id,
                "suite": result.scorecard.get("suite"), "passed": result.scorecard.get("passed")}  # fmt: skip
    return describe(result)


def stage_job(module: str) -> Callable[[JobContext], dict[str, Any]]:
    """The job kind running ``module.run`` with the payload as its config."""

    def job(ctx: JobContext) -> dict[str, Any]:
        run = importlib.import_module(module).run
        config = typing.get_type_hints(run)["config"].model_validate(ctx.payload)
        return _result_json(run(ctx.store, config, _progress(ctx)))

    job.__doc__ = f"Run {module}.run with the payload as its config."
    return job


ingest_job = stage_job("medfoundry.ingest.run")
deid_job = stage_job("medfoundry.deid.stage")
build_job = stage_job("medfoundry.datasets.build")
evaluate_job = stage_job("medfoundry.evaluate.stage")
