"""Input and output guardrails for served models: PHI, emergencies, denied topics, injection.

Each rule is a small class registered in ``RULES``; a ``Policy`` (YAML) says which rules
run and how. ``GuardrailPipeline`` applies a policy to a request and to its response.
"""

from medfoundry.guardrails.base import RULES, Action, GuardrailFailed, Rule
from medfoundry.guardrails.pipeline import GuardrailPipeline, InputVerdict, OutputGuard
from medfoundry.guardrails.policy import Policy, load_policy

__all__ = [
    "RULES",
    "Action",
    "GuardrailFailed",
    "GuardrailPipeline",
    "InputVerdict",
    "OutputGuard",
    "Policy",
    "Rule",
    "load_policy",
]
