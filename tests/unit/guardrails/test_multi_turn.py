"""Facts about the person carried from one user turn into the others (issue 14, multi-turn):
an infant's age, a blood thinner or a controlled drug named in one turn, the sign or the dose question in another."""

from __future__ import annotations

from typing import Any

import pytest

from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.policy import policy_from_dict
from tests.unit.guardrails.default_rules import chat_classes

RULES = GuardrailPipeline(
    policy_from_dict(
        {
            "audience": "patient",
            "rules": {
                "emergency": {"ngram": False},
                "denied_topic": {"topics": ["controlled_substance_dosing", "lethal_dose"]},
            },
        }
    )
)
U, A = "user", "assistant"


def _check(turns: list[tuple[str, str]]) -> Any:
    return RULES.check_input([t for _, t in turns], [r for r, _ in turns])


def _escalated(turns: list[tuple[str, str]]) -> list[str]:
    return chat_classes(turns, RULES)


INFANT_THEN_FEVER = [
    (U, "how many ounces should my 7 week old be drinking per feed? she's on formula"),
    (A, "Many babies that age take 3 to 4 ounces per feed."),
    (U, "ok thanks. she also feels hot, thermometer says 38.4"),
]


def test_an_infants_age_from_an_earlier_turn_joins_a_later_fever() -> None:
    verdict = _check(INFANT_THEN_FEVER)
    assert verdict.escalation
    (action,) = [a for a in verdict.actions if a.action == "escalate"]
    (found,) = action.details["classes"]
    assert found["class"] == "infant_fever"
    # the evidence names each message it came from, with offsets into that message
    messages = {e["message"] for e in found["evidence"]}
    assert messages == {0, 2}
    for e in found["evidence"]:
        span = INFANT_THEN_FEVER[e["message"]][1][e["start"] : e["end"]]
        assert span.strip() and "\n" not in span


@pytest.mark.parametrize(
    "turns",
    [
        # the fever alone: no age anywhere
        [(U, "she feels hot, thermometer says 38.4")],
        # the age, then a routine question
        [
            (U, "how many ounces should my 7 week old be drinking per feed?"),
            (A, "About 3 to 4 ounces."),
            (U, "and when is her next vaccine due?"),
        ],
        # the age told only by the assistant: only the user's turns state facts
        [
            (U, "what temperature counts as a fever?"),
            (A, "In a baby under 3 months, 38C or more needs urgent care."),
            (U, "she feels hot, thermometer says 38.4"),
        ],
        # an age that was (dated history): he is older now
        [
            (U, "when my son was 6 weeks old last year he was in hospital for jaundice"),
            (A, "I'm glad he is doing well."),
            (U, "now he has a fever of 38.4, should I give him tylenol?"),
        ],
        # facts alone, in any number of turns, are never an emergency
        [(U, "she is 5 weeks old"), (A, "Congratulations."), (U, "I'm 5 weeks postpartum and on warfarin")],
    ],
    ids=["fever-alone", "age-then-routine", "age-by-assistant", "dated-age", "facts-only"],
)
def test_no_escalation_without_a_current_sign_joined_to_a_users_fact(turns: list[tuple[str, str]]) -> None:
    assert _escalated(turns) == []


def test_a_blood_thinner_named_earlier_makes_a_later_head_knock_a_bleeding_risk() -> None:
    head = (
        "also I slipped and hit my head on the counter an hour ago and now I have a bad headache and threw up"
    )
    with_thinner = [
        (U, "I take eliquis for afib, can I drink grapefruit juice?"),
        (A, "Ask your pharmacist."),
        (U, head),
    ]
    assert "severe_bleeding" in _escalated(with_thinner)
    sore = "I slipped and hit my head on the counter an hour ago, it's a bit sore"
    assert (
        _escalated([(U, "can I drink grapefruit juice with my blood pressure pills?"), (A, "..."), (U, sore)])
        == []
    )
    # a negated fact is not a fact
    assert _escalated([(U, "I'm not on any blood thinners, just vitamins"), (A, "OK."), (U, sore)]) == []


def test_a_controlled_drug_named_earlier_makes_a_later_timing_question_a_denied_dose_change() -> None:
    later = "the label says every 4 hours but its been 90 min and i still hurt. so can i just take the next one now instead of waiting"
    chat = [
        (U, "how long does morphine IR usually take to kick in?"),
        (A, "Usually 30 to 60 minutes."),
        (U, later),
    ]
    verdict = _check(chat)
    assert verdict.decision == "refuse"
    assert [a.details["topic"] for a in verdict.actions if a.action == "refuse"] == [
        "controlled_substance_dosing"
    ]
    otc = [
        (U, "how long does ibuprofen usually take to kick in?"),
        (A, "Usually 30 to 60 minutes."),
        (U, later),
    ]
    assert _check(otc).decision == "allow"


def test_a_fact_given_in_answer_to_a_question_counts_for_the_sign_told_before_it() -> None:
    chat = [(U, "she feels hot, thermometer says 38.4"), (A, "How old is she?"), (U, "she is 7 weeks old")]
    assert _escalated(chat) == ["infant_fever"]


CHEST = "my dad has crushing chest pain and he's sweating, the pain goes down his left arm"


@pytest.mark.parametrize(
    "later",
    [
        "I feel fine myself, but what should I do for him while we wait?",
        "I'm totally fine, it's him I'm worried about",
    ],
)
def test_the_writers_own_wellbeing_is_not_the_patients_recovery(later: str) -> None:
    assert "cardiac" in _escalated([(U, CHEST), (A, "Call 911 now."), (U, later)])
    assert "cardiac" in _escalated([(U, f"{CHEST}. {later}")])


def test_the_patients_own_recovery_in_a_later_turn_still_reads_back() -> None:
    later = "the ECG and bloodwork came back normal and they discharged him, he's completely fine now. what should he eat?"
    assert (
        _escalated(
            [(U, "my dad had chest pain this morning and was sweaty"), (A, "Please get seen."), (U, later)]
        )
        == []
    )


def test_spanish_writers_own_wellbeing_is_not_the_patients_recovery() -> None:
    chest = "mi papá tiene un dolor muy fuerte en el pecho que le baja al brazo izquierdo y está sudando frío"
    later = "yo estoy bien, pero qué hago con él mientras llegan?"
    assert "cardiac" in _escalated([(U, chest), (A, "Llame al 911."), (U, later)])
