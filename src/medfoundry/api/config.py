"""Server settings (``medfoundry serve`` flags map onto these)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from medfoundry.serve.backends import BackendConfig


class ServeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field("127.0.0.1", description="Interface to listen on.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port (0 picks a free one).")
    backend: str = Field("transformers", description="Inference backend: transformers or vllm.")
    engine: BackendConfig = Field(
        default_factory=BackendConfig, description="Backend options (batching, dtype)."
    )
    max_body_bytes: int = Field(1_000_000, ge=1024, description="Larger request bodies get 413.")
    rate_limit_per_minute: int = Field(
        600, ge=0, description="Requests per API key per minute; 0 is unlimited."
    )
    max_tokens_limit: int = Field(1024, ge=1, description="Largest max_tokens a request may ask for.")
    default_max_tokens: int = Field(256, ge=1, description="max_tokens when a request does not say.")
    request_timeout_s: float = Field(120.0, gt=0, description="A generation running longer fails with 504.")
    max_prompts: int = Field(16, ge=1, description="Most prompts in one /v1/completions request.")
