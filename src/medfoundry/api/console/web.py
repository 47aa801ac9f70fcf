"""What every console page needs: templates, signed-in sessions, CSRF checks and scope checks.

A session is created by signing in with an API key. The browser holds only a random
session id in an HttpOnly, SameSite=Strict cookie; the server maps it to the key's id and
re-checks the key (revoked, expired) on every request. Every form carries the session's
CSRF token (htmx sends it as the ``X-CSRF-Token`` header).
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from medfoundry.api.state import AppState, get_state
from medfoundry.serve.keys import key_problem, scope_allows
from medfoundry.store.models import ApiKey

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
SESSION_COOKIE = "mf_console"
LOGIN_COOKIE = "mf_login_csrf"
SESSION_TTL_S = 8 * 3600
templates = Jinja2Templates(directory=str(HERE / "templates"))


@dataclass
class Session:
    key_id: str
    csrf: str
    created: float = field(default_factory=time.time)


@dataclass
class User:
    key: ApiKey
    session_id: str
    csrf: str

    def can(self, scope: str) -> bool:
        return scope_allows(self.key.scope, scope)

    @property
    def actor(self) -> str:
        return f"api_key:{self.key.id}"


def sessions(request: Request) -> dict[str, Session]:
    """The server-side session table (per app; signing in again after a restart is expected)."""
    table: dict[str, Session] | None = getattr(request.app.state, "console_sessions", None)
    if table is None:
        table = {}
        request.app.state.console_sessions = table
    return table


def new_session(request: Request, key_id: str) -> tuple[str, Session]:
    session_id = secrets.token_urlsafe(32)
    session = Session(key_id, secrets.token_urlsafe(32))
    sessions(request)[session_id] = session
    return session_id, session


def _load_key(state: AppState, key_id: str) -> ApiKey | None:
    with state.store.sessions() as db:
        return db.get(ApiKey, key_id)


def _redirect_to_sign_in(request: Request) -> HTTPException:
    target = "/console/sign-in"
    return HTTPException(303, "sign in first", headers={"Location": target, "HX-Redirect": target})


async def current_user(request: Request) -> User:
    """The signed-in user, or a redirect to the sign-in page."""
    session_id = request.cookies.get(SESSION_COOKIE, "")
    session = sessions(request).get(session_id)
    if session is None or time.time() - session.created > SESSION_TTL_S:
        raise _redirect_to_sign_in(request)
    key = await run_in_threadpool(_load_key, get_state(request), session.key_id)
    if key is None or key_problem(key):
        sessions(request).pop(session_id, None)
        raise _redirect_to_sign_in(request)
    return User(key, session_id, session.csrf)


async def form_user(request: Request, user: Annotated[User, Depends(current_user)]) -> User:
    """The signed-in user of a form post, after its CSRF token was checked."""
    sent = request.headers.get("x-csrf-token")
    if not sent:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent, user.csrf):
        raise HTTPException(403, "The form's CSRF token is missing or wrong: reload the page and try again.")
    return user


CurrentUser = Annotated[User, Depends(current_user)]
FormUser = Annotated[User, Depends(form_user)]


def require_scope(user: User, scope: str, what: str) -> None:
    if not user.can(scope):
        raise HTTPException(
            403, f"Your API key's scope '{user.key.scope}' may not {what}; it needs '{scope}'."
        )


def render(
    request: Request, template: str, user: User | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, template, {"user": user, "nav": context.pop("nav", ""), **context}, status_code=status_code
    )


def store_of(request: Request) -> Any:
    return get_state(request).store
