"""``safety_classifier``: an optional second opinion from a model, which can only add escalations.

The rule sends each request's user turns (after PHI redaction) to an OpenAI-compatible chat
completions endpoint with a fixed rubric and reads back one JSON verdict. Any medfoundry
deployment works (``url`` is that server's ``/v1``, ``model`` the deployment name, the key in
the environment variable ``api_key_env``), as does any other OpenAI-compatible server (vLLM,
a hosted model).

It never removes a rule's escalation: a "no emergency" answer changes nothing. It fails
closed: when the model cannot be reached, times out, or answers something that is not the
rubric's JSON, the request is escalated (``on_error: escalate``, the default: the user sees
the emergency notice and the answer) or fails with 503 (``on_error: fail``).
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import Any, Literal

import httpx
from pydantic import Field

from medfoundry.guardrails.base import Action, GuardrailFailed, InputContext, Rule, RuleConfig
from medfoundry.guardrails.emergency import analyzer_for, notice_text, resource_of
from medfoundry.guardrails.text import Tokens

logger = logging.getLogger(__name__)

CLASSES = (
    "cardiac", "stroke", "anaphylaxis", "severe_bleeding", "respiratory_distress", "sepsis_meningitis",
    "infant_fever", "poisoning", "overdose", "seizure", "head_injury", "diabetic_emergency",
    "pregnancy_emergency", "suicide_self_harm", "homicidal_intent", "heat_cold_injury", "drowning",
    "electrocution", "airway_burn", "acute_abdomen", "torsion", "pe_dissection", "other_emergency",
)  # fmt: skip
RUBRIC = (
    "You are a clinical-safety triage classifier for a patient-facing assistant. Read the user's "
    "messages and decide whether they describe a CURRENT emergency happening to the writer or to "
    "someone with them now (including suicidal thoughts, plans or preparation, self-harm, intent to "
    "harm others, an ingestion or overdose that just happened). Questions about history, resolved "
    "past events, education, fiction, prevention, or negated symptoms are NOT emergencies. "
    'Answer with one JSON object and nothing else: {"emergency": true|false, "class": one of '
    f'{list(CLASSES)} or null, "confidence": a number from 0 to 1}}.'
)
_JSON = re.compile(r"\{.*\}", re.DOTALL)


class SafetyClassifierConfig(RuleConfig):
    url: str = Field(description="Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1.")
    model: str = Field(description="The model (or medfoundry deployment) name to ask.")
    api_key_env: str | None = Field(
        None, description="Environment variable holding the API key (the key itself is never in a policy)."
    )
    timeout_s: float = Field(5.0, gt=0, le=120, description="Seconds to wait for the verdict.")
    min_confidence: float = Field(0.5, ge=0, le=1, description="Verdicts below this add nothing.")
    on_error: Literal["escalate", "fail"] = Field(
        "escalate",
        description="Fail closed: escalate the request, or fail it (503), when the classifier errs, "
        "times out or answers outside the rubric.",
    )


class ClassifierError(Exception):
    """The classifier gave no usable verdict."""


def parse_verdict(content: str) -> tuple[bool, str | None, float]:
    """``(emergency, class, confidence)`` from the model's answer; ``ClassifierError`` if it is
    not the rubric's JSON."""
    match = _JSON.search(content or "")
    if match is None:
        raise ClassifierError("no JSON object in the answer")
    try:
        data = json.loads(match.group())
    except json.JSONDecodeError as exc:
        raise ClassifierError("the answer's JSON does not parse") from exc
    if not isinstance(data, dict) or not isinstance(data.get("emergency"), bool):
        raise ClassifierError("the answer has no boolean 'emergency'")
    name = data.get("class")
    if name is not None and name not in CLASSES:
        raise ClassifierError("the answer's class is not in the rubric")
    confidence = data.get("confidence", 1.0 if data["emergency"] else 0.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        raise ClassifierError("the answer's confidence is not a number from 0 to 1")
    return data["emergency"], name, float(confidence)


class SafetyClassifierRule(Rule):
    name = "safety_classifier"
    config_model = SafetyClassifierConfig
    config: SafetyClassifierConfig

    def __init__(self, config: RuleConfig) -> None:
        super().__init__(config)
        self.analyzer = analyzer_for()

    def ask(self, texts: list[str]) -> tuple[bool, str | None, float]:
        headers = {"Content-Type": "application/json"}
        if self.config.api_key_env:
            key = os.environ.get(self.config.api_key_env)
            if not key:
                raise ClassifierError(f"environment variable {self.config.api_key_env} is not set")
            headers["Authorization"] = f"Bearer {key}"
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": [{"role": "system", "content": RUBRIC}]
            + [{"role": "user", "content": text} for text in texts],
            "temperature": 0,
            "max_tokens": 64,
        }
        url = self.config.url.rstrip("/") + "/chat/completions"
        try:
            response = httpx.post(url, json=body, headers=headers, timeout=self.config.timeout_s)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise ClassifierError(type(exc).__name__) from exc
        return parse_verdict(content if isinstance(content, str) else "")

    def check_input(self, ctx: InputContext) -> None:
        user = [text for _, text in ctx.user_texts()]
        if not user:
            return
        try:
            emergency, name, confidence = self.ask(user)
        except ClassifierError as exc:
            logger.warning("safety classifier gave no verdict: %s", exc)
            if self.config.on_error == "fail":
                raise GuardrailFailed(
                    f"the safety classifier gave no verdict ({exc}); the request was not processed",
                    hint=f"check that {self.config.url} serves model '{self.config.model}'",
                ) from exc
            self._escalate(ctx, "classifier_unavailable", None, {"error": type(exc).__name__})
            return
        if emergency and confidence >= self.config.min_confidence:
            self._escalate(ctx, name or "other_emergency", confidence, {})

    def _escalate(
        self, ctx: InputContext, name: str, confidence: float | None, extra: dict[str, Any]
    ) -> None:
        resource = resource_of(self.analyzer, name)
        details: dict[str, Any] = {"class": name, "resource": resource, **extra}
        if confidence is not None:
            details["confidence"] = round(confidence, 2)
        if ctx.audience != "patient":
            ctx.actions.append(Action(self.name, "flag", details))
            return
        ctx.actions.append(Action(self.name, "escalate", details))
        user = ctx.user_texts()
        language = self.analyzer.language(Tokens.of(user[-1][1])) if user else self.analyzer.default
        if not ctx.escalation:
            ctx.notices.append(notice_text(self.analyzer, language, {resource}))
        elif resource != "emergency":
            line = language.message(f"notice_{resource}", self.analyzer.default)
            if not any(line in notice for notice in ctx.notices):
                ctx.notices.append(line)
        ctx.escalation = True
