"""The job queue: submit, claim exactly once, heartbeat, finish, cancel, retry.

Claiming is one conditional update (``... WHERE id = ? AND state = 'queued'``) inside
a write transaction, with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers
never run the same job. A running job heartbeats; one whose heartbeat is older than
``job_stale_after_s`` is stale (its worker died) and may be retried.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from medfoundry.errors import JobError, MedfoundryError, NotFound
from medfoundry.ids import new_id
from medfoundry.jobs.kinds import job_kinds
from medfoundry.store.database import Store
from medfoundry.store.db import write_transaction
from medfoundry.store.models import Job, JobMetric

logger = logging.getLogger(__name__)
TERMINAL_STATES = frozenset({"succeeded", "failed", "cancelled"})


class JobCancelled(Exception):
    """Raised inside a job when cancellation was requested."""


def now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite returns naive datetimes
        return value.replace(tzinfo=UTC)
    return value


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def is_stale(job: Job, stale_after_s: float) -> bool:
    heartbeat = _aware(job.heartbeat_at)
    return job.state == "running" and (
        heartbeat is None or now() - heartbeat > timedelta(seconds=stale_after_s)
    )


def display_state(job: Job, stale_after_s: float) -> str:
    return "stale" if is_stale(job, stale_after_s) else job.state


def submit(store: Store, kind: str, payload: dict[str, Any] | None = None) -> Job:
    job_kinds.get(kind)  # unknown kinds fail here, with "did you mean"
    job = Job(id=new_id("job"), kind=kind, state="queued", payload=payload or {}, progress={})
    with store.session() as session:
        session.add(job)
    store.audit.append("job.submit", "job", job.id, {"kind": kind})
    return job


def get(store: Store, job_id: str) -> Job:
    with store.sessions() as session:
        job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"no job with id {job_id}", hint="list jobs with 'medfoundry jobs list'")
    return job


def list_jobs(store: Store, *, state: str | None = None, limit: int = 50) -> list[Job]:
    query = select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
    if state and state != "stale":
        query = query.where(Job.state == state)
    with store.sessions() as session:
        jobs = list(session.scalars(query))
    if state == "stale":
        jobs = [job for job in jobs if is_stale(job, store.settings.job_stale_after_s)]
    return jobs


def claim(store: Store, worker: str, *, job_id: str | None = None) -> Job | None:
    """Take the oldest queued job (or ``job_id``) for ``worker``; None when there is none."""
    postgres = store.engine.dialect.name == "postgresql"
    for _ in range(20):
        with write_transaction(store.engine) as conn:
            candidate = select(Job.id).where(Job.state == "queued")
            if job_id:
                candidate = candidate.where(Job.id == job_id)
            candidate = candidate.order_by(Job.created_at, Job.id).limit(1)
            if postgres:
                candidate = candidate.with_for_update(skip_locked=True)
            chosen = conn.execute(candidate).scalar_one_or_none()
            if chosen is None:
                return None
            stamp = now()
            claimed = conn.execute(
                update(Job)
                .where(Job.id == chosen, Job.state == "queued")
                .values(
                    state="running",
                    worker=worker,
                    attempts=Job.attempts + 1,
                    started_at=stamp,
                    heartbeat_at=stamp,
                    error=None,
                )
            ).rowcount
        if claimed == 1:
            return get(store, chosen)
    return None


@dataclass
class JobContext:
    """What a running job sees: its payload, the store, progress and metric sinks."""

    store: Store
    job_id: str
    payload: dict[str, Any]
    worker: str
    attempt: int
    _cancel: threading.Event = field(default_factory=threading.Event)
    on_progress: Callable[[dict[str, Any]], None] | None = None

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise JobCancelled(self.job_id)

    def report_progress(self, progress: dict[str, Any]) -> None:
        with self.store.session() as session:
            session.execute(update(Job).where(Job.id == self.job_id).values(progress=progress))
        if self.on_progress:
            self.on_progress(progress)

    def log_metrics(self, step: int, metrics: dict[str, float]) -> None:
        with self.store.session() as session:
            for name, value in metrics.items():
                session.add(JobMetric(job_id=self.job_id, step=step, name=name, value=float(value)))


class _Heartbeat(threading.Thread):
    def __init__(self, store: Store, job_id: str, cancel: threading.Event) -> None:
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.store, self.job_id, self.cancel = store, job_id, cancel
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = self.store.settings.heartbeat_interval_s
        while not self.stopped.wait(interval):
            try:
                with self.store.session() as session:
                    session.execute(update(Job).where(Job.id == self.job_id).values(heartbeat_at=now()))
                    if session.scalar(select(Job.cancel_requested).where(Job.id == self.job_id)):
                        self.cancel.set()
            except Exception:  # a missed beat only makes the job look stale sooner
                logger.warning("heartbeat for job %s failed", self.job_id, exc_info=True)


def run_claimed(
    store: Store, job: Job, *, on_progress: Callable[[dict[str, Any]], None] | None = None
) -> Job:
    """Run a job this process has claimed, recording its outcome."""
    ctx = JobContext(store, job.id, dict(job.payload), job.worker or worker_name(), job.attempts)
    ctx.on_progress = on_progress
    beat = _Heartbeat(store, job.id, ctx._cancel)
    beat.start()
    state, result, error = "failed", None, None
    try:
        result = job_kinds.get(job.kind)(ctx)
        state = "succeeded"
    except JobCancelled:
        state, error = "cancelled", "cancelled on request"
    except MedfoundryError as exc:
        error = f"{type(exc).__name__}: {exc.message}"
    except Exception:
        error = traceback.format_exc(limit=20)
        logger.exception("job %s (%s) failed", job.id, job.kind)
    finally:
        beat.stopped.set()
        beat.join()
    with store.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(state=state, result=result, error=error, finished_at=now(), heartbeat_at=now())
        )
    store.audit.append(f"job.{state}", "job", job.id, {"kind": job.kind, "attempt": job.attempts})
    return get(store, job.id)


def run_foreground(
    store: Store,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> Job:
    """Submit a job and run it in this process right away."""
    job = submit(store, kind, payload)
    claimed = claim(store, worker_name(), job_id=job.id)
    if claimed is None:
        raise JobError(f"job {job.id} was taken by a worker before it could run here")
    return run_claimed(store, claimed, on_progress=on_progress)


def cancel(store: Store, job_id: str) -> Job:
    job = get(store, job_id)
    if job.state in TERMINAL_STATES:
        raise JobError(f"job {job_id} already {job.state}; nothing to cancel")
    with store.session() as session:
        if job.state == "queued":
            session.execute(update(Job).where(Job.id == job_id).values(state="cancelled", finished_at=now()))
        else:
            session.execute(update(Job).where(Job.id == job_id).values(cancel_requested=True))
    store.audit.append("job.cancel", "job", job_id, {"state_was": job.state})
    return get(store, job_id)


def retry(store: Store, job_id: str) -> Job:
    """Queue a failed, cancelled or stale job again."""
    job = get(store, job_id)
    stale = is_stale(job, store.settings.job_stale_after_s)
    if job.state in ("queued", "succeeded") or (job.state == "running" and not stale):
        raise JobError(
            f"job {job_id} is {job.state}; only failed, cancelled or stale jobs can be retried",
            hint="a running job becomes stale when its worker stops heartbeating",
        )
    with store.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == job.state)
            .values(state="queued", worker=None, cancel_requested=False, finished_at=None)
        )
    store.audit.append("job.retry", "job", job_id, {"state_was": "stale" if stale else job.state})
    return get(store, job_id)


def metrics(store: Store, job_id: str) -> list[JobMetric]:
    with store.sessions() as session:
        return list(
            session.scalars(select(JobMetric).where(JobMetric.job_id == job_id).order_by(JobMetric.id))
        )
