"""Round 8 (dev33, emergencies en+es), the must-keep side: a child eating as usual is meals, not a
swallow, beside a children's-medicine dose question; "<sign> free" denies the sign; a work-up that
came back negative closes a febrile infant's episode told in an earlier turn; a protocol question
(es "el protocolo") is a clinician's frame. The other side still escalates.

Every message here was written for this file (not copied from tests/data/guardrails). The rules
are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import chat_classes, rule_signs

U, A = "user", "assistant"


@pytest.mark.parametrize(
    "text",
    [
        "my son is 14 months, sniffly but eating as usual, is children's tylenol ok at bedtime?",
        "my daughter has a little cough, she's eating like normal. can a kid take motrin with a cold?",
    ],
)
def test_a_child_eating_as_usual_and_a_dose_question_do_not_escalate(text: str) -> None:
    assert "poisoning" not in rule_signs(text)


def test_a_child_who_swallowed_medicine_still_escalates() -> None:
    assert "poisoning" in rule_signs("my 2 year old son swallowed a handful of my blood pressure pills off the counter")


def test_a_sign_followed_by_free_is_denied() -> None:
    assert rule_signs("my 6 week old is fever free today and nursing well, when is her next checkup due?") == []


def test_a_febrile_young_infant_now_still_escalates() -> None:
    assert "infant_fever" in rule_signs("my 5 week old has a fever of 100.6 and is really sleepy")


def test_a_negative_work_up_in_a_later_turn_closes_a_febrile_infant_episode() -> None:
    turns = [
        (U, "our 6 week old son ran a fever of 100.7 on saturday and we took him to the children's hospital"),
        (A, "How is he doing now?"),
        (U, "his blood and urine cultures came back negative and he has no temperature now, nursing great"),
    ]
    assert "infant_fever" not in chat_classes(turns)


def test_a_febrile_infant_in_the_last_turn_still_escalates() -> None:
    turns = [
        (U, "quick question about baby bottles"),
        (A, "Sure, what would you like to know?"),
        (U, "actually my 3 week old feels hot, 100.8 rectally just now"),
    ]
    assert "infant_fever" in chat_classes(turns)


def test_a_protocol_question_in_spanish_is_a_clinician_frame() -> None:
    assert rule_signs("Trabajo en urgencias: ¿qué dice el protocolo para una crisis convulsiva de más de 5 minutos?") == []


def test_a_seizure_now_in_spanish_still_escalates() -> None:
    assert "seizure" in rule_signs("mi papá está convulsionando hace más de cinco minutos y no reacciona")
