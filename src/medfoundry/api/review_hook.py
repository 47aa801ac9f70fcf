"""The chat route's one call into human review: route the finished response, hold it or flag it."""

from __future__ import annotations

from fastapi.concurrency import run_in_threadpool

from medfoundry.api.errors import APIError
from medfoundry.api.service import Call
from medfoundry.review.routing import may_hold, route_response


def check_single_prompt(call: Call, prompts: int) -> None:
    """A review task is one prompt and its answer: a routing deployment takes one prompt per request."""
    review = call.dep.policy.review
    if prompts > 1 and review is not None and review.routes_anything:
        raise APIError(
            400,
            f"Deployment '{call.dep.name}' routes responses to human review: send one prompt per request.",
            param="prompt",
        )


def holds_stream(call: Call) -> bool:
    """A stream whose response might be held is buffered: nothing is sent before the routing decision."""
    return may_hold(call.dep.policy.review)


async def review_response(call: Call, messages: list[dict[str, str]]) -> bool:
    """Route the response to review per the deployment's policy; True when its content must be withheld."""
    dep = call.dep
    report = await run_in_threadpool(
        route_response, call.state.store, dep.policy.review,
        deployment=(dep.id, dep.name, dep.model_id), request_id=call.request_id, key_id=call.key.id,
        messages=messages, output="".join(call.response_parts), actions=call.actions,
        escalation=call.escalation, finish_reason=call.finish_reason,
    )  # fmt: skip
    call.review = report
    return report is not None and report["mode"] == "hold"
