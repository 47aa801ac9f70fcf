"""Training as a job of kind ``train``: run in the foreground, by a worker, or resumed.

``run_training`` is the stage's entry function: the CLI, the worker and the
distributed launcher all call it. A job's checkpoints live under
``<home>/train/<job id>/``, so running the same job again resumes it.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import update

from medfoundry.catalog.loading import base_location_of
from medfoundry.catalog.resolve import get_model, resolve_model
from medfoundry.dataset_versions import get_version
from medfoundry.datasets.chat import load_chat_data, resolve_training_data
from medfoundry.errors import ConfigError, JobError
from medfoundry.jobs import queue
from medfoundry.jobs.queue import JobContext
from medfoundry.store.database import Store
from medfoundry.store.models import Job, JobMetric
from medfoundry.train import checkpoint, distributed
from medfoundry.train.spec import TrainSpec, build_spec, spec_hash

logger = logging.getLogger(__name__)
FLUSH_EVERY_S = 1.0


def work_dir(store: Store, job_id: str) -> Path:
    return store.settings.resolved_home / "train" / job_id


def output_dir(store: Store, job_id: str) -> Path:
    return store.settings.resolved_home / "models" / job_id


def resolve_spec(store: Store, spec: TrainSpec) -> TrainSpec:
    """Pin the base model and dataset to ids, so a resumed run trains on exactly the same."""
    base = resolve_model(store, spec.base_model)
    if base.meta.get("adapter"):
        raise ConfigError(
            f"base_model: {base.id} is a LoRA adapter; train on its base or on a merged model",
            hint=f"merge it first: medfoundry models merge {base.id}",
        )
    version = resolve_training_data(
        store, spec.dataset, validation_split=spec.validation_split, seed=spec.seed
    )
    return spec.model_copy(update={"base_model": base.id, "dataset": version.id})


def run_training(
    store: Store, spec: TrainSpec, job_id: str, *, ctx: JobContext | None = None
) -> dict[str, Any]:
    """Train (resuming from this job's checkpoints), then save and register the result."""
    from medfoundry.train.loop import train
    from medfoundry.train.outputs import register_result
    from medfoundry.train.preference import is_preference, read_pairs, train_preference

    world = distributed.current_world()
    base = get_model(store, spec.base_model)
    version = get_version(store, spec.dataset)
    sink = MetricSink(ctx, spec) if ctx is not None else None
    if is_preference(version):  # preference pairs (e.g. from 'review export'): DPO
        run = train_preference(
            spec, base_location=base_location_of(store, base), rows=read_pairs(store, version),
            work_dir=work_dir(store, job_id), on_step=sink, check_stop=ctx.check_cancelled if ctx else None,
        )  # fmt: skip
    else:
        data = load_chat_data(store, version, validation_split=spec.validation_split, seed=spec.seed)
        run = train(
            spec,
            base_location=base_location_of(store, base),
            data=data,
            work_dir=work_dir(store, job_id),
            on_step=sink,
            on_eval=(lambda m: ctx.log_metrics(int(m["step"]), {"eval_loss": m["eval_loss"]})) if ctx else None,
            check_stop=ctx.check_cancelled if ctx else None,
            on_checkpoint=sink.flush if sink is not None else None,
        )
    if sink is not None:
        sink.flush()
    history = run.progress.history
    summary = {
        "steps": run.progress.step,
        "total_steps": run.total_steps,
        "final_loss": history[-1]["loss"] if history else None,
        "eval_loss": run.extra.get("eval_loss"),
        "tokens": run.progress.tokens,
        "tokens_per_s": run.progress.tokens / run.train_seconds if run.train_seconds > 0 else None,
        "train_seconds": run.train_seconds,
        "peak_memory_bytes": run.peak_memory_bytes,
        "trainable_parameters": run.trainable_parameters,
        "total_parameters": run.total_parameters,
        "precision": run.precision,
        "device": run.device,
        "world_size": run.world_size,
        "stopped_early": run.stopped_early,
        "train_examples": run.extra.get("train_examples"),
        "validation_examples": run.extra.get("validation_examples"),
        "objective": run.extra.get("objective", "sft"),
        **{k: run.extra[k] for k in ("eval_reward_accuracy",) if k in run.extra},
    }
    if not world.is_main:
        return summary
    model, artifacts = register_result(
        store, run=run, spec=spec, base=base, version=version, job_id=job_id,
        out_dir=output_dir(store, job_id), summary=summary,
    )  # fmt: skip
    return {"model_id": model.id, "model_name": model.name, "output_dir": model.location,
            "spec_sha256": spec_hash(spec), "artifacts": artifacts, **summary}  # fmt: skip


class MetricSink:
    """Per-step metrics to the store (batched: one transaction a second) and to the progress bar."""

    def __init__(self, ctx: JobContext, spec: TrainSpec) -> None:
        self.ctx = ctx
        self.mlflow = _mlflow() if spec.mlflow else None
        self.pending: list[tuple[int, dict[str, float]]] = []
        self.latest: dict[str, float] = {}
        self.flushed_at = time.monotonic()

    def __call__(self, metrics: dict[str, float]) -> None:
        step = int(metrics["step"])
        self.pending.append((step, {k: v for k, v in metrics.items() if k not in ("step", "total_steps")}))
        self.latest = metrics
        if self.ctx.on_progress:
            self.ctx.on_progress(metrics)
        if self.mlflow is not None:
            self.mlflow.log_metrics({k: v for k, v in metrics.items() if k != "step"}, step=step)
        if time.monotonic() - self.flushed_at >= FLUSH_EVERY_S:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with self.ctx.store.session() as session:
            for step, values in self.pending:
                session.add_all(
                    JobMetric(job_id=self.ctx.job_id, step=step, name=k, value=float(v))
                    for k, v in values.items()
                )
            progress = {k: round(v, 6) for k, v in self.latest.items()}
            session.execute(update(Job).where(Job.id == self.ctx.job_id).values(progress=progress))
        self.pending.clear()
        self.flushed_at = time.monotonic()


def _mlflow() -> Any:
    try:
        import mlflow
    except ImportError as exc:
        from medfoundry.errors import DependencyMissing

        raise DependencyMissing("mlflow", extra="mlflow", feature="MLflow logging") from exc
    return mlflow


def train_job(ctx: JobContext) -> dict[str, Any]:
    """The ``train`` job kind: payload ``{"spec": {...}}``."""
    spec = resolve_spec(ctx.store, build_spec(ctx.payload.get("spec") or {}, source=f"job {ctx.job_id}"))
    return run_training(ctx.store, spec, ctx.job_id, ctx=ctx)


def submit_training(store: Store, spec: TrainSpec) -> Job:
    """Queue a training job with its base model and dataset pinned to ids."""
    return queue.submit(store, "train", {"spec": resolve_spec(store, spec).model_dump(mode="json")})


def _worker_is_gone(job: Job, store: Store) -> bool:
    if queue.is_stale(job, store.settings.job_stale_after_s):
        return True
    host, _, pid = (job.worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def prepare_resume(store: Store, job_id: str) -> Job:
    """Queue a crashed, failed or cancelled training job again for this process to claim."""
    job = queue.get(store, job_id)
    if job.kind != "train":
        raise JobError(f"job {job_id} is a {job.kind} job, not a training job")
    if job.state == "succeeded":
        raise JobError(f"job {job_id} already finished; its model is {(job.result or {}).get('model_id')}")
    if job.state == "running" and not _worker_is_gone(job, store):
        raise JobError(
            f"job {job_id} is still running on {job.worker}",
            hint="wait for it, or stop it with 'medfoundry jobs cancel' and resume afterwards",
        )
    if job.state != "queued":
        with store.session() as session:
            session.execute(
                update(Job).where(Job.id == job_id, Job.state == job.state)
                .values(state="queued", worker=None, cancel_requested=False, finished_at=None)
            )  # fmt: skip
    last = checkpoint.latest(work_dir(store, job_id) / "checkpoints")
    store.audit.append(
        "train.resume", "job", job_id, {"state_was": job.state, "checkpoint": last.name if last else None}
    )
    return queue.get(store, job_id)


def resume(store: Store, job_id: str, *, on_progress: Callable[[dict[str, Any]], None] | None = None) -> Job:
    prepare_resume(store, job_id)
    claimed = queue.claim(store, queue.worker_name(), job_id=job_id)
    if claimed is None:
        raise JobError(f"job {job_id} was taken by a worker before it could resume here")
    return queue.run_claimed(store, claimed, on_progress=on_progress)


def latest_checkpoint_step(store: Store, job_id: str) -> int | None:
    found = checkpoint.latest(work_dir(store, job_id) / "checkpoints")
    return int(found.name.removeprefix(checkpoint.PREFIX)) if found else None


def run_foreground(
    store: Store, spec: TrainSpec, *, on_progress: Callable[[dict[str, Any]], None] | None = None
) -> Job:
    """Submit a pinned training job and run it in this process."""
    job = submit_training(store, spec)
    claimed = queue.claim(store, queue.worker_name(), job_id=job.id)
    if claimed is None:
        raise JobError(f"job {job.id} was taken by a worker before it could run here")
    return queue.run_claimed(store, claimed, on_progress=on_progress)
