"""``/health`` (readiness) and ``/metrics`` (Prometheus text format)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from medfoundry.api.schemas import Health
from medfoundry.api.state import get_state

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=Health)
async def health(request: Request) -> Health:
    """Answers once the deployments are loaded and the server takes requests."""
    return Health(status="ok", deployments=sorted(get_state(request).runtime.deployments))


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
async def metrics(request: Request) -> Response:
    """Requests, tokens, latency histograms and guardrail actions, for Prometheus to scrape."""
    return Response(get_state(request).metrics.render(), media_type=CONTENT_TYPE_LATEST)
