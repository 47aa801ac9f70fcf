"""Guardrail policies: which rules run, with what options; loaded from YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from medfoundry.errors import ConfigError, NotFound
from medfoundry.guardrails.base import RULES, RuleConfig
from medfoundry.review_policy import ReviewPolicy
from medfoundry.shipped import resolve_config

# Rules run in this order whatever order the policy lists them in.
RULE_ORDER = ("injection", "phi", "emergency", "safety_classifier", "denied_topic")


def _default_rules() -> dict[str, dict[str, Any]]:
    return {
        "injection": {"threshold": 0.6},
        "phi": {"input": "redact", "output": "redact"},
        "emergency": {},
        "denied_topic": {"topics": ["controlled_substance_dosing", "lethal_dose"]},
    }


class Policy(BaseModel):
    """A deployment's guardrail policy (the file given to ``medfoundry deploy --policy``)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("default", description="A label for the policy, shown in deployments list.")
    description: str = Field("", description="What the policy is for.")
    audience: Literal["patient", "clinician"] = Field(
        "patient", description="Who reads the responses: patient-facing deployments escalate emergencies."
    )
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=_default_rules, description="Rule name → its options; a rule not listed is off."
    )
    log_requests: bool = Field(
        False, description="Store each request and response encrypted (PHI artifact) and link it in audit."
    )
    review: ReviewPolicy | None = Field(None, description="Route responses to human review (see docs).")

    def rule_configs(self) -> list[tuple[str, RuleConfig]]:
        """Each enabled rule's validated options, in execution order."""
        problems: list[str] = []
        configs: list[tuple[str, RuleConfig]] = []
        for name in sorted(self.rules, key=lambda n: RULE_ORDER.index(n) if n in RULE_ORDER else 99):
            try:
                rule_cls = RULES.get(name)
            except NotFound as exc:
                problems.append(f"rules.{name}: {exc.message}")
                continue
            try:
                config = rule_cls.config_model.model_validate(self.rules[name] or {})
            except ValidationError as exc:
                problems.extend(_pydantic_problems(exc, prefix=f"rules.{name}"))
                continue
            if config.enabled:
                configs.append((name, config))
        if problems:
            raise ConfigError(problems, source=f"policy '{self.name}'")
        return configs


def _pydantic_problems(exc: ValidationError, *, prefix: str = "") -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "")
        out.append(f"{where}: {err['msg']}")
    return out


def policy_from_dict(data: dict[str, Any], *, source: str = "policy") -> Policy:
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_pydantic_problems(exc), source=source) from exc
    policy.rule_configs()  # validate every rule's options now, reporting all problems
    return policy


def load_policy(path: Path | str) -> Policy:
    """Read and validate a policy YAML file; errors name the file and the field."""
    path = resolve_config(path, "guardrails")
    if not path.is_file():
        raise NotFound(f"policy file {path} does not exist", hint="see configs/guardrails/ for examples")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=str(path)) from exc
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a mapping", source=str(path))
    return policy_from_dict(data, source=str(path))
