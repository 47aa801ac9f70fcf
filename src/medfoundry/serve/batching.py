"""Dynamic batching: requests that arrive together are generated together.

A worker thread, once a request is waiting, keeps the batch open while requests keep
coming: until nothing new has arrived for ``wait_s`` (counted from the last arrival, or
from when the previous batch finished if that is later), or longer while some are still
being admitted (``expect``: the API is running their guardrails and tokenizing them), but
never past ``max_wait_s``. So the clients of the batch that just finished, whose next
requests trickle in a few milliseconds apart, join the requests that queued up meanwhile
instead of the two halves taking turns as half-size batches. It then runs a compatible
group (same adapter, same sampling mode) as one batch; the rest wait for the next round.
With ``max_batch_size=1`` it serves one request at a time (the baseline the load
benchmark compares against).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from medfoundry.serve.types import Delta, SamplingParams

logger = logging.getLogger(__name__)
Emit = Callable[[Delta | BaseException], None]


@dataclass
class Pending:
    """One request waiting for, or in, a batch."""

    prompt_ids: list[int]
    params: SamplingParams
    adapter: str | None
    emit: Emit
    cancelled: threading.Event = field(default_factory=threading.Event)

    @property
    def key(self) -> Hashable:
        return (self.adapter, self.params.batch_key())


class BatchWorker:
    """Collects ``Pending`` requests and hands groups of them to ``run_batch`` on one thread."""

    def __init__(
        self,
        run_batch: Callable[[list[Pending]], None],
        *,
        max_batch_size: int,
        wait_s: float,
        name: str,
        max_wait_s: float = 0.0,
    ) -> None:
        self.run_batch = run_batch
        self.max_batch_size = max_batch_size
        self.wait_s = wait_s
        self.max_wait_s = max(max_wait_s, wait_s)
        self._expected = 0
        self._last_arrival = 0.0
        self._free_since = 0.0
        self._queue: deque[Pending] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self.batches = 0
        self.batched_requests = 0
        self._thread = threading.Thread(target=self._loop, name=f"batch-{name}", daemon=True)
        self._thread.start()

    def submit(self, item: Pending) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the batch worker is closed")
            self._queue.append(item)
            self._last_arrival = time.monotonic()
            self._cond.notify()

    def expect(self) -> Callable[[], None]:
        """Count a request on its way here; call the result once it is submitted or dropped."""
        with self._cond:
            self._expected += 1
        released = False

        def release() -> None:
            nonlocal released
            with self._cond:
                if not released:
                    released = True
                    self._expected -= 1
                    self._cond.notify()

        return release

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=10)

    def _next_group(self) -> list[Pending] | None:
        with self._cond:
            while not self._queue and not self._closed:
                self._cond.wait()
            if self._closed:
                return None
            cap = time.monotonic() + self.max_wait_s
            while len(self._queue) < self.max_batch_size and not self._closed:
                quiet = max(self._last_arrival, self._free_since) + self.wait_s
                left = (cap if self._expected > 0 else min(quiet, cap)) - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(timeout=left)
            live = [p for p in self._queue if not p.cancelled.is_set()]
            key = live[0].key if live else None
            group = [p for p in live if p.key == key][: self.max_batch_size]
            chosen = {id(p) for p in group}
            self._queue = deque(p for p in live if id(p) not in chosen)
            return group

    def _loop(self) -> None:
        while True:
            group = self._next_group()
            if group is None:
                return
            if not group:
                continue
            self.batches += 1
            self.batched_requests += len(group)
            try:
                self.run_batch(group)
            except Exception as exc:
                logger.exception("batch generation failed")
                for item in group:
                    item.emit(exc)
            with self._cond:
                self._free_since = time.monotonic()
