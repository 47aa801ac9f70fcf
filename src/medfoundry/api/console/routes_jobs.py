"""Jobs: list, detail with live progress over server-sent events, start a fine-tuning job, cancel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import select

from medfoundry.api.console.jobs_view import cli_command, form_values, job_view
from medfoundry.api.console.web import CurrentUser, FormUser, render, require_scope, store_of, templates
from medfoundry.dataset_versions import list_versions
from medfoundry.errors import MedfoundryError
from medfoundry.jobs import queue
from medfoundry.store.database import Store
from medfoundry.store.models import Model
from medfoundry.train.job import submit_training
from medfoundry.train.spec import build_spec

router = APIRouter()
POLL_S = 0.5


@router.get("/jobs", response_class=HTMLResponse)
async def jobs(request: Request, user: CurrentUser, state: str = "") -> HTMLResponse:
    store = store_of(request)
    rows = await run_in_threadpool(queue.list_jobs, store, state=state or None, limit=200)
    stale = store.settings.job_stale_after_s
    listed = [(job, queue.display_state(job, stale)) for job in rows]
    return render(request, "jobs.html", user, nav="jobs", jobs=listed, state=state)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job_page(request: Request, user: CurrentUser, job_id: str) -> HTMLResponse:
    view = await run_in_threadpool(job_view, store_of(request), job_id)
    return render(request, "job.html", user, nav="jobs", **view)


def _sse(event: str, html: str) -> bytes:
    data = "".join(f"data: {line}\n" for line in html.splitlines() or [""])
    return f"event: {event}\n{data}\n".encode()


@router.get("/jobs/{job_id}/events")
async def job_events(request: Request, user: CurrentUser, job_id: str) -> StreamingResponse:
    """``progress`` events (the live panel's HTML) until the job ends, then ``done``."""
    store = store_of(request)

    async def stream() -> AsyncIterator[bytes]:
        last: tuple[Any, ...] | None = None
        while not await request.is_disconnected():
            view = await run_in_threadpool(job_view, store, job_id)
            marker = (view["state"], view["step"], view["points"])
            if marker != last:
                last = marker
                html = templates.get_template("_job_live.html").render(view)
                yield _sse("progress", html)
            if view["terminal"]:
                yield _sse("done", "")
                return
            await asyncio.sleep(POLL_S)

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


def _choices(store: Store) -> dict[str, Any]:
    with store.sessions() as session:
        models = list(session.scalars(select(Model).order_by(Model.created_at.desc())))
    datasets = [(name, v) for name, v in list_versions(store, limit=500) if not v.phi]
    return {"models": models, "datasets": datasets}


def _preview(values: dict[str, Any]) -> dict[str, Any]:
    try:
        spec = build_spec(values, source="the form")
    except MedfoundryError as exc:
        return {"problems": exc.message.splitlines() or [exc.message], "command": "", "yaml": ""}
    return {"problems": [], "command": cli_command(spec, values), "yaml": spec.to_yaml()}


@router.get("/jobs-new", response_class=HTMLResponse)
async def new_job(request: Request, user: CurrentUser) -> HTMLResponse:
    require_scope(user, "deploy", "start training jobs")
    choices = await run_in_threadpool(_choices, store_of(request))
    return render(request, "job_new.html", user, nav="jobs", values={}, preview=None, **choices)


@router.post("/jobs-new/preview", response_class=HTMLResponse)
async def preview(request: Request, user: FormUser) -> HTMLResponse:
    values = form_values({k: str(v) for k, v in (await request.form()).items()})
    return render(request, "_job_preview.html", user, preview=_preview(values))


@router.post("/jobs-new", response_model=None)
async def start_job(request: Request, user: FormUser) -> Response:
    require_scope(user, "deploy", "start training jobs")
    store = store_of(request)
    values = form_values({k: str(v) for k, v in (await request.form()).items()})
    try:
        spec = build_spec(values, source="the form")
        job = await run_in_threadpool(submit_training, store, spec)
    except MedfoundryError as exc:
        choices = await run_in_threadpool(_choices, store)
        shown = {**_preview(values), "problems": [exc.message, *([exc.hint] if exc.hint else [])]}
        return render(request, "job_new.html", user, status_code=400, nav="jobs", values=values,
                      preview=shown, **choices)  # fmt: skip
    await run_in_threadpool(store.audit.append, "console.job_start", "job", job.id, {"kind": job.kind},
                            actor=user.actor)  # fmt: skip
    return RedirectResponse(f"/console/jobs/{job.id}", status_code=303)


@router.post("/jobs/{job_id}/cancel", response_model=None)
async def cancel_job(request: Request, user: FormUser, job_id: str) -> Response:
    require_scope(user, "deploy", "cancel jobs")
    store = store_of(request)
    try:
        await run_in_threadpool(queue.cancel, store, job_id)
    except MedfoundryError as exc:
        view = await run_in_threadpool(job_view, store, job_id)
        return render(request, "job.html", user, status_code=409, nav="jobs", error=exc.message, **view)
    await run_in_threadpool(store.audit.append, "console.job_cancel", "job", job_id, {}, actor=user.actor)
    return RedirectResponse(f"/console/jobs/{job_id}", status_code=303)
