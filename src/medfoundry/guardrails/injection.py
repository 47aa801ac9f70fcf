"""Prompt-injection and jailbreak heuristics: weighted patterns summed into a score."""

from __future__ import annotations

import re
from typing import NamedTuple

from pydantic import Field

from medfoundry.guardrails.base import Action, InputContext, Rule, RuleConfig
from medfoundry.guardrails.text import normalize


class Pattern(NamedTuple):
    """A weighted regex and its gate: groups of words, each group needing one present.

    The gate is implied by the regex (each group lists the alternatives the regex
    requires), so checking it first — plain substring tests, far cheaper than a regex
    that begins with ``\\b`` over a 4 KB message — changes no score.
    """

    weight: float
    regex: re.Pattern[str]
    gate: tuple[tuple[str, ...], ...]

    def matches(self, lowered: str) -> bool:
        return all(any(word in lowered for word in group) for group in self.gate) and bool(
            self.regex.search(lowered)
        )


def _pattern(weight: float, regex: str, *gate: str) -> Pattern:
    return Pattern(weight, re.compile(regex), tuple(tuple(group.split("|")) for group in gate))


# A request whose weights sum to the threshold or more is blocked.
PATTERNS: tuple[Pattern, ...] = (
    _pattern(
        0.7,
        r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|all|your|system|these)\b.{0,30}\b(instructions?|prompts?|rules?|directions?|guidelines?|polic(y|ies)|guardrails?)",
        "ignore|disregard|forget|override|bypass",
        "instruction|prompt|rule|direction|guideline|polic|guardrail",
    ),
    _pattern(
        0.6,
        r"\b(reveal|print|show|repeat|output|leak|tell me)\b.{0,40}\b(system|hidden|initial|original|secret)\s+(prompt|instructions?|message|rules)",
        "system|hidden|initial|original|secret",
        "prompt|instruction|message|rules",
    ),
    _pattern(
        0.6,
        r"\b(you are now|from now on you are|act as|pretend (to be|you are)|roleplay as)\b.{0,60}\b(dan|unfiltered|uncensored|jailbroken|unrestricted|no (rules|restrictions|limits|filters)|evil|without (any )?(rules|restrictions|limits))",
        "you are now|from now on you are|act as|pretend|roleplay as",
    ),
    _pattern(0.6, r"\b(developer|god|debug|dan|jailbreak|sudo|admin)\s+mode\b", "mode"),
    _pattern(0.6, r"\bjailbreak|\bjailbroken\b|\bdo anything now\b", "jailbr|do anything now"),
    _pattern(
        0.4,
        r"\b(no|without|free from)\s+(ethical|safety|moral|content)\s+(guidelines|restrictions|filters|rules|limits)",
        "ethical|safety|moral|content",
        "guidelines|restrictions|filters|rules|limits",
    ),
    _pattern(0.4, r"\b(new|updated|real) (system )?instructions?\s*:", "instruction"),
    _pattern(
        0.6,
        r"<\|?(im_start|system|endoftext)\|?>|\[/?(inst|system)\]|###\s*(system|instruction)",
        "im_start|system|endoftext|inst",
    ),
    _pattern(
        0.6,
        r"\b(bypass|disable|turn off|switch off|circumvent)\b.{0,30}\b(filter|guardrail|safety|moderation|censorship|restrictions?)",
        "bypass|disable|turn off|switch off|circumvent",
    ),
    _pattern(
        0.3, r"\byou have no (content )?(policy|policies|rules|restrictions|limits|filters)", "you have no"
    ),
    _pattern(0.3, r"\bhypothetically\b.{0,60}\b(no rules|not bound|unrestricted)", "hypothetically"),
    _pattern(0.3, r"\bbase64\b.{0,40}\b(decode|execute|follow)", "base64"),
)


class InjectionConfig(RuleConfig):
    threshold: float = Field(0.6, gt=0, description="Block when the summed pattern weights reach this.")


def injection_score(text: str) -> float:
    lowered = normalize(text)
    return round(min(1.0, sum(p.weight for p in PATTERNS if p.matches(lowered))), 3)


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
