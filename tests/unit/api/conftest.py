from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from medfoundry.api import ServeConfig, create_app
from medfoundry.serve.backends import BackendConfig
from medfoundry.store.database import Store
from tests.unit.serve.helpers import deploy_tiny, new_key


@dataclass
class Served:
    client: TestClient
    store: Store
    key: str

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.key}"}

    def chat(self, content: str, model: str = "tiny", **extra: object) -> dict:
        body = {"model": model, "messages": [{"role": "user", "content": content}], "max_tokens": 8, **extra}
        return self.client.post("/v1/chat/completions", json=body, headers=self.headers())


def make_config(**overrides: object) -> ServeConfig:
    values: dict[str, object] = {
        "max_tokens_limit": 32,
        "default_max_tokens": 8,
        "rate_limit_per_minute": 0,
        "engine": BackendConfig(batch_wait_ms=2, dtype="float32"),
        **overrides,
    }
    return ServeConfig.model_validate(values)


@pytest.fixture
def served(store: Store, tiny_model_dir: Path) -> Iterator[Served]:
    deploy_tiny(store, tiny_model_dir, "tiny", "default")
    deploy_tiny(store, tiny_model_dir, "strict", "strict-no-phi")
    deploy_tiny(store, tiny_model_dir, "clinic", "clinician")
    app = create_app(store, config=make_config())
    with TestClient(app) as client:
        yield Served(client, store, new_key(store, scope="invoke"))
