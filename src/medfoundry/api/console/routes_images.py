"""Imaging: recorded drift reports (``medfoundry images drift``) with both windows plotted."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from medfoundry.api.console.web import CurrentUser, render, store_of
from medfoundry.store.database import Store
from medfoundry.store.models import Artifact

router = APIRouter()
LIMIT = 20
WIDTH, HEIGHT, PAD = 360.0, 260.0, 12.0


def scatter(points: dict[str, list[list[float]]]) -> dict[str, list[tuple[float, float]]]:
    """Points of both windows scaled into the SVG box (one scale for both, so they compare)."""
    every = [p for rows in points.values() for p in rows]
    if not every:
        return {name: [] for name in points}
    xs, ys = [p[0] for p in every], [p[1] for p in every]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def place(p: list[float]) -> tuple[float, float]:
        x = PAD + (p[0] - min(xs)) / span_x * (WIDTH - 2 * PAD)
        y = HEIGHT - PAD - (p[1] - min(ys)) / span_y * (HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    return {name: [place(p) for p in rows] for name, rows in points.items()}


def drift_reports(store: Store, limit: int = LIMIT) -> list[dict[str, Any]]:
    with store.sessions() as session:
        query = select(Artifact).where(Artifact.kind == "drift-report").order_by(Artifact.created_at.desc())
        rows = list(session.scalars(query.limit(limit)))
    reports = []
    for row in rows:
        document = json.loads(store.read_artifact(row.id))
        reports.append(
            {"id": row.id, "created_at": row.created_at, **document, "plot": scatter(document["points"])}
        )
    return reports


@router.get("/images", response_class=HTMLResponse)
async def images(request: Request, user: CurrentUser) -> HTMLResponse:
    reports = await run_in_threadpool(drift_reports, store_of(request))
    return render(request, "images.html", user, nav="images", reports=reports, width=WIDTH, height=HEIGHT)
