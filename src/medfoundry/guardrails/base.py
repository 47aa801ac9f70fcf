"""The rule protocol, the actions rules report, and the rule registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from medfoundry.errors import MedfoundryError
from medfoundry.guardrails.text import TokenIndex
from medfoundry.registry import Registry

ACTIONS = ("redact", "escalate", "refuse", "block", "flag", "reject")


class GuardrailFailed(MedfoundryError):
    """A guardrail could not run; the request fails closed instead of passing unchecked."""

    exit_code = 13
    http_status = 503


class GuardrailRejected(MedfoundryError):
    """The policy rejects the request outright (e.g. PHI in the input with ``input: reject``)."""

    exit_code = 14
    http_status = 422


@dataclass(frozen=True)
class Action:
    """One thing a guardrail did; ``details`` never holds raw text (counts, types, scores)."""

    rule: str
    action: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "action": self.action, **self.details}


class RuleConfig(BaseModel):
    """Options common to every rule; each rule extends it with its own fields."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True


@dataclass
class InputContext:
    """What input rules see and may change: the texts of one request.

    ``roles`` says who wrote each text (``user``, ``system``, ``assistant``…); ``None`` means
    every text is the user's (completions prompts). Rules that judge what a person asks
    (emergency, denied topics, injection) read user texts only; PHI is redacted in all.
    """

    texts: list[str]
    audience: str
    original: list[str] = field(default_factory=list)
    roles: list[str] | None = None
    actions: list[Action] = field(default_factory=list)
    decision: str = "allow"  # allow | refuse | block
    message: str | None = None  # the refusal or block text returned instead of the model's
    escalation: bool = False
    notices: list[str] = field(default_factory=list)
    _indexes: dict[str, TokenIndex] = field(default_factory=dict, repr=False)
    analyses: dict[tuple[int, str], Any] = field(default_factory=dict, repr=False)  # per analyzer and text

    def token_index(self, text: str) -> TokenIndex:
        """The words of ``text``, indexed once per request however many rules ask."""
        index = self._indexes.get(text)
        if index is None:
            index = self._indexes[text] = TokenIndex.of(text)
        return index

    def user_texts(self) -> list[tuple[int, str]]:
        """(index, text) of each user turn, as the rules currently see it (PHI redacted)."""
        return [(i, t) for i, t in enumerate(self.texts) if self.roles is None or self.roles[i] == "user"]

    def stop(self, decision: str, message: str) -> None:
        if self.decision == "allow":
            self.decision, self.message = decision, message


class Rule:
    """A guardrail rule: override ``check_input`` and/or ``scan_output``."""

    name: ClassVar[str]
    config_model: ClassVar[type[RuleConfig]] = RuleConfig
    checks_output: ClassVar[bool] = False
    # Still run after an earlier rule blocked the request: the emergency rule, so that a person in crisis whose
    # message also trips the injection rule gets the emergency notice with the block (the remote safety classifier
    # is not asked about blocked requests)
    runs_after_block: ClassVar[bool] = False

    def __init__(self, config: RuleConfig) -> None:
        self.config = config

    def check_input(self, ctx: InputContext) -> None:
        """Inspect (and possibly rewrite) ``ctx.texts``; record actions on ``ctx``."""

    def output_spans(self, text: str, ctx: InputContext) -> list[tuple[int, int, str, str]]:
        """Spans of model output to replace: ``(start, end, type, replacement)``."""
        return []


RULES: Registry[type[Rule]] = Registry("guardrail rule")
RULES.register("injection", "medfoundry.guardrails.injection:InjectionRule")
RULES.register("phi", "medfoundry.guardrails.phi:PHIRule")
RULES.register("emergency", "medfoundry.guardrails.emergency:EmergencyRule")
RULES.register("denied_topic", "medfoundry.guardrails.denied_topics:DeniedTopicRule")
RULES.register("safety_classifier", "medfoundry.guardrails.classifier:SafetyClassifierRule")
