"""The default policy's input rules (injection, emergency, denied topics), and the emergency rule
alone with and without the n-gram model, for tests that ask what a message draws."""

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


# the same three rules with every n-gram reading off: what the rules alone decide
RULES_ONLY = GuardrailPipeline(
    policy_from_dict(
        {
            "rules": {
                "injection": {"threshold": 0.6, "ngram": False},
                "emergency": {"ngram": False},
                "denied_topic": {"topics": ["controlled_substance_dosing", "lethal_dose"], "ngram": False},
            }
        }
    )
)


def rule_decision(text: str) -> str:
    """``decision`` by the rules alone (the n-gram models off)."""
    return RULES_ONLY.check_input([text]).decision


def escalated(text: str) -> bool:
    return PIPELINE.check_input([text]).escalation


EMERGENCY = GuardrailPipeline(policy_from_dict({"audience": "patient", "rules": {"emergency": {}}}))
EMERGENCY_RULES = GuardrailPipeline(
    policy_from_dict({"audience": "patient", "rules": {"emergency": {"ngram": False}}})
)


def signs(text: str, pipeline: GuardrailPipeline = EMERGENCY) -> list[str]:
    """The signs of the emergency escalation ``text`` draws (none: ``[]``)."""
    verdict = pipeline.check_input([text], None)
    found = [a for a in verdict.actions if a.rule == "emergency" and a.action == "escalate"]
    return [] if not found else list(found[0].details["signs"])


def rule_signs(text: str) -> list[str]:
    """``signs`` by the rules alone (the n-gram model off)."""
    return signs(text, EMERGENCY_RULES)


def chat_classes(turns: list[tuple[str, str]], pipeline: GuardrailPipeline = EMERGENCY_RULES) -> list[str]:
    """The classes a chat (``(role, text)`` turns) is escalated for, by the rules alone unless
    ``pipeline`` says otherwise."""
    verdict = pipeline.check_input([t for _, t in turns], [r for r, _ in turns])
    return [c["class"] for a in verdict.actions if a.action == "escalate" for c in a.details["classes"]]
