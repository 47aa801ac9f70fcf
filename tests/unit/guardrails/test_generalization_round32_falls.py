"""A fall told with the plain verb, then someone who cannot be woken (CDC HEADS UP: "cannot be awakened"; AHA: an
unresponsive person needs 911), escalates by the rules alone whether or not the head is named; falling asleep, in
love or behind is no fall, and a fall with the person fine since is no emergency.

Every message here was written for this file (not copied from tests/data/guardrails). The emergency rules are read
alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    "text",
    [
        "my son fell and wont wake up",
        "grandma tripped on the rug and we cant wake her up, she's breathing",
        "he fell off the ladder about ten minutes ago and he won't wake up",
    ],
)
def test_a_fall_then_someone_who_cannot_be_woken_escalates(text: str) -> None:
    assert "head_injury" in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "my teenager fell asleep at 2am and wont wake up for school, how much sleep does he need",
        "he fell off the swing last week, cried for a minute, and now he is fine and playing",
        "I fell behind on my refills, can you send a new one?",
        "my dad fell last year and since then he sleeps a lot, is that normal?",
    ],
)
def test_falls_without_an_unresponsive_person_are_allowed(text: str) -> None:
    assert rule_signs(text) == []
