"""``medfoundry pipeline run``: the stages in order, each one cached by content.

Each stage runs as a job (kind ``pipeline-stage``) whose payload carries the
stage's *key*: the sha256 of its settings, the content of the files they name,
and the ids of its inputs. A stage whose key already has a succeeded job is
skipped and its output reused, so a re-run does only what changed and a failed
run resumes at the stage that failed. ``from_stage`` forces that stage and the
ones after it to run again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from medfoundry.errors import ConfigError, JobError, MedfoundryError
from medfoundry.jobs import queue
from medfoundry.pipeline import kinds as _kinds  # noqa: F401  (registers the stage job kinds)
from medfoundry.pipeline.spec import STAGES, PipelineSpec
from medfoundry.pipeline.stages import STAGE_FUNCTIONS, output_exists
from medfoundry.store.database import Store
from medfoundry.store.models import Job

KIND = "pipeline-stage"
Event = Callable[["StageRun"], None]


@dataclass
class StageRun:
    stage: str
    state: str  # pending | running | succeeded | cached | failed | skipped
    job_id: str | None = None
    output: dict[str, Any] = field(default_factory=dict)
    duration_s: float | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PipelineResult:
    name: str
    ok: bool
    stages: list[StageRun]

    def output(self, stage: str) -> dict[str, Any]:
        return next((s.output for s in self.stages if s.stage == stage), {})

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "stages": [s.to_dict() for s in self.stages]}


HASH_LIMIT = 64 * 1024 * 1024


def _fingerprint(path: Path | None) -> Any:
    """Content identity of a file or folder: the sha256 of each file, or for a file over
    HASH_LIMIT its size and mtime (so a multi-GB export is not re-read on every run)."""
    if path is None:
        return None
    if path.is_file():
        stat = path.stat()
        if stat.st_size > HASH_LIMIT:
            return [path.name, stat.st_size, stat.st_mtime_ns]
        return [path.name, hashlib.sha256(path.read_bytes()).hexdigest()]
    if path.is_dir():
        return sorted(_fingerprint(child) for child in path.rglob("*") if child.is_file())
    return ["missing", str(path)]


def stage_key(spec: PipelineSpec, stage: str, inputs: dict[str, Any]) -> str:
    settings = getattr(spec, {"ingest": "source", "build": "task"}.get(stage, stage)).model_dump(mode="json")
    files = {name: _fingerprint(Path(value)) for name, value in settings.items() if isinstance(value, str) and
             name in ("path", "config", "criteria", "qa", "gates", "policy", "data_root")}  # fmt: skip
    body = json.dumps(
        {"stage": stage, "settings": settings, "files": files, "inputs": inputs}, sort_keys=True
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _cached(store: Store, name: str, stage: str, key: str) -> Job | None:
    with store.sessions() as session:
        jobs = session.scalars(
            select(Job).where(Job.kind == KIND, Job.state == "succeeded").order_by(Job.created_at.desc())
        )
        for job in jobs:
            payload = job.payload or {}
            if (
                payload.get("pipeline") == name
                and payload.get("stage") == stage
                and payload.get("key") == key
            ):
                return job
    return None


def run_stage_job(ctx: queue.JobContext) -> dict[str, Any]:
    """The job kind: run one stage from its payload."""
    spec = PipelineSpec.model_validate(ctx.payload["spec"])
    stage = ctx.payload["stage"]
    return STAGE_FUNCTIONS[stage](ctx.store, spec, ctx.payload["inputs"], ctx)



def run_pipeline(
    store: Store, spec: PipelineSpec, *, from_stage: str | None = None, on_event: Event | None = None
) -> PipelineResult:
    if from_stage is not None and from_stage not in STAGES:
        raise ConfigError(f"--from {from_stage}: no such stage; stages are {', '.join(STAGES)}")
    notify = on_event or (lambda _run: None)
    forced = STAGES.index(from_stage) if from_stage else len(STAGES)
    stages = [s for s in STAGES if s != "deploy" or spec.deploy.enabled]
    runs = [StageRun(stage, "pending") for stage in stages]
    inputs: dict[str, Any] = {}
    store.audit.append("pipeline.start", "pipeline", spec.name, {"from": from_stage})
    for index, (stage, run) in enumerate(zip(stages, runs, strict=True)):
        key = stage_key(spec, stage, inputs)
        cached = None if STAGES.index(stage) >= forced else _cached(store, spec.name, stage, key)
        if cached is not None and output_exists(store, cached.result or {}):
            run.state, run.job_id, run.output = "cached", cached.id, dict(cached.result or {})
            notify(run)
        else:
            run.state = "running"
            notify(run)
            if not _execute(store, spec, stage, key, inputs, run):
                for later in runs[index + 1 :]:
                    later.state = "skipped"
                notify(run)
                store.audit.append(
                    "pipeline.fail", "pipeline", spec.name, {"stage": stage, "job_id": run.job_id}
                )
                return PipelineResult(spec.name, False, runs)
            notify(run)
        inputs = {**inputs, stage: run.output}
    store.audit.append("pipeline.succeed", "pipeline", spec.name, {"stages": [r.state for r in runs]})
    return PipelineResult(spec.name, True, runs)


def _execute(
    store: Store, spec: PipelineSpec, stage: str, key: str, inputs: dict[str, Any], run: StageRun
) -> bool:
    payload = {
        "pipeline": spec.name,
        "stage": stage,
        "key": key,
        "inputs": inputs,
        "spec": spec.model_dump(mode="json"),
    }
    started = time.monotonic()
    try:
        job = queue.run_foreground(store, KIND, payload)
    except MedfoundryError as exc:
        run.state, run.error = "failed", exc.message
        return False
    run.job_id, run.duration_s = job.id, round(time.monotonic() - started, 2)
    if job.state != "succeeded":
        run.state, run.error = "failed", (job.error or job.state).strip().splitlines()[-1]
        return False
    run.state, run.output = "succeeded", dict(job.result or {})
    return True


def pipeline_status(store: Store, name: str) -> list[StageRun]:
    """Each stage's most recent job for this pipeline (state, duration, output)."""
    latest: dict[str, Job] = {}
    with store.sessions() as session:
        for job in session.scalars(select(Job).where(Job.kind == KIND).order_by(Job.created_at)):
            if (job.payload or {}).get("pipeline") == name:
                latest[job.payload["stage"]] = job
    if not latest:
        raise JobError(
            f"pipeline '{name}' has never run", hint="run it with 'medfoundry pipeline run SPEC.yaml'"
        )
    runs = []
    for stage in STAGES:
        found = latest.get(stage)
        if found is None:
            runs.append(StageRun(stage, "not run"))
            continue
        job = found
        duration = (
            (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else None
        )
        error = job.error.strip().splitlines()[-1] if job.error else None
        runs.append(StageRun(stage, queue.display_state(job, store.settings.job_stale_after_s), job.id,
                             dict(job.result or {}), duration, error))  # fmt: skip
    return runs
