"""Applying a policy: input checks before the model, an output guard on what it writes.

The output guard releases text only after every output rule has checked it, holding
back a short tail (``HOLD_CHARS``, cut at whitespace and never inside a detected span)
so that PHI split across streamed tokens is seen whole before any of it leaves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from medfoundry.errors import MedfoundryError
from medfoundry.guardrails.base import RULES, Action, GuardrailFailed, InputContext, Rule
from medfoundry.guardrails.policy import Policy

HOLD_CHARS = 48
Span = tuple[int, int, str, str]


@dataclass
class InputVerdict:
    texts: list[str]
    decision: str  # allow | refuse | block
    message: str | None
    escalation: bool
    notices: list[str]
    actions: list[Action] = field(default_factory=list)
    context: InputContext | None = None


class GuardrailPipeline:
    """The rules of one policy, built once per deployment."""

    def __init__(self, policy: Policy, *, overrides: dict[str, dict[str, Any]] | None = None) -> None:
        self.policy = policy
        self.rules: list[Rule] = []
        for name, config in policy.rule_configs():
            rule = RULES.get(name)(config)
            for attr, value in (overrides or {}).get(name, {}).items():
                setattr(rule, attr, value)
            self.rules.append(rule)

    def check_input(self, texts: list[str], roles: list[str] | None = None) -> InputVerdict:
        """Run the input rules in order; raises ``GuardrailRejected`` / ``GuardrailFailed``.

        ``roles`` (one per text: ``user``, ``system``, ``assistant``…) limits the rules that
        judge what a person asks to the user's turns; without it every text is a user's.
        """
        if roles is not None and len(roles) != len(texts):
            raise ValueError("roles must have one entry per text")
        ctx = InputContext(
            texts=list(texts),
            audience=self.policy.audience,
            original=list(texts),
            roles=list(roles) if roles is not None else None,
        )
        for rule in self.rules:
            if ctx.decision == "block" and not rule.runs_after_block:
                continue
            try:
                rule.check_input(ctx)
            except MedfoundryError:
                raise
            except Exception as exc:
                raise GuardrailFailed(f"guardrail '{rule.name}' failed ({type(exc).__name__})") from exc
        return InputVerdict(
            ctx.texts, ctx.decision, ctx.message, ctx.escalation, ctx.notices, ctx.actions, ctx
        )

    def output_guard(self, verdict: InputVerdict) -> OutputGuard:
        assert verdict.context is not None
        return OutputGuard([r for r in self.rules if r.checks_output], verdict.context)

    def check_output(self, verdict: InputVerdict, text: str) -> tuple[str, list[Action]]:
        guard = self.output_guard(verdict)
        released = guard.finish(text)  # the whole text at once: one scan, nothing held back
        return released, guard.actions


class OutputGuard:
    """Feed model text in pieces; get back only text every output rule has passed."""

    def __init__(self, rules: list[Rule], ctx: InputContext) -> None:
        self.rules = rules
        self.ctx = ctx
        self.pending = ""
        self.counts: dict[tuple[str, str], Counter[str]] = {}

    def feed(self, delta: str) -> str:
        self.pending += delta
        if not self.rules:
            released, self.pending = self.pending, ""
            return released
        if len(self.pending) <= 2 * HOLD_CHARS:
            return ""
        return self._release(final=False)

    def finish(self, delta: str = "") -> str:
        """Release everything still held (plus ``delta``, the last piece, if any)."""
        self.pending += delta
        return self._release(final=True) if self.pending else ""

    def _spans(self, text: str) -> list[tuple[Span, str]]:
        found: list[tuple[Span, str]] = []
        for rule in self.rules:
            try:
                found.extend((span, rule.name) for span in rule.output_spans(text, self.ctx))
            except MedfoundryError:
                raise
            except Exception as exc:
                raise GuardrailFailed(
                    f"guardrail '{rule.name}' failed on the output ({type(exc).__name__})"
                ) from exc
        return sorted(found, key=lambda item: (item[0][0], -item[0][1]))

    def _release(self, *, final: bool) -> str:
        text = self.pending
        spans = self._spans(text)
        cut = len(text) if final else _boundary(text, len(text) - HOLD_CHARS)
        for (start, end, _, _), _ in spans:
            if start < cut < end:
                cut = _boundary(text, start - 1) if start > 0 else 0
        if cut <= 0:
            return ""
        out, pos = [], 0
        for (start, end, kind, replacement), rule in spans:
            if start < pos or end > cut:
                continue
            out.append(text[pos:start] + replacement)
            pos = end
            self.counts.setdefault((rule, "redact"), Counter())[kind] += 1
        out.append(text[pos:cut])
        self.pending = text[cut:]
        return "".join(out)

    @property
    def actions(self) -> list[Action]:
        return [
            Action(rule, action, {"where": "output", "types": dict(types)})
            for (rule, action), types in self.counts.items()
        ]


def _boundary(text: str, limit: int) -> int:
    """Just after the last whitespace at or before ``limit`` (0 when none)."""
    if limit < 0:
        return 0
    space = max(text.rfind(" ", 0, limit + 1), text.rfind("\n", 0, limit + 1))
    return space + 1 if space >= 0 else 0
