"""Prompt-injection and jailbreak heuristics: weighted patterns summed into a score."""

from __future__ import annotations

import re

from pydantic import Field

from medfoundry.guardrails.base import Action, InputContext, Rule, RuleConfig
from medfoundry.guardrails.text import normalize

# (weight, pattern) — a request whose weights sum to the threshold or more is blocked.
PATTERNS: tuple[tuple[float, re.Pattern[str]], ...] = tuple(
    (weight, re.compile(pattern))
    for weight, pattern in (
        (
            0.7,
            r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|all|your|system|these)\b.{0,30}\b(instructions?|prompts?|rules?|directions?|guidelines?|polic(y|ies)|guardrails?)",
        ),
        (
            0.6,
            r"\b(reveal|print|show|repeat|output|leak|tell me)\b.{0,40}\b(system|hidden|initial|original|secret)\s+(prompt|instructions?|message|rules)",
        ),
        (
            0.6,
            r"\b(you are now|from now on you are|act as|pretend (to be|you are)|roleplay as)\b.{0,60}\b(dan|unfiltered|uncensored|jailbroken|unrestricted|no (rules|restrictions|limits|filters)|evil|without (any )?(rules|restrictions|limits))",
        ),
        (0.6, r"\b(developer|god|debug|dan|jailbreak|sudo|admin)\s+mode\b"),
        (0.6, r"\bjailbreak|\bjailbroken\b|\bdo anything now\b"),
        (
            0.4,
            r"\b(no|without|free from)\s+(ethical|safety|moral|content)\s+(guidelines|restrictions|filters|rules|limits)",
        ),
        (0.4, r"\b(new|updated|real) (system )?instructions?\s*:"),
        (0.6, r"<\|?(im_start|system|endoftext)\|?>|\[/?(inst|system)\]|###\s*(system|instruction)"),
        (
            0.6,
            r"\b(bypass|disable|turn off|switch off|circumvent)\b.{0,30}\b(filter|guardrail|safety|moderation|censorship|restrictions?)",
        ),
        (0.3, r"\byou have no (content )?(policy|policies|rules|restrictions|limits|filters)"),
        (0.3, r"\bhypothetically\b.{0,60}\b(no rules|not bound|unrestricted)"),
        (0.3, r"\bbase64\b.{0,40}\b(decode|execute|follow)"),
    )
)


class InjectionConfig(RuleConfig):
    threshold: float = Field(0.6, gt=0, description="Block when the summed pattern weights reach this.")


def injection_score(text: str) -> float:
    lowered = normalize(text)
    return round(min(1.0, sum(w for w, p in PATTERNS if p.search(lowered))), 3)


class InjectionRule(Rule):
    name = "injection"
    config_model = InjectionConfig
    config: InjectionConfig

    def check_input(self, ctx: InputContext) -> None:
        score = max((injection_score(t) for t in ctx.texts), default=0.0)
        if score >= self.config.threshold:
            ctx.actions.append(
                Action(self.name, "block", {"score": score, "threshold": self.config.threshold})
            )
            ctx.stop(
                "block",
                "This request was blocked: it looks like an attempt to override the assistant's "
                "instructions or safety rules.",
            )
        elif score > 0:
            ctx.actions.append(
                Action(self.name, "flag", {"score": score, "threshold": self.config.threshold})
            )
