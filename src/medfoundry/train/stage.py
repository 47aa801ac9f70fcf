"""The training stage in the common shape: ``run(store, TrainConfig, on_event) -> TrainResult``.

It submits a pinned ``train`` job and runs it in this process (``train.job.run_foreground``,
which the CLI's ``train`` also uses); every logged step becomes a ``StageEvent`` counting
optimizer steps, with the step's metrics (loss, lr, tokens/s, ...) as its values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medfoundry.stage import OnEvent, emit
from medfoundry.store.database import Store
from medfoundry.store.models import Job
from medfoundry.train.job import run_foreground
from medfoundry.train.spec import TrainConfig


@dataclass(frozen=True)
class TrainResult:
    """The finished job and what it made (``model_id`` is None when the job did not succeed)."""

    job_id: str
    state: str
    model_id: str | None
    output_dir: str | None
    steps: int | None
    eval_loss: float | None
    error: str | None
    final_loss: float | None = None

    @classmethod
    def from_job(cls, job: Job) -> TrainResult:
        result: dict[str, Any] = job.result or {}
        return cls(job.id, job.state, result.get("model_id"), result.get("output_dir"), result.get("steps"),
                   result.get("eval_loss"), job.error, result.get("final_loss"))  # fmt: skip


def run(store: Store, config: TrainConfig, on_event: OnEvent | None = None) -> TrainResult:
    """Fine-tune as ``config`` says; resumable like any ``train`` job."""

    def progress(metrics: dict[str, Any]) -> None:
        values = {k: float(v) for k, v in metrics.items() if k not in ("step", "total_steps")}
        emit(on_event, "train", float(metrics["step"]), metrics.get("total_steps"), "steps", **values)

    return TrainResult.from_job(run_foreground(store, config, on_progress=progress if on_event else None))
