"""The vLLM backend: continuous batching and multi-LoRA on a CUDA GPU.

Optional: it needs the ``gpu`` extra and a GPU. Where either is missing it fails at
construction with a clear ``BackendUnavailable``, never an ImportError trace. Each base
model gets one ``AsyncLLMEngine``; adapters of that base are ``LoRARequest``s on it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from typing import Any

from medfoundry.errors import MedfoundryError, NotFound
from medfoundry.serve.backends import Backend, BackendConfig, ModelSpec
from medfoundry.serve.types import Delta, SamplingParams
from medfoundry.store.database import Store


class BackendUnavailable(MedfoundryError):
    exit_code = 12
    http_status = 501


def _require_vllm() -> Any:
    try:
        import torch

        has_gpu = torch.cuda.is_available()
    except ImportError:
        has_gpu = False
    if not has_gpu:
        raise BackendUnavailable(
            "the vllm backend needs a CUDA GPU, and none is available on this machine",
            hint="serve with --backend transformers (the default), or run on a GPU machine",
        )
    try:
        import vllm
    except ImportError as exc:
        raise BackendUnavailable(
            f"the vllm backend needs the 'vllm' package, which cannot be imported here ({type(exc).__name__})",
            hint='install it with: pip install "medfoundry[gpu]", or serve with --backend transformers',
        ) from None
    return vllm


class VLLMBackend(Backend):
    name = "vllm"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.vllm = _require_vllm()
        self.engines: dict[str, Any] = {}
        self.routes: dict[str, tuple[Any, Any]] = {}  # name → (engine, LoRARequest | None)
        self._lora_ids = itertools.count(1)

    def load(self, store: Store, specs: list[ModelSpec]) -> None:
        from vllm.lora.request import LoRARequest

        wants_lora = {spec.base.location for spec in specs if spec.adapter is not None}
        for spec in specs:
            engine = self.engines.get(spec.base.location)
            if engine is None:
                args = self.vllm.AsyncEngineArgs(
                    model=spec.base.location,
                    dtype=self.config.dtype,
                    enable_lora=spec.base.location in wants_lora,
                    max_num_seqs=self.config.max_batch_size,
                )
                engine = self.vllm.AsyncLLMEngine.from_engine_args(args)
                self.engines[spec.base.location] = engine
            lora = None
            if spec.adapter is not None:
                lora = LoRARequest(spec.name, next(self._lora_ids), spec.adapter.location)
            self.routes[spec.name] = (engine, lora)

    def _route(self, name: str) -> tuple[Any, Any]:
        try:
            return self.routes[name]
        except KeyError:
            raise NotFound(f"no model named '{name}' is loaded") from None

    def tokenizer(self, name: str) -> Any:
        engine, _ = self._route(name)
        return engine.engine.tokenizer.tokenizer if hasattr(engine, "engine") else engine.get_tokenizer()

    def context_length(self, name: str) -> int:
        engine, _ = self._route(name)
        return int(engine.engine.model_config.max_model_len)

    async def stream(self, name: str, prompt_ids: list[int], params: SamplingParams) -> AsyncIterator[Delta]:
        engine, lora = self._route(name)
        sampling = self.vllm.SamplingParams(
            max_tokens=params.max_tokens,
            temperature=params.temperature,
            top_p=params.top_p,
            stop=list(params.stop) or None,
            seed=params.seed,
        )
        prompt = {"prompt_token_ids": prompt_ids}
        sent = 0
        async for output in engine.generate(prompt, sampling, uuid.uuid4().hex, lora_request=lora):
            completion = output.outputs[0]
            finish = completion.finish_reason if output.finished else None
            yield Delta(
                completion.text[sent:], len(completion.token_ids), "stop" if finish == "abort" else finish
            )
            sent = len(completion.text)
            if output.finished:
                return

    def close(self) -> None:
        self.engines.clear()
        self.routes.clear()
