"""Which served responses go to human review, and the hook the chat route calls.

``routing_reasons`` is a pure function of the policy and what the guardrails did.
``low_confidence``: the backends expose no token probabilities, so it fires on the signals
of an unreliable answer that are measured: a truncated output (``finish_reason`` length)
or a prompt the injection rule flagged (scored below its block threshold).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from medfoundry.guardrails.base import Action
from medfoundry.review.tasks import NewTask, create_task
from medfoundry.review_policy import ReviewPolicy
from medfoundry.store.database import Store


def routing_reasons(
    policy: ReviewPolicy,
    actions: Sequence[Action],
    *,
    escalation: bool,
    finish_reason: str | None,
    draw: float,
) -> list[str]:
    """Why this response goes to review (empty: it does not). ``draw`` is uniform in [0, 1)."""
    fired = {
        "escalation": escalation or any(a.rule == "emergency" and a.action == "escalate" for a in actions),
        "denied_topic": any(a.rule == "denied_topic" for a in actions),
        "phi_output": any(a.rule == "phi" and a.details.get("where") == "output" for a in actions),
        "low_confidence": finish_reason == "length"
        or any(a.rule == "injection" and a.action == "flag" for a in actions),
    }
    reasons = ["always"] if policy.always else []
    reasons += [rule for rule in policy.rules if fired[rule]]
    if not reasons and draw < policy.sample_rate:
        reasons.append("sampled")
    return reasons


def may_hold(policy: ReviewPolicy | None) -> bool:
    """Whether a response of this policy might be held (a stream must then be buffered)."""
    return policy is not None and policy.mode == "hold" and policy.routes_anything


def route_response(
    store: Store,
    policy: ReviewPolicy | None,
    *,
    deployment: tuple[str, str, str],
    request_id: str,
    key_id: str,
    messages: list[dict[str, str]],
    output: str,
    actions: Sequence[Action],
    escalation: bool,
    finish_reason: str | None,
) -> dict[str, Any] | None:
    """Create a review task when the policy routes this response; its report for the response body."""
    if policy is None or not policy.routes_anything:
        return None
    reasons = routing_reasons(
        policy, actions, escalation=escalation, finish_reason=finish_reason, draw=random.random()
    )
    if not reasons:
        return None
    deployment_id, deployment_name, model_id = deployment
    new = NewTask(
        source="serve", source_ref=request_id, messages=messages, output=output,
        deployment_id=deployment_id, deployment_name=deployment_name, model_id=model_id, mode=policy.mode,
        reasons=tuple(reasons), reviewers=policy.reviewers, taxonomy=tuple(policy.reasons),
    )  # fmt: skip
    task = create_task(store, new, actor=f"api_key:{key_id}")
    return {"id": task.id, "status": "pending", "mode": policy.mode, "reasons": reasons}
