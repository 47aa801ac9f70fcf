"""Dynamic batching: concurrent requests share batches; batch size 1 serves one at a time."""

from __future__ import annotations

import threading
import time

import pytest

from medfoundry.serve.batching import BatchWorker, Pending
from medfoundry.serve.types import Delta, SamplingParams


def run(max_batch_size: int, items: list[Pending]) -> list[list[Pending]]:
    """Submit ``items`` as concurrent requests do: every one is announced (``expect``) before
    the first arrives, so the worker's first batch waits for them all, whatever the timing."""
    batches: list[list[Pending]] = []
    done = threading.Event()

    def run_batch(group: list[Pending]) -> None:
        batches.append(group)
        if sum(len(b) for b in batches) == len(items):
            done.set()

    worker = BatchWorker(run_batch, max_batch_size=max_batch_size, wait_s=0.01, max_wait_s=30.0, name="t")
    admissions = [worker.expect() for _ in items]
    for item, admitted in zip(items, admissions, strict=True):
        worker.submit(item)
        admitted()
    assert done.wait(30)
    worker.close()
    return batches


def pending(adapter: str | None = None, temperature: float = 0.0) -> Pending:
    return Pending([1, 2], SamplingParams(max_tokens=2, temperature=temperature), adapter, lambda e: None)


def test_concurrent_requests_are_batched() -> None:
    batches = run(8, [pending() for _ in range(16)])
    assert [len(b) for b in batches] == [8, 8]


def test_batch_size_one_is_one_at_a_time() -> None:
    batches = run(1, [pending() for _ in range(5)])
    assert [len(b) for b in batches] == [1] * 5


def test_batches_never_mix_adapters_or_sampling_modes() -> None:
    items = [pending("a"), pending("b"), pending("a"), pending(None), pending("a", temperature=0.7)]
    batches = run(8, items)
    for batch in batches:
        assert len({p.key for p in batch}) == 1
    assert sorted(len(b) for b in batches) == [1, 1, 1, 2]


def test_cancelled_requests_are_dropped_and_failures_reach_every_request() -> None:
    errors: list[object] = []
    cancelled = pending()
    cancelled.cancelled.set()
    seen = threading.Event()

    def failing(group: list[Pending]) -> None:
        raise RuntimeError("boom")

    worker = BatchWorker(failing, max_batch_size=4, wait_s=0.01, name="f")
    live = Pending([1], SamplingParams(), None, lambda e: (errors.append(e), seen.set()))
    worker.submit(cancelled)
    worker.submit(live)
    assert seen.wait(5)
    worker.close()
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError)
    assert not isinstance(errors[0], Delta)


def _batches_with_late_arrival(expect_it: bool) -> list[int]:
    """One request queued while a second is still 'in admission', then the second arrives."""
    sizes: list[int] = []
    first_ran, done = threading.Event(), threading.Event()

    def run_batch(group: list[Pending]) -> None:
        sizes.append(len(group))
        first_ran.set()
        if sum(sizes) == 2:
            done.set()

    worker = BatchWorker(run_batch, max_batch_size=8, wait_s=0.01, max_wait_s=30.0, name="a")
    release = worker.expect() if expect_it else (lambda: None)
    worker.submit(pending())
    if expect_it:
        assert not first_ran.wait(0.15)  # far past wait_s: the batch waits for the admission
    else:
        assert first_ran.wait(30)  # nothing announced: the batch closes after wait_s
    release()
    worker.submit(pending())
    assert done.wait(30)
    worker.close()
    return sizes


def test_a_batch_waits_for_requests_still_being_admitted() -> None:
    assert _batches_with_late_arrival(expect_it=True) == [2]
    assert _batches_with_late_arrival(expect_it=False) == [1, 1]


def test_released_admissions_stop_the_wait_and_release_counts_once() -> None:
    ran = threading.Event()
    worker = BatchWorker(lambda g: ran.set(), max_batch_size=8, wait_s=0.01, max_wait_s=30.0, name="d")
    refused = worker.expect()
    refused()
    refused()  # a second call must not cancel out another request's admission
    waiting_for = worker.expect()
    worker.submit(pending())
    assert not ran.wait(0.3)  # still waiting for the admitted request
    waiting_for()
    assert ran.wait(5)
    worker.close()


@pytest.mark.slow
def test_a_batch_stays_open_while_requests_keep_arriving_up_to_its_cap() -> None:
    sizes: list[int] = []
    ran = threading.Semaphore(0)

    def run_batch(group: list[Pending]) -> None:
        sizes.append(len(group))
        ran.release()

    worker = BatchWorker(run_batch, max_batch_size=64, wait_s=0.05, max_wait_s=0.4, name="q")
    for _ in range(6):  # 10 ms apart: each arrival keeps the 50 ms window open
        worker.submit(pending())
        time.sleep(0.01)
    assert ran.acquire(timeout=30)
    assert sizes == [6]
    for _ in range(40):  # 20 ms apart for 0.8 s: the 0.4 s cap closes the batch midway
        worker.submit(pending())
        time.sleep(0.02)
    while sum(sizes) < 46:
        assert ran.acquire(timeout=30)
    worker.close()
    assert len(sizes) >= 3 and sum(sizes) == 46
