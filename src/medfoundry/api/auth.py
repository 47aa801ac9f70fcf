"""API-key authentication, scopes and the per-key rate limit as FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from medfoundry.api.errors import APIError
from medfoundry.api.state import get_state
from medfoundry.serve.keys import find_key, key_problem, scope_allows
from medfoundry.store.models import ApiKey

bearer = HTTPBearer(auto_error=False, description="An API key from 'medfoundry keys create'.")


def require(scope: str) -> Callable[..., Awaitable[ApiKey]]:
    """A dependency that returns the caller's key when it is valid, in scope and under its limit."""

    async def dependency(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> ApiKey:
        state = get_state(request)
        if credentials is None or not credentials.credentials:
            raise APIError(
                401,
                "Missing API key: send 'Authorization: Bearer <key>' (create one with 'medfoundry keys create').",
                code="invalid_api_key",
            )
        row = await run_in_threadpool(find_key, state.store, credentials.credentials)
        problem = key_problem(row)
        if problem or row is None:
            raise APIError(401, f"Unauthorized: {problem}.", code="invalid_api_key")
        if not scope_allows(row.scope, scope):
            raise APIError(
                403,
                f"The API key's scope '{row.scope}' does not allow this; it needs '{scope}'.",
                code="forbidden",
            )
        retry_after = state.limiter.acquire(row.id)
        if retry_after is not None:
            raise APIError(
                429,
                f"Rate limit of {state.limiter.per_minute} requests per minute exceeded for this key; "
                f"retry after {retry_after} s.",
                code="rate_limit_exceeded",
                headers={"Retry-After": str(retry_after)},
            )
        return row

    return dependency


InvokeKey = Annotated[ApiKey, Depends(require("invoke"))]


def check_deployment_access(key: ApiKey, deployment: str) -> None:
    if key.deployment and key.deployment != deployment:
        raise APIError(
            403,
            f"This API key is limited to the deployment '{key.deployment}'.",
            code="forbidden",
            param="model",
        )
