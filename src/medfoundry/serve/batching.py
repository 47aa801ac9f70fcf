"""Dynamic batching: requests that arrive together are generated together.

A worker thread, once free, waits up to ``wait_s`` for the queue to fill (timed from
when it became free, so the clients of the batch that just finished can rejoin the
next one instead of the queue splitting into half-size batches), then runs a compatible group (same adapter, same sampling mode) as one
batch; the rest wait for the next round. With ``max_batch_size=1`` it serves one
request at a time (the baseline the load benchmark compares against).
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
        self, run_batch: Callable[[list[Pending]], None], *, max_batch_size: int, wait_s: float, name: str
    ) -> None:
        self.run_batch = run_batch
        self.max_batch_size = max_batch_size
        self.wait_s = wait_s
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
            self._cond.notify()

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
            deadline = time.monotonic() + self.wait_s
            while len(self._queue) < self.max_batch_size and not self._closed:
                left = deadline - time.monotonic()
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
