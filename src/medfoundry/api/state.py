"""What every route needs: the store, the runtime, settings, metrics and the rate limiter."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from medfoundry.api.config import ServeConfig
from medfoundry.api.limits import RateLimiter
from medfoundry.api.metrics import Metrics
from medfoundry.serve.runtime import Runtime
from medfoundry.store.database import Store


@dataclass
class AppState:
    store: Store
    runtime: Runtime
    config: ServeConfig
    metrics: Metrics
    limiter: RateLimiter


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.medfoundry
    return state
