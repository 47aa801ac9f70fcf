"""``/v1/models``, ``/v1/chat/completions`` and ``/v1/completions`` (OpenAI-compatible)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from medfoundry.api.auth import InvokeKey
from medfoundry.api.errors import ERROR_RESPONSES, APIError, error_body
from medfoundry.api.prompts import render_chat
from medfoundry.api.review_hook import check_single_prompt, holds_stream, review_response
from medfoundry.api.schemas import (
    ChatCompletion,
    ChatCompletionRequest,
    Completion,
    CompletionRequest,
    ModelList,
)
from medfoundry.api.service import Call, status_of
from medfoundry.api.state import get_state
from medfoundry.guardrails.pipeline import InputVerdict

router = APIRouter(prefix="/v1", tags=["openai"])
STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    200: {
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
        "description": "JSON, or SSE chunks",
    },
}


def sse(data: dict[str, Any] | str) -> bytes:
    return f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n".encode()


@router.get("/models", response_model=ModelList, responses=ERROR_RESPONSES)
async def list_models(request: Request, key: InvokeKey) -> dict[str, Any]:
    runtime = get_state(request).runtime
    names = [n for n in runtime.deployments if not key.deployment or key.deployment == n]
    return {
        "object": "list",
        "data": [
            {"id": n, "object": "model", "created": runtime.deployments[n].created, "owned_by": "medfoundry"}
            for n in names
        ],
    }


def _prefix(verdict: InputVerdict) -> str:
    return "".join(notice + "\n\n" for notice in verdict.notices)


async def _texts(call: Call, verdict: InputVerdict, ids: list[int] | None) -> AsyncIterator[str]:
    """The response text: the escalation notice, then the model's guarded output (or the refusal)."""
    prefix = _prefix(verdict)
    if prefix:
        yield prefix
    if ids is None:  # refused or blocked: the model is not called
        call.finish_reason = "content_filter"
        yield verdict.message or ""
        return
    guard = call.dep.guardrails.output_guard(verdict)
    async for piece in call.generate(ids, guard):
        yield piece


@router.post("/chat/completions", response_model=ChatCompletion, responses=STREAM_RESPONSES)
async def chat_completions(body: ChatCompletionRequest, request: Request, key: InvokeKey) -> Any:
    call = Call(get_state(request), "chat", key, body.model, stream=body.stream)
    try:
        dep = call.bind()
        call.sampling(
            body.max_completion_tokens or body.max_tokens, body.temperature, body.top_p, body.stop, body.seed
        )
        messages = [{"role": m.role, "content": m.text()} for m in body.messages]
        verdict = await call.check_input([m["content"] for m in messages], [m["role"] for m in messages])
        ids = None
        if verdict.decision == "allow":
            guarded = [{**m, "content": t} for m, t in zip(messages, verdict.texts, strict=True)]
            tokenizer = call.state.runtime.backend.tokenizer(dep.name)
            ids = call.encode(render_chat(tokenizer, guarded))
        if body.stream:
            return StreamingResponse(_chat_stream(call, verdict, ids, messages), media_type="text/event-stream")
        async for piece in _texts(call, verdict, ids):
            call.response_parts.append(piece)
        held = await review_response(call, messages)
    except BaseException as exc:
        await call.finish(exc)
        raise
    await call.finish()
    return {
        "id": f"chatcmpl-{call.request_id}",
        "object": "chat.completion",
        "created": call.created,
        "model": dep.name,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "" if held else "".join(call.response_parts)},
                "finish_reason": call.finish_reason or "stop",
                "logprobs": None,
            }
        ],
        "usage": call.usage(),
        "medfoundry": call.report(),
    }


async def _chat_stream(
    call: Call, verdict: InputVerdict, ids: list[int] | None, messages: list[dict[str, str]]
) -> AsyncIterator[bytes]:
    base = {
        "id": f"chatcmpl-{call.request_id}",
        "object": "chat.completion.chunk",
        "created": call.created,
        "model": call.dep.name,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
        return sse(
            {
                **base,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
                **extra,
            }
        )

    error: BaseException | None = None
    try:
        yield chunk({"role": "assistant", "content": ""})
        buffered = holds_stream(call)
        async for piece in _texts(call, verdict, ids):
            call.response_parts.append(piece)
            if not buffered:
                yield chunk({"content": piece})
        held = await review_response(call, messages)
        if buffered and not held:
            yield chunk({"content": "".join(call.response_parts)})
        yield chunk({}, call.finish_reason or "stop", usage=call.usage(), medfoundry=call.report())
        yield sse("[DONE]")
    except (Exception, asyncio.CancelledError) as exc:
        error = exc
        if isinstance(exc, asyncio.CancelledError):
            raise
        status = status_of(exc)
        message = getattr(exc, "message", None) or f"Internal server error ({type(exc).__name__})."
        yield sse(error_body(status, message, code="stream_error"))
    finally:
        await call.finish(error)


@router.post("/completions", response_model=Completion, responses=STREAM_RESPONSES)
async def completions(body: CompletionRequest, request: Request, key: InvokeKey) -> Any:
    state = get_state(request)
    call = Call(state, "completions", key, body.model, stream=body.stream)
    prompts = [body.prompt] if isinstance(body.prompt, str) else list(body.prompt)
    try:
        dep = call.bind()
        if not prompts or len(prompts) > state.config.max_prompts:
            raise APIError(400, f"prompt must hold 1 to {state.config.max_prompts} strings.", param="prompt")
        if body.stream and len(prompts) > 1:
            raise APIError(400, "stream is supported with a single prompt.", param="stream")
        check_single_prompt(call, len(prompts))
        call.sampling(body.max_tokens, body.temperature, body.top_p, body.stop, body.seed)
        verdict = await call.check_input(prompts)
        id_lists: list[list[int] | None] = [None] * len(prompts)
        if verdict.decision == "allow":
            id_lists = [call.encode(text) for text in verdict.texts]
        if body.stream:
            return StreamingResponse(
                _completion_stream(call, verdict, id_lists[0], prompts[0]), media_type="text/event-stream"
            )

        async def one(ids: list[int] | None) -> str:
            return "".join([piece async for piece in _texts(call, verdict, ids)])

        texts = await asyncio.gather(*(one(ids) for ids in id_lists))
        call.response_parts.extend(texts)
        if await review_response(call, [{"role": "user", "content": prompts[0]}]):
            texts = [""]  # held for human review
    except BaseException as exc:
        await call.finish(exc)
        raise
    await call.finish()
    return {
        "id": f"cmpl-{call.request_id}",
        "object": "text_completion",
        "created": call.created,
        "model": dep.name,
        "choices": [
            {"index": i, "text": text, "finish_reason": call.finish_reason or "stop", "logprobs": None}
            for i, text in enumerate(texts)
        ],
        "usage": call.usage(),
        "medfoundry": call.report(),
    }


async def _completion_stream(
    call: Call, verdict: InputVerdict, ids: list[int] | None, prompt: str
) -> AsyncIterator[bytes]:
    base = {
        "id": f"cmpl-{call.request_id}",
        "object": "text_completion",
        "created": call.created,
        "model": call.dep.name,
    }

    def chunk(text: str, finish: str | None = None, **extra: Any) -> bytes:
        return sse(
            {
                **base,
                "choices": [{"index": 0, "text": text, "finish_reason": finish, "logprobs": None}],
                **extra,
            }
        )

    error: BaseException | None = None
    try:
        buffered = holds_stream(call)
        async for piece in _texts(call, verdict, ids):
            call.response_parts.append(piece)
            if not buffered:
                yield chunk(piece)
        held = await review_response(call, [{"role": "user", "content": prompt}])
        if buffered and not held:
            yield chunk("".join(call.response_parts))
        yield chunk("", call.finish_reason or "stop", usage=call.usage(), medfoundry=call.report())
        yield sse("[DONE]")
    except (Exception, asyncio.CancelledError) as exc:
        error = exc
        if isinstance(exc, asyncio.CancelledError):
            raise
        message = getattr(exc, "message", None) or f"Internal server error ({type(exc).__name__})."
        yield sse(error_body(status_of(exc), message, code="stream_error"))
    finally:
        await call.finish(error)
