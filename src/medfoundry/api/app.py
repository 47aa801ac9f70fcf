"""The app factory. Other routers (management, the web console) are added the same way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from medfoundry.api import console, routes_health, routes_images, routes_openai, routes_review
from medfoundry.api.config import ServeConfig
from medfoundry.api.errors import install_handlers
from medfoundry.api.limits import BodyLimitMiddleware, RateLimiter
from medfoundry.api.metrics import Metrics
from medfoundry.api.state import AppState
from medfoundry.deid.lexicon import warm as warm_lexicon
from medfoundry.pipeline import kinds as _job_kinds  # noqa: F401  (the stage job kinds)
from medfoundry.serve.runtime import Runtime
from medfoundry.store.database import Store
from medfoundry.version import code_version


def create_app(
    store: Store,
    *,
    config: ServeConfig | None = None,
    runtime: Runtime | None = None,
    close_runtime: bool = True,
) -> FastAPI:
    """An app serving ``runtime`` (built from the store's active deployments when not given)."""
    config = config or ServeConfig()
    runtime = runtime or Runtime.from_store(store, backend=config.backend, config=config.engine)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(warm_lexicon)  # the PHI word lists load now, not on the first request
        yield
        if close_runtime:
            runtime.close()

    app = FastAPI(
        title="medfoundry",
        version=code_version(),
        description="OpenAI-compatible API over medfoundry deployments, with healthcare guardrails.",
        lifespan=lifespan,
    )
    app.state.medfoundry = AppState(
        store, runtime, config, Metrics(), RateLimiter(config.rate_limit_per_minute)
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=config.max_body_bytes)
    install_handlers(app)
    app.include_router(routes_health.router)
    app.include_router(routes_openai.router)
    app.include_router(routes_review.router)
    app.include_router(routes_images.router)
    app.include_router(console.router)
    app.mount("/console/static", StaticFiles(directory=console.STATIC_DIR), name="console-static")
    return app
