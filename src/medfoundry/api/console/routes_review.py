"""The review queue: list and filter tasks, review one side by side, approve/edit/reject, quality numbers.

Listing needs ``viewer`` (metadata only); reading a task's text and deciding need ``reviewer``
(or admin). Every view of a task's text and every decision is audited, without the text.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medfoundry.api.console.review_view import chart_series, word_diff
from medfoundry.api.console.web import CurrentUser, FormUser, User, render, require_scope, store_of
from medfoundry.errors import InputError, MedfoundryError
from medfoundry.review import tasks as review
from medfoundry.review.stats import review_stats
from medfoundry.review.tasks import ReviewConflict

router = APIRouter()
FILTERS = ("status", "deployment", "source", "reason")


@router.get("/review", response_class=HTMLResponse)
async def queue(request: Request, user: CurrentUser, status: str = "pending", deployment: str = "",
                source: str = "", reason: str = "") -> HTMLResponse:  # fmt: skip
    store = store_of(request)
    deployment = user.key.deployment or deployment  # a key limited to a deployment sees only its tasks
    try:
        rows = await run_in_threadpool(lambda: review.list_tasks(
            store, status=status or None, deployment=deployment or None, source=source or None, reason=reason or None))  # fmt: skip
    except InputError as exc:
        raise HTTPException(422, exc.message) from None
    filters = {"status": status, "deployment": deployment, "source": source, "reason": reason}
    return render(request, "review_queue.html", user, nav="review", tasks=[review.task_summary(t) for t in rows],
                  filters=filters, statuses=review.STATUSES, sources=review.SOURCES)  # fmt: skip


@router.post("/review/next", response_model=None)
async def next_task(request: Request, user: FormUser) -> Response:
    require_scope(user, "reviewer", "review outputs")
    store = store_of(request)
    task = await run_in_threadpool(lambda: review.claim_next(store, user.actor, deployment=user.key.deployment))
    if task is None:
        return RedirectResponse("/console/review?empty=1", status_code=303)
    return RedirectResponse(f"/console/review/{task.id}", status_code=303)


def _task_for(user: User, store: Any, task_id: str) -> review.ReviewTask:
    task = review.get_task(store, task_id)
    if user.key.deployment and task.deployment_name != user.key.deployment:
        raise HTTPException(403, f"Your API key is limited to the deployment '{user.key.deployment}'.")
    return task


def _detail(user: User, store: Any, task_id: str) -> dict[str, Any]:
    task = _task_for(user, store, task_id)
    store.audit.append("review.view", "review_task", task_id, {}, actor=user.actor)
    detail = review.task_detail(store, task)
    original = str(detail["content"]["output"])
    for decision in detail["decisions"]:
        decision["diff"] = word_diff(original, decision["edited"]) if decision["edited"] else None
    return detail


async def _task_page(request: Request, user: User, task_id: str, status_code: int = 200, **extra: Any) -> HTMLResponse:
    require_scope(user, "reviewer", "read review tasks")
    store = store_of(request)
    try:
        detail = await run_in_threadpool(_detail, user, store, task_id)
    except MedfoundryError as exc:
        raise HTTPException(404, exc.message) from None
    held_by_other = bool(detail["claimed_by"]) and detail["claimed_by"] != user.actor
    mine = any(d["reviewer"] == user.actor for d in detail["decisions"])
    return render(request, "review_task.html", user, status_code=status_code, nav="review", task=detail,
                  held_by_other=held_by_other, reviewed_by_me=mine, **extra)  # fmt: skip


@router.get("/review/{task_id}", response_class=HTMLResponse)
async def task_page(request: Request, user: CurrentUser, task_id: str) -> HTMLResponse:
    return await _task_page(request, user, task_id)


@router.post("/review/{task_id}/decide", response_model=None)
async def decide(
    request: Request,
    user: FormUser,
    task_id: str,
    verdict: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    edited: Annotated[str, Form()] = "",
) -> Response:
    """Approve, edit or reject; then on to the next task (or back to this one, showing why not)."""
    require_scope(user, "reviewer", "review outputs")
    store = store_of(request)
    text = edited.replace("\r\n", "\n") if edited.strip() else None
    try:
        await run_in_threadpool(_task_for, user, store, task_id)
    except MedfoundryError as exc:
        raise HTTPException(404, exc.message) from None
    try:
        await run_in_threadpool(lambda: review.decide(
            store, task_id, user.actor, verdict, reason=reason or None if verdict == "rejected" else None,
            edited=text if verdict in ("edited", "rejected") else None))  # fmt: skip
    except ReviewConflict as exc:
        return await _task_page(request, user, task_id, status_code=409, problem=exc.message)
    except InputError as exc:
        return await _task_page(request, user, task_id, status_code=422, problem=f"{exc.message}. {exc.hint or ''}")
    return RedirectResponse(f"/console/review?decided={task_id}&verdict={verdict}", status_code=303)


@router.get("/review-quality", response_class=HTMLResponse)
async def quality(request: Request, user: CurrentUser, deployment: str = "") -> HTMLResponse:
    deployment = user.key.deployment or deployment
    numbers = await run_in_threadpool(lambda: review_stats(store_of(request), deployment=deployment or None))
    series = chart_series(numbers["by_day"])
    return render(request, "review_quality.html", user, nav="review", stats=numbers, deployment=deployment,
                  series_json=json.dumps(series))  # fmt: skip
