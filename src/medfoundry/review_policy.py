"""A deployment's human-review policy and the review gate's settings (plain models every layer may read)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ROUTING_RULES = ("escalation", "low_confidence", "phi_output", "denied_topic")
DEFAULT_REASONS = ("hallucination", "omission", "unsafe", "wrong_patient_context", "phi", "style")
RuleName = Literal["escalation", "low_confidence", "phi_output", "denied_topic"]


class ReviewPolicy(BaseModel):
    """Routing of a deployment's responses to human review (``review:`` in the policy YAML)."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["hold", "flag"] = Field(
        "hold",
        description="hold: the response is withheld until a reviewer approves it; "
        "flag: it is released at once and marked as under review.",
    )
    always: bool = Field(False, description="Route every response to review.")
    sample_rate: float = Field(
        0.0, ge=0.0, le=1.0, description="Route this fraction of the other responses (random)."
    )
    rules: list[RuleName] = Field(
        default_factory=list,
        description="Route a response when one of these fires: escalation, low_confidence "
        "(a truncated answer or an injection-suspect prompt), phi_output (PHI redacted in the output), "
        "denied_topic.",
    )
    reviewers: int = Field(1, ge=1, le=2, description="Reviews per task; 2 enables agreement (kappa).")
    reasons: list[str] = Field(
        default_factory=lambda: list(DEFAULT_REASONS),
        description="The rejection-reason taxonomy reviewers choose from.",
    )

    @field_validator("reasons")
    @classmethod
    def _reasons_are_codes(cls, value: list[str]) -> list[str]:
        bad = [r for r in value if not r or not r.replace("_", "").isalnum()]
        if bad or not value:
            raise ValueError("reasons must be a non-empty list of codes (letters, digits, '_')")
        return value

    @property
    def routes_anything(self) -> bool:
        return self.always or self.sample_rate > 0 or bool(self.rules)


class HumanReviewGate(BaseModel):
    """A gate on reviewers' verdicts of a model's outputs (``human_review:`` in a gates file)."""

    model_config = ConfigDict(extra="forbid")

    min_acceptance: float = Field(ge=0.0, le=1.0, description="Least share of reviewed outputs accepted.")
    min_items: int = Field(ge=1, description="Least number of reviewed outputs; fewer fails the gate.")
    count_edits_as_accepted: bool = Field(
        False, description="Count edited outputs as accepted (default: only approvals unchanged)."
    )
