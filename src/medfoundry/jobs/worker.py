"""``medfoundry worker``: claim and run queued jobs until told to stop."""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass
from types import FrameType

from medfoundry.jobs import queue
from medfoundry.store.database import Store

logger = logging.getLogger(__name__)


@dataclass
class WorkerStats:
    worker: str
    ran: int = 0
    succeeded: int = 0
    failed: int = 0


def run_worker(
    store: Store,
    *,
    drain: bool = False,
    max_jobs: int | None = None,
    poll_interval_s: float = 1.0,
    stop: threading.Event | None = None,
) -> WorkerStats:
    """Run jobs one at a time. ``drain`` stops when the queue is empty."""
    stop = stop or threading.Event()
    stats = WorkerStats(worker=queue.worker_name())
    _stop_on_signals(stop)
    while not stop.is_set():
        job = queue.claim(store, stats.worker)
        if job is None:
            if drain:
                break
            stop.wait(poll_interval_s)
            continue
        logger.info("running job %s (%s)", job.id, job.kind)
        finished = queue.run_claimed(store, job)
        stats.ran += 1
        if finished.state == "succeeded":
            stats.succeeded += 1
        else:
            stats.failed += 1
        if max_jobs is not None and stats.ran >= max_jobs:
            break
    return stats


def _stop_on_signals(stop: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def wait_for(store: Store, job_id: str, timeout_s: float = 60.0) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = queue.get(store, job_id).state
        if state in queue.TERMINAL_STATES:
            return state
        time.sleep(0.2)
    return queue.get(store, job_id).state
