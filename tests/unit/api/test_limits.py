"""Body size (413) and per-key rate limits (429 with Retry-After)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from medfoundry.api import create_app
from medfoundry.api.limits import RateLimiter
from medfoundry.store.database import Store
from tests.unit.api.conftest import make_config
from tests.unit.serve.helpers import deploy_tiny, new_key


def test_rate_limiter_refills() -> None:
    limiter = RateLimiter(per_minute=2)
    assert limiter.acquire("a") is None and limiter.acquire("a") is None
    wait = limiter.acquire("a")
    assert wait is not None and wait >= 1
    assert limiter.acquire("b") is None  # per key


@pytest.mark.slow
def test_rate_limit_and_body_limit_over_http(store: Store, tiny_model_dir: Path) -> None:
    deploy_tiny(store, tiny_model_dir, "tiny", "default")
    app = create_app(store, config=make_config(rate_limit_per_minute=2, max_body_bytes=2048))
    key = new_key(store)
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(app) as client:
        assert client.get("/v1/models", headers=headers).status_code == 200
        assert client.get("/v1/models", headers=headers).status_code == 200
        limited = client.get("/v1/models", headers=headers)
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["error"]["type"] == "rate_limit_error"
        other = new_key(store)
        body = {"model": "tiny", "messages": [{"role": "user", "content": "x" * 5000}]}
        big = client.post("/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {other}"})
        assert big.status_code == 413
        assert big.json()["error"]["code"] == "request_too_large"
