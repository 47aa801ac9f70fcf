from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from medfoundry.errors import JobError, NotFound
from medfoundry.jobs import queue
from medfoundry.jobs.kinds import job_kinds
from medfoundry.jobs.worker import run_worker
from medfoundry.store.database import Store


def test_foreground_run_succeeds_and_is_audited(store: Store) -> None:
    job = queue.run_foreground(store, "noop", {"seconds": 0})
    assert (
        job.state == "succeeded"
        and job.attempts == 1
        and job.result == {"slept_s": 0.0, "worker": job.worker}
    )
    actions = [e.action for e in store.audit.tail(10, object_id=job.id)]
    assert actions == ["job.submit", "job.noop.ran", "job.succeeded"]


def test_unknown_kind_is_refused_with_a_suggestion(store: Store) -> None:
    with pytest.raises(NotFound, match="did you mean 'noop'"):
        queue.submit(store, "nop")


def test_a_failing_job_records_its_error(store: Store) -> None:
    def explode(ctx: queue.JobContext) -> dict[str, object]:
        raise ValueError("boom")

    job_kinds.register("test-explode", explode, replace=True)
    job = queue.run_foreground(store, "test-explode")
    assert job.state == "failed" and "ValueError: boom" in (job.error or "")
    assert queue.retry(store, job.id).state == "queued"


def test_a_queued_job_can_be_cancelled_but_not_twice(store: Store) -> None:
    job = queue.submit(store, "noop")
    assert queue.cancel(store, job.id).state == "cancelled"
    with pytest.raises(JobError):
        queue.cancel(store, job.id)
    assert queue.claim(store, "w") is None


def test_a_succeeded_job_cannot_be_retried(store: Store) -> None:
    job = queue.run_foreground(store, "noop")
    with pytest.raises(JobError, match="only failed, cancelled or stale"):
        queue.retry(store, job.id)


def test_in_process_worker_drains_in_order(store: Store) -> None:
    ids = [queue.submit(store, "noop").id for _ in range(3)]
    stats = run_worker(store, drain=True)
    assert stats.ran == 3 and stats.succeeded == 3
    assert [queue.get(store, i).state for i in ids] == ["succeeded"] * 3


def _worker_process(extra_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, **(extra_env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "medfoundry", "worker", "--drain", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_workers_run_each_of_100_jobs_exactly_once(any_store: Store) -> None:
    ids = [queue.submit(any_store, "noop").id for _ in range(100)]
    workers = [_worker_process() for _ in range(2)]
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    runs = Counter(e.object_id for e in any_store.audit.iter_events() if e.action == "job.noop.ran")
    assert set(runs) == set(ids)
    assert set(runs.values()) == {1}
    jobs = [queue.get(any_store, i) for i in ids]
    assert {j.state for j in jobs} == {"succeeded"} and {j.attempts for j in jobs} == {1}
    assert len({j.worker for j in jobs}) == 2, "both workers should have taken jobs"


@pytest.mark.slow
def test_a_killed_worker_leaves_a_stale_job_that_can_be_retried(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = queue.submit(store, "noop", {"seconds": 60})
    worker = _worker_process({"MEDFOUNDRY_HEARTBEAT_INTERVAL_S": "0.2"})
    deadline = time.monotonic() + 60
    while queue.get(store, job.id).state != "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)

    assert queue.get(store, job.id).state == "running"
    # The worker is dead, so its last heartbeat only ages: with a 1 ms threshold the job is
    # stale by the time we look (no sleep), while a live job would still be "running" above.
    monkeypatch.setenv("MEDFOUNDRY_JOB_STALE_AFTER_S", "0.001")
    stale_store = Store()
    try:
        assert queue.display_state(queue.get(stale_store, job.id), 0.001) == "stale"
        assert [j.id for j in queue.list_jobs(stale_store, state="stale")] == [job.id]
        retried = queue.retry(stale_store, job.id)
        assert retried.state == "queued"
        claimed = queue.claim(stale_store, "second-worker")
        assert claimed is not None and claimed.id == job.id and claimed.attempts == 2
    finally:
        stale_store.close()


def test_a_live_running_job_cannot_be_retried(store: Store) -> None:
    job = queue.submit(store, "noop")
    queue.claim(store, "w")
    with pytest.raises(JobError, match="is running"):
        queue.retry(store, job.id)
