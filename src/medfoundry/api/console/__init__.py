"""The web console: server-rendered pages over the same stage functions the CLI calls.

``create_app`` adds ``router`` and mounts ``STATIC_DIR`` at ``/console/static``.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from medfoundry.api.console import (
    routes_audit,
    routes_auth,
    routes_catalog,
    routes_data,
    routes_deploy,
    routes_evals,
    routes_images,
    routes_jobs,
    routes_playground,
    routes_review,
)
from medfoundry.api.console.web import STATIC_DIR

router = APIRouter(include_in_schema=False)
_pages = APIRouter(prefix="/console")
for module in (
    routes_auth,
    routes_catalog,
    routes_data,
    routes_jobs,
    routes_evals,
    routes_deploy,
    routes_audit,
    routes_playground,
    routes_review,
    routes_images,
):
    _pages.include_router(module.router)
router.include_router(_pages)


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=307)


__all__ = ["STATIC_DIR", "router"]
