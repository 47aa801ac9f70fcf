"""Playground: chat with a served deployment through the same guarded path as the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from medfoundry.api.console.web import CurrentUser, FormUser, render, require_scope
from medfoundry.api.errors import APIError
from medfoundry.api.routes_openai import chat_completions
from medfoundry.api.schemas import ChatCompletionRequest
from medfoundry.api.state import get_state
from medfoundry.errors import MedfoundryError

router = APIRouter()


@router.get("/playground", response_class=HTMLResponse)
async def playground(request: Request, user: CurrentUser) -> HTMLResponse:
    names = sorted(get_state(request).runtime.deployments)
    return render(request, "playground.html", user, nav="playground", deployments=names)


@router.post("/playground", response_class=HTMLResponse)
async def chat(
    request: Request,
    user: FormUser,
    deployment: Annotated[str, Form()],
    message: Annotated[str, Form()],
    max_tokens: Annotated[int, Form()] = 64,
) -> HTMLResponse:
    """One guarded chat completion (audited as ``serve.call`` like any API call); returns the turn."""
    require_scope(user, "invoke", "use the playground")
    state = get_state(request)
    turn: dict[str, Any] = {"message": message, "deployment": deployment}
    retry_after = state.limiter.acquire(user.key.id)
    if retry_after is not None:
        turn["error"] = f"Rate limit reached; retry after {retry_after} s."
        return render(request, "_chat_turn.html", user, turn=turn)
    body = ChatCompletionRequest(model=deployment, messages=[{"role": "user", "content": message}],
                                 max_tokens=max(1, min(max_tokens, 256)))  # fmt: skip
    try:
        answer = await chat_completions(body, request, user.key)
    except (APIError, MedfoundryError) as exc:
        turn["error"] = exc.message
        return render(request, "_chat_turn.html", user, turn=turn)
    report = answer.get("medfoundry") or {}
    turn.update(
        answer=answer["choices"][0]["message"]["content"],
        finish_reason=answer["choices"][0]["finish_reason"],
        escalation=bool(report.get("escalation")),
        actions=report.get("guardrails") or [],
        usage=answer.get("usage") or {},
        review=report.get("review"),
    )
    return render(request, "_chat_turn.html", user, turn=turn)
