"""One API call from checks to audit: guardrails in, generation, guardrails out, metrics, audit.

``Call`` carries what the audit event and the metrics need; routes create one, use it,
and always ``finish`` it (also on errors), so every call leaves exactly one audit event.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.concurrency import run_in_threadpool

from medfoundry.api.auth import check_deployment_access
from medfoundry.api.errors import APIError, medfoundry_error_status
from medfoundry.api.state import AppState
from medfoundry.errors import MedfoundryError
from medfoundry.guardrails.base import Action
from medfoundry.guardrails.pipeline import InputVerdict, OutputGuard
from medfoundry.serve.runtime import ServedDeployment
from medfoundry.serve.types import SamplingParams
from medfoundry.store.models import ApiKey

logger = logging.getLogger(__name__)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def status_of(exc: BaseException) -> int:
    if isinstance(exc, APIError):
        return exc.status
    if isinstance(exc, MedfoundryError):
        return medfoundry_error_status(exc)
    return 500


class Call:
    def __init__(self, state: AppState, route: str, key: ApiKey, model: str, *, stream: bool) -> None:
        self.state, self.route, self.key, self.stream = state, route, key, stream
        self.started = time.perf_counter()
        self.request_id = uuid.uuid4().hex
        self.created = int(time.time())
        self.deployment: ServedDeployment | None = None
        self.prompt_text = ""
        self.response_parts: list[str] = []
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.actions: list[Action] = []
        self.escalation = False
        self.finish_reason: str | None = None
        self.status = 200
        self.model = model
        self.params = SamplingParams()
        self.release_admission: Callable[[], None] = lambda: None
        self.review: dict[str, Any] | None = None  # set when the response went to human review

    def bind(self) -> ServedDeployment:
        """Find the requested deployment (404) and check the key may use it (403)."""
        deployment = self.state.runtime.get(self.model)
        check_deployment_access(self.key, deployment.name)
        self.deployment = deployment
        self.release_admission = self.state.runtime.backend.admit(deployment.name)
        return deployment

    @property
    def dep(self) -> ServedDeployment:
        assert self.deployment is not None
        return self.deployment

    def sampling(
        self,
        max_tokens: int | None,
        temperature: float | None,
        top_p: float | None,
        stop: str | list[str] | None,
        seed: int | None,
    ) -> SamplingParams:
        limit = self.state.config.max_tokens_limit
        if max_tokens is not None and max_tokens > limit:
            raise APIError(
                400,
                f"max_tokens is {max_tokens}; this server allows at most {limit}.",
                code="invalid_value",
                param="max_tokens",
            )
        stops = [stop] if isinstance(stop, str) else list(stop or [])
        if len(stops) > 4 or any(not s for s in stops):
            raise APIError(400, "stop must be at most 4 non-empty strings.", param="stop")
        self.params = SamplingParams(
            max_tokens=max_tokens or min(self.state.config.default_max_tokens, limit),
            temperature=1.0 if temperature is None else temperature,
            top_p=1.0 if top_p is None else top_p,
            stop=tuple(stops),
            seed=seed,
        )
        return self.params

    async def check_input(self, texts: list[str], roles: list[str] | None = None) -> InputVerdict:
        """Guardrails on the request's texts; ``roles`` (chat) keeps system and assistant
        turns out of the rules that judge what the user asks (PHI is still redacted in all)."""
        self.prompt_text = json.dumps(texts, ensure_ascii=False)
        verdict = await run_in_threadpool(self.dep.guardrails.check_input, texts, roles)
        if verdict.decision != "allow":
            self.release_admission()  # answered without the model: no batch should wait for it
        self.actions.extend(verdict.actions)
        self.escalation = verdict.escalation
        return verdict

    def encode(self, prompt: str) -> list[int]:
        tokenizer = self.state.runtime.backend.tokenizer(self.dep.name)
        ids: list[int] = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        if not ids:
            ids = [tokenizer.bos_token_id or tokenizer.eos_token_id or 0]
        context = self.state.runtime.backend.context_length(self.dep.name)
        params = self.params
        if len(ids) + params.max_tokens > context:
            raise APIError(
                400,
                f"This model's maximum context length is {context} tokens; the request has {len(ids)} prompt "
                f"tokens and asks for {params.max_tokens} more. Shorten the messages or lower max_tokens.",
                code="context_length_exceeded",
                param="messages",
            )
        self.prompt_tokens += len(ids)
        return ids

    async def generate(self, ids: list[int], guard: OutputGuard) -> AsyncIterator[str]:
        """Yield text that passed the output guardrails; sets finish_reason and token counts."""
        deadline = self.started + self.state.config.request_timeout_s
        self.release_admission()  # the request joins the batch queue now
        stream = self.state.runtime.backend.stream(self.dep.name, ids, self.params)
        tokens = 0
        try:
            while True:
                try:
                    async with asyncio.timeout(max(0.001, deadline - time.perf_counter())):
                        delta = await anext(stream)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    raise APIError(504, "Generation timed out.", code="timeout") from None
                tokens = delta.completion_tokens
                released = guard.feed(delta.text) if delta.text else ""  # cheap: scans only a short tail
                if released:
                    yield released
                if delta.finish_reason:
                    self.finish_reason = delta.finish_reason
                    break
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
            self.completion_tokens += tokens
        rest = guard.finish()
        self.actions.extend(guard.actions)
        if rest:
            yield rest

    def report(self) -> dict[str, Any]:
        report = {"escalation": self.escalation, "guardrails": [a.to_dict() for a in self.actions]}
        return {**report, "review": self.review} if self.review else report

    def usage(self) -> dict[str, int]:
        total = self.prompt_tokens + self.completion_tokens
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": total,
        }

    async def finish(self, exc: BaseException | None = None) -> None:
        self.release_admission()  # refused, blocked or failed before generating
        if exc is not None:
            self.status = status_of(exc)
        latency = time.perf_counter() - self.started
        name = self.deployment.name if self.deployment else "-"
        metrics = self.state.metrics
        metrics.observe(self.route, name, self.status, latency, self.prompt_tokens, self.completion_tokens)
        metrics.count_actions(name, self.actions)
        try:
            await run_in_threadpool(self._audit, latency)
        except Exception:
            logger.exception("could not write the audit event of request %s", self.request_id)

    def _audit(self, latency: float) -> None:
        store, dep = self.state.store, self.deployment
        response = "".join(self.response_parts)
        details: dict[str, Any] = {
            "request_id": self.request_id,
            "route": self.route,
            "deployment": dep.name if dep else None,
            "key_id": self.key.id,
            "status": self.status,
            "stream": self.stream,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "latency_ms": round(latency * 1000, 2),
            "finish_reason": self.finish_reason,
            "escalation": self.escalation,
            "guardrails": [a.to_dict() for a in self.actions],
            "prompt_sha256": sha256_text(self.prompt_text),
            "response_sha256": sha256_text(response),
        }
        if dep and dep.policy.log_requests and self.prompt_text:
            payload = json.dumps({"prompt": self.prompt_text, "response": response}).encode()
            artifact = store.put_artifact(
                payload, kind="serve-request", name=f"request-{self.request_id}", phi=True
            )
            details["request_artifact_id"] = artifact.id
        if self.review:
            details["review"] = {"id": self.review["id"], "mode": self.review["mode"]}
        object_id = dep.id if dep else "unknown"
        store.audit.append("serve.call", "deployment", object_id, details, actor=f"api_key:{self.key.id}")
        if self.escalation and dep:
            signs = sorted(
                {s for a in self.actions if a.rule == "emergency" for s in a.details.get("signs", [])}
            )
            store.audit.append(
                "serve.escalation",
                "deployment",
                dep.id,
                {"request_id": self.request_id, "signs": signs},
                actor=f"api_key:{self.key.id}",
            )
