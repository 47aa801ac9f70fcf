"""Sign-in with an API key, sign-out, and the home page."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medfoundry.api.console.web import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    SESSION_TTL_S,
    CurrentUser,
    FormUser,
    new_session,
    render,
    sessions,
    store_of,
)
from medfoundry.serve.keys import find_key, key_problem

router = APIRouter()


def _cookie(response: Response, name: str, value: str, max_age: int, request: Request) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/console",
    )


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, error: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, "sign_in.html", None, login_csrf=token, error=error)
    _cookie(response, LOGIN_COOKIE, token, 900, request)
    return response


@router.post("/sign-in", response_model=None)
async def sign_in(
    request: Request, api_key: Annotated[str, Form()], csrf_token: Annotated[str, Form()] = ""
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return await _refuse(request, "The sign-in form expired: please try again.")
    store = store_of(request)
    key = await run_in_threadpool(find_key, store, api_key.strip())
    problem = key_problem(key)
    if problem or key is None:
        await run_in_threadpool(store.audit.append, "console.sign_in_failed", "console", "sign-in", {})
        return await _refuse(request, f"Sign-in refused: {problem}.")
    session_id, _ = new_session(request, key.id)
    details = {"scope": key.scope}
    await run_in_threadpool(
        store.audit.append, "console.sign_in", "api_key", key.id, details, actor=f"api_key:{key.id}"
    )
    response = RedirectResponse("/console/", status_code=303)
    _cookie(response, SESSION_COOKIE, session_id, SESSION_TTL_S, request)
    response.delete_cookie(LOGIN_COOKIE, path="/console")
    return response


async def _refuse(request: Request, message: str) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, "sign_in.html", None, status_code=401, login_csrf=token, error=message)
    _cookie(response, LOGIN_COOKIE, token, 900, request)
    return response


@router.post("/sign-out")
async def sign_out(request: Request, user: FormUser) -> RedirectResponse:
    sessions(request).pop(user.session_id, None)
    await run_in_threadpool(
        store_of(request).audit.append, "console.sign_out", "api_key", user.key.id, {}, actor=user.actor
    )
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, user: CurrentUser) -> HTMLResponse:
    return render(request, "home.html", user, nav="home")
