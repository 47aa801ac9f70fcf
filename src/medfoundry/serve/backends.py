"""The inference backend protocol and its registry (``transformers``, ``vllm``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from medfoundry.registry import Registry
from medfoundry.serve.types import Delta, SamplingParams
from medfoundry.store.database import Store
from medfoundry.store.models import Model


class BackendConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dtype: str = Field("auto", description="Weights dtype: auto, float32, bfloat16, float16.")
    device: str | None = Field(None, description="torch device (cpu, cuda); the backend picks when unset.")
    max_batch_size: int = Field(32, ge=1, description="Most requests generated together in one batch.")
    batch_wait_ms: float = Field(
        20.0, ge=0, description="A batch closes once no new request has arrived for this long."
    )
    batch_max_wait_ms: float = Field(
        100.0,
        ge=0,
        description="Longest a batch stays open while requests keep arriving or are being admitted.",
    )
    threads: int | None = Field(
        None, ge=1, description="CPU threads for torch (process-wide); 1 is steadiest on a busy shared CPU."
    )


@dataclass(frozen=True)
class ModelSpec:
    """One served name: a base model, optionally with a LoRA adapter on top."""

    name: str
    base: Model
    adapter: Model | None = None


class Backend(ABC):
    """Loads the models of every deployment once and generates text for them."""

    name: ClassVar[str]

    def __init__(self, config: BackendConfig) -> None:
        self.config = config

    @abstractmethod
    def load(self, store: Store, specs: list[ModelSpec]) -> None:
        """Load weights; adapters of one base share that base's weights."""

    @abstractmethod
    def tokenizer(self, name: str) -> Any:
        """The tokenizer used for the served name (chat templates, token counts)."""

    @abstractmethod
    def context_length(self, name: str) -> int:
        """Most tokens (prompt + completion) the model takes."""

    @abstractmethod
    def stream(self, name: str, prompt_ids: list[int], params: SamplingParams) -> AsyncIterator[Delta]:
        """Generate for one request; batched with concurrent requests by the backend."""

    def admit(self, name: str) -> Callable[[], None]:
        """Note that a request for ``name`` is being admitted (guardrails, tokenizing), so a
        batching backend can wait for it; call the result when it is submitted or dropped."""
        return _nothing

    def close(self) -> None:  # noqa: B027 - optional hook
        """Stop workers and free memory."""


def _nothing() -> None:
    return None


BACKENDS: Registry[type[Backend]] = Registry("inference backend")
BACKENDS.register("transformers", "medfoundry.serve.transformers_backend:TransformersBackend")
BACKENDS.register("vllm", "medfoundry.serve.vllm_backend:VLLMBackend")


def create_backend(name: str, config: BackendConfig | None = None) -> Backend:
    return BACKENDS.get(name)(config or BackendConfig())
