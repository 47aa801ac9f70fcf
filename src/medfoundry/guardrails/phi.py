"""PHI in, PHI out: redact (or reject) PHI in the input; redact PHI the model invents.

Detection reuses the de-identification detectors (``medfoundry.deid.analyze_text``).
If they cannot run, the rule raises ``GuardrailFailed`` and the request fails closed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import Field

from medfoundry.guardrails.base import (
    Action,
    GuardrailFailed,
    GuardrailRejected,
    InputContext,
    Rule,
    RuleConfig,
)

logger = logging.getLogger(__name__)
Detector = Callable[[str], Sequence[Any]]  # text → spans with .start, .end, .type


class PHIConfig(RuleConfig):
    input: Literal["redact", "reject", "off"] = Field(
        "redact", description="What to do with PHI in the input."
    )
    output: Literal["redact", "off"] = Field(
        "redact", description="Redact PHI in the output not in the input."
    )
    placeholder: str = Field("[{type}]", description="Replacement text; {type} is the PHI type.")


def default_detector(text: str) -> Sequence[Any]:
    try:
        from medfoundry.deid import analyze_text  # type: ignore[attr-defined]
    except ImportError as exc:
        raise GuardrailFailed(
            "the PHI guardrail cannot run: medfoundry.deid.analyze_text is not available",
            hint="install medfoundry with its de-identification stage; requests fail closed until then",
        ) from exc
    return analyze_text(text)


def merge_spans(spans: Sequence[Any]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1][1]:
            start, end, kind = merged[-1]
            merged[-1] = (start, max(end, span.end), kind)
        else:
            merged.append((span.start, span.end, str(span.type)))
    return merged


def redact(text: str, spans: list[tuple[int, int, str]], placeholder: str) -> str:
    out, pos = [], 0
    for start, end, kind in spans:
        out.append(text[pos:start])
        out.append(placeholder.format(type=kind.upper()))
        pos = end
    out.append(text[pos:])
    return "".join(out)


class PHIRule(Rule):
    name = "phi"
    config_model = PHIConfig
    config: PHIConfig
    checks_output = True
    detector: Detector = staticmethod(default_detector)  # replaceable per instance (tests, plugins)

    def _detect(self, text: str) -> list[tuple[int, int, str]]:
        try:
            return merge_spans(self.detector(text))
        except GuardrailFailed:
            raise
        except Exception as exc:
            logger.error("PHI detector failed: %s", type(exc).__name__)
            raise GuardrailFailed(
                f"the PHI guardrail failed ({type(exc).__name__}); the request was not processed"
            ) from exc

    def check_input(self, ctx: InputContext) -> None:
        if self.config.input == "off":
            return
        counts: Counter[str] = Counter()
        redacted = []
        for text in ctx.texts:
            spans = self._detect(text)
            counts.update(kind for _, _, kind in spans)
            redacted.append(redact(text, spans, self.config.placeholder) if spans else text)
        if not counts:
            return
        if self.config.input == "reject":
            ctx.actions.append(Action(self.name, "reject", {"where": "input", "types": dict(counts)}))
            raise GuardrailRejected(
                f"the request contains PHI ({sum(counts.values())} spans: {', '.join(sorted(counts))}) "
                "and this deployment's policy rejects PHI",
                hint="remove identifiers (names, dates, MRNs, contact details) and retry",
            )
        ctx.texts = redacted
        ctx.actions.append(Action(self.name, "redact", {"where": "input", "types": dict(counts)}))

    def output_spans(self, text: str, ctx: InputContext) -> list[tuple[int, int, str, str]]:
        if self.config.output == "off" or not text:
            return []
        known = " ".join(ctx.original).lower()
        return [
            (start, end, kind, self.config.placeholder.format(type=kind.upper()))
            for start, end, kind in self._detect(text)
            if text[start:end].strip().lower() not in known
        ]
