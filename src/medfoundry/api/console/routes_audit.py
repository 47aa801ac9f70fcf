"""Audit: the hash-chained event log with filters, and a "verify chain" action."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from medfoundry.api.console.web import CurrentUser, FormUser, render, store_of
from medfoundry.store.audit_log import AuditLog, Event

router = APIRouter()
LIMIT = 300


def find_events(
    log: AuditLog, actor: str, action: str, obj: str, since: str, until: str, limit: int = LIMIT
) -> tuple[list[Event], bool]:
    """Newest-first events matching every filter (substring on actor/action/object, ISO time range)."""
    found = []
    for event in log.iter_events():
        if actor and actor.lower() not in event.actor.lower():
            continue
        if action and action.lower() not in event.action.lower():
            continue
        if obj and obj.lower() not in f"{event.object_type}:{event.object_id}".lower():
            continue
        if (since and event.ts < since) or (until and event.ts[: len(until)] > until):
            continue
        found.append(event)
    found.reverse()
    return found[:limit], len(found) > limit


@router.get("/audit", response_class=HTMLResponse)
async def audit(
    request: Request,
    user: CurrentUser,
    actor: str = "",
    action: str = "",
    object: str = "",
    since: str = "",
    until: str = "",
) -> HTMLResponse:
    log = store_of(request).audit
    events, more = await run_in_threadpool(find_events, log, actor, action, object, since, until)
    chosen = {"actor": actor, "action": action, "object": object, "since": since, "until": until}
    return render(request, "audit.html", user, nav="audit", events=events, more=more, chosen=chosen)


@router.post("/audit/verify", response_class=HTMLResponse)
async def verify(request: Request, user: FormUser) -> HTMLResponse:
    result = await run_in_threadpool(store_of(request).audit.verify)
    return render(request, "_verify.html", user, result=result)
