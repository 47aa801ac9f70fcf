"""Pure parts of review: edit distance, Cohen's kappa, routing reasons, the policy section."""

from __future__ import annotations

import pytest

from medfoundry.errors import ConfigError
from medfoundry.guardrails.base import Action
from medfoundry.guardrails.policy import policy_from_dict
from medfoundry.review.quality import cohens_kappa, edit_distance, edit_ratio
from medfoundry.review.routing import may_hold, routing_reasons
from medfoundry.review_policy import ReviewPolicy


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("take rest", "take rest", 0), ("take rest", "take more rest", 1),
     ("a b c", "c b a", 2), ("one two three", "", 3), ("x", "y", 1)],
)  # fmt: skip
def test_word_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == edit_distance(b, a)


def test_edit_ratio_is_relative_to_the_longer_text() -> None:
    assert edit_ratio("a b c d", "a b c e") == pytest.approx(0.25)
    assert edit_ratio("", "") == 0.0 and edit_ratio("a", "") == 1.0


def test_cohens_kappa_matches_a_hand_computed_table() -> None:
    # 10 items: both approve 4, both reject 3, disagree 3 (A approves/B rejects 2, A rejects/B approves 1).
    pairs = [("approved", "approved")] * 4 + [("rejected", "rejected")] * 3
    pairs += [("approved", "rejected")] * 2 + [("rejected", "approved")]
    # observed 0.7; A: 6 approve 4 reject; B: 5 approve 5 reject; expected 0.6*0.5 + 0.4*0.5 = 0.5
    assert cohens_kappa(pairs) == pytest.approx((0.7 - 0.5) / 0.5)
    assert cohens_kappa([]) is None
    assert cohens_kappa([("approved", "approved")] * 3) == 1.0
    assert cohens_kappa([("approved", "rejected"), ("rejected", "approved")]) == pytest.approx(-1.0)


def test_routing_always_rules_and_sampling() -> None:
    escalate = Action("emergency", "escalate", {"signs": ["chest pain"]})
    phi_out = Action("phi", "redact", {"where": "output", "types": {"NAME": 1}})
    phi_in = Action("phi", "redact", {"where": "input", "types": {"NAME": 1}})
    rules = ReviewPolicy(rules=["escalation", "phi_output", "low_confidence", "denied_topic"])
    assert routing_reasons(rules, [escalate], escalation=True, finish_reason="stop", draw=0.9) == ["escalation"]
    assert routing_reasons(rules, [phi_in], escalation=False, finish_reason="stop", draw=0.0) == []
    assert routing_reasons(rules, [phi_out], escalation=False, finish_reason="stop", draw=0.9) == ["phi_output"]
    assert routing_reasons(rules, [], escalation=False, finish_reason="length", draw=0.9) == ["low_confidence"]
    denied = Action("denied_topic", "refuse", {"topic": "controlled_substance_dosing"})
    assert routing_reasons(rules, [denied], escalation=False, finish_reason="stop", draw=0.9) == ["denied_topic"]
    sampled = ReviewPolicy(sample_rate=0.25)
    assert routing_reasons(sampled, [], escalation=False, finish_reason="stop", draw=0.2) == ["sampled"]
    assert routing_reasons(sampled, [], escalation=False, finish_reason="stop", draw=0.3) == []
    assert routing_reasons(ReviewPolicy(always=True), [], escalation=False, finish_reason=None, draw=1.0) == ["always"]
    assert routing_reasons(ReviewPolicy(rules=["escalation"]), [phi_out], escalation=False, finish_reason="stop",
                           draw=0.0) == []  # fmt: skip


def test_hold_needs_a_routing_policy() -> None:
    assert not may_hold(None) and not may_hold(ReviewPolicy())
    assert may_hold(ReviewPolicy(always=True)) and not may_hold(ReviewPolicy(always=True, mode="flag"))


def test_policy_file_review_section_is_validated() -> None:
    policy = policy_from_dict({"review": {"sample_rate": 0.1, "rules": ["escalation"], "reviewers": 2}})
    assert policy.review is not None and policy.review.reviewers == 2
    assert policy_from_dict({}).review is None
    with pytest.raises(ConfigError) as err:
        policy_from_dict({"review": {"rules": ["vibes"], "sample_rate": 2}})
    text = str(err.value.problems)
    assert "review.rules" in text and "review.sample_rate" in text
