"""Dynamic batching: concurrent requests share batches; batch size 1 serves one at a time."""

from __future__ import annotations

import threading
import time

from medfoundry.serve.batching import BatchWorker, Pending
from medfoundry.serve.types import Delta, SamplingParams


def run(max_batch_size: int, items: list[Pending]) -> list[list[Pending]]:
    batches: list[list[Pending]] = []
    done = threading.Event()

    def run_batch(group: list[Pending]) -> None:
        time.sleep(0.02)  # stand-in for a forward pass, so requests pile up
        batches.append(group)
        if sum(len(b) for b in batches) == len(items):
            done.set()

    worker = BatchWorker(run_batch, max_batch_size=max_batch_size, wait_s=0.01, name="t")
    for item in items:
        worker.submit(item)
    assert done.wait(5)
    worker.close()
    return batches


def pending(adapter: str | None = None, temperature: float = 0.0) -> Pending:
    return Pending([1, 2], SamplingParams(max_tokens=2, temperature=temperature), adapter, lambda e: None)


def test_concurrent_requests_are_batched() -> None:
    batches = run(8, [pending() for _ in range(16)])
    assert len(batches) <= 4 and max(len(b) for b in batches) == 8


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
