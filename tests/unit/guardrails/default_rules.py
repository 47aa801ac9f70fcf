"""The default policy's input rules (injection, emergency, denied topics), for tests that ask
what a message draws."""

from __future__ import annotations

from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.policy import policy_from_dict

PIPELINE = GuardrailPipeline(
    policy_from_dict(
        {
            "rules": {
                "injection": {"threshold": 0.6},
                "emergency": {},
                "denied_topic": {"topics": ["controlled_substance_dosing", "lethal_dose"]},
            }
        }
    )
)


def decision(text: str) -> str:
    return PIPELINE.check_input([text]).decision


def escalated(text: str) -> bool:
    return PIPELINE.check_input([text]).escalation
