"""The default backend: Hugging Face transformers on CPU or GPU, with dynamic batching.

Deployments on one base model share one copy of its weights: LoRA adapters load into
one ``PeftModel`` under their deployment name and each batch ``set_adapter``s its own
(batches are grouped by adapter); the bare base runs with the adapters disabled.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from medfoundry.catalog.loading import load_model
from medfoundry.errors import DependencyMissing, NotFound
from medfoundry.serve.backends import Backend, BackendConfig, ModelSpec
from medfoundry.serve.batching import BatchWorker, Pending
from medfoundry.serve.decoding import run_generation
from medfoundry.serve.types import Delta, SamplingParams
from medfoundry.store.database import Store

logger = logging.getLogger(__name__)


@dataclass
class BaseGroup:
    """One copy of base weights and the served names (adapters or the bare base) on it."""

    location: str
    model: Any
    tokenizer: Any
    device: str
    adapters: dict[str, str] = field(default_factory=dict)  # served name → adapter dir
    worker: BatchWorker | None = None

    @property
    def has_peft(self) -> bool:
        return bool(self.adapters)


class TransformersBackend(Backend):
    name = "transformers"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.groups: dict[str, BaseGroup] = {}
        self.routes: dict[str, tuple[BaseGroup, str | None]] = {}

    def load(self, store: Store, specs: list[ModelSpec]) -> None:
        try:
            import torch
        except ImportError as exc:
            raise DependencyMissing("torch", extra="ml", feature="the transformers backend") from exc
        device = self.config.device or ("cuda" if torch.cuda.is_available() else "cpu")
        if self.config.threads:
            torch.set_num_threads(self.config.threads)
        for spec in specs:
            group = self.groups.get(spec.base.location)
            if group is None:
                loaded = load_model(store, spec.base, dtype=self.config.dtype, device=device)
                loaded.tokenizer.padding_side = "left"
                group = BaseGroup(spec.base.location, loaded.model, loaded.tokenizer, device)
                self.groups[spec.base.location] = group
            if spec.adapter is not None:
                self._add_adapter(group, spec.name, spec.adapter.location)
            self.routes[spec.name] = (group, spec.name if spec.adapter is not None else None)
        for group in self.groups.values():
            group.model.eval()
            group.worker = BatchWorker(
                functools.partial(self._run, group),
                max_batch_size=self.config.max_batch_size,
                wait_s=self.config.batch_wait_ms / 1000,
                max_wait_s=self.config.batch_max_wait_ms / 1000,
                name=group.location.rsplit("/", 1)[-1],
            )
        logger.info("loaded %d served names on %d base models", len(self.routes), len(self.groups))

    def _add_adapter(self, group: BaseGroup, name: str, location: str) -> None:
        try:
            from peft import PeftModel
        except ImportError as exc:
            raise DependencyMissing("peft", extra="ml", feature="serving LoRA adapters") from exc
        if not group.has_peft:
            group.model = PeftModel.from_pretrained(group.model, location, adapter_name=name)
        else:
            group.model.load_adapter(location, adapter_name=name)
        group.adapters[name] = location

    def _route(self, name: str) -> tuple[BaseGroup, str | None]:
        try:
            return self.routes[name]
        except KeyError:
            raise NotFound(f"no model named '{name}' is loaded") from None

    def tokenizer(self, name: str) -> Any:
        return self._route(name)[0].tokenizer

    def context_length(self, name: str) -> int:
        config = self._route(name)[0].model.config
        return int(getattr(config, "max_position_embeddings", 2048))

    def _run(self, group: BaseGroup, items: list[Pending]) -> None:
        adapter = items[0].adapter
        scope: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        if group.has_peft:
            if adapter is None:
                scope = group.model.disable_adapter()
            else:
                group.model.set_adapter(adapter)
        with scope:
            run_generation(group.model, group.tokenizer, items, device=group.device)

    def admit(self, name: str) -> Callable[[], None]:
        worker = self._route(name)[0].worker
        assert worker is not None
        return worker.expect()

    async def stream(self, name: str, prompt_ids: list[int], params: SamplingParams) -> AsyncIterator[Delta]:
        group, adapter = self._route(name)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Delta | BaseException] = asyncio.Queue()

        def emit(event: Delta | BaseException) -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed: the client is gone
                loop.call_soon_threadsafe(queue.put_nowait, event)

        item = Pending(prompt_ids, params, adapter, emit)
        assert group.worker is not None
        group.worker.submit(item)
        try:
            while True:
                event = await queue.get()
                if isinstance(event, BaseException):
                    raise event
                yield event
                if event.finish_reason:
                    return
        finally:
            item.cancelled.set()

    def close(self) -> None:
        for group in self.groups.values():
            if group.worker:
                group.worker.close()
        self.groups.clear()
        self.routes.clear()
