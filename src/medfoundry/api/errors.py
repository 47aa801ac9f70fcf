"""Errors as OpenAI's error body: ``{"error": {"message", "type", "param", "code"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from medfoundry.errors import MedfoundryError

logger = logging.getLogger(__name__)

TYPES = {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error"}


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


class APIError(Exception):
    """An error the API returns as-is (status, OpenAI error fields, extra headers)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param = status, message, code, param
        self.headers = headers or {}


def error_type(status: int) -> str:
    return TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")


def error_body(
    status: int, message: str, *, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type(status), "param": param, "code": code}}


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(status, message, code=code, param=param), status_code=status, headers=headers
    )


def medfoundry_error_status(exc: MedfoundryError) -> int:
    return exc.http_status if 400 <= exc.http_status < 600 else 500


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(_: Request, exc: APIError) -> JSONResponse:
        return error_response(exc.status, exc.message, code=exc.code, param=exc.param, headers=exc.headers)

    @app.exception_handler(MedfoundryError)
    async def _medfoundry_error(_: Request, exc: MedfoundryError) -> JSONResponse:
        message = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
        return error_response(medfoundry_error_status(exc), message, code=type(exc).__name__)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        loc = [str(p) for p in first.get("loc", ()) if p != "body"]
        param = ".".join(loc) or None
        if first.get("type") == "json_invalid":
            return error_response(400, "The request body is not valid JSON.", code="invalid_json")
        return error_response(400, f"Invalid request: {param or 'body'}: {first.get('msg')}", param=param)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        logger.error("internal error: %s", type(exc).__name__, exc_info=exc)
        return error_response(500, f"Internal server error ({type(exc).__name__}).", code="internal_error")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "Bad request (malformed JSON, wrong types, max_tokens or context length exceeded)",
        401: "Missing or invalid API key",
        403: "The key's scope does not allow this",
        404: "Unknown model",
        413: "Request body too large",
        422: "Rejected by a guardrail (e.g. PHI in the input under a reject policy)",
        429: "Rate limit exceeded; see Retry-After",
        500: "Internal error",
        503: "A guardrail failed; the request failed closed",
        504: "Generation timed out",
    }.items()
}
