"""Round 7 (dev31, emergencies en+es): any blow to the head told as verb + whose head; a clot risk or a
swollen calf told in one turn (dated or not) stands for a later turn's PE signs; the must-keep side: a CPR
or first-aid credential is training, a threshold question ("a partir de qué temperatura") is not a
report, everyone exposed being well closes a carbon monoxide alarm.

Every message here was written for this file (not copied from tests/data/guardrails). The rules
are read alone (``ngram: false``).
"""

from __future__ import annotations

from typing import Any

import pytest

from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.policy import policy_from_dict
from tests.unit.guardrails.default_rules import rule_signs

RULES = GuardrailPipeline(policy_from_dict({"audience": "patient", "rules": {"emergency": {"ngram": False}}}))
U, A = "user", "assistant"


def _classes(turns: list[tuple[str, str]]) -> list[str]:
    verdict: Any = RULES.check_input([t for _, t in turns], [r for r, _ in turns])
    return [c["class"] for a in verdict.actions if a.action == "escalate" for c in a.details["classes"]]


@pytest.mark.parametrize(
    "text",
    [
        "my son was whacking his head against the crib rail an hour ago and now he's vomiting and very drowsy",
        "I slammed my head into a cupboard door this afternoon and I'm confused and keep throwing up",
    ],
)
def test_a_blow_to_the_head_as_verb_and_whose_head_escalates_with_a_red_flag(text: str) -> None:
    assert "head_injury" in rule_signs(text)


def test_the_idiom_of_frustration_alone_does_not_escalate() -> None:
    assert rule_signs("I'm banging my head against the wall with this insurance form, any tips?") == []


def test_a_blood_thinner_told_earlier_and_a_head_knock_later_escalate() -> None:
    turns = [
        (U, "I take warfarin for a mechanical valve, is ibuprofen ok?"),
        (A, "Ibuprofen raises bleeding risk with warfarin. Is something hurting?"),
        (
            U,
            "yeah I was whacking my head against a low beam in the attic earlier and it's pounding more and more",
        ),
    ]
    assert "severe_bleeding" in _classes(turns)


def test_a_long_flight_days_ago_and_breathlessness_now_escalate_pe() -> None:
    turns = [
        (U, "got back from a 12 hour flight on friday and my right calf is tight and puffy since then"),
        (A, "Thanks. Anything else?"),
        (U, "now I get winded walking to the kitchen and I coughed up some blood this morning"),
    ]
    assert "pe_dissection" in _classes(turns)


def test_a_calf_strain_alone_then_an_unrelated_question_does_not_escalate() -> None:
    turns = [
        (U, "I pulled my calf at football on saturday, it's a bit sore"),
        (A, "Rest and ice usually help. Anything else?"),
        (U, "what stretches are good for tight hamstrings?"),
    ]
    assert _classes(turns) == []


@pytest.mark.parametrize(
    "text",
    [
        "My CPR certification expires next month, where can I renew it?",
        "Our daycare staff need CPR training and a first aid course before summer, any suggestions?",
        "I'm a swim instructor and have to show a CPR card and a flu shot record. Can you give me the flu shot?",
    ],
)
def test_a_cpr_credential_or_course_is_not_a_rescue(text: str) -> None:
    assert rule_signs(text) == []


def test_cpr_being_done_now_still_escalates() -> None:
    assert "cardiac" in rule_signs("he collapsed and has no pulse, I'm doing CPR right now")


def test_spanish_threshold_question_is_not_a_report() -> None:
    assert (
        rule_signs(
            "¿A qué temperatura se considera fiebre en un bebé de 3 semanas? Quiero saberlo por si acaso"
        )
        == []
    )
    assert "infant_fever" in rule_signs("mi bebé de 3 semanas tiene fiebre de 38.5 ahora mismo")


def test_everyone_well_closes_a_carbon_monoxide_alarm_en_es() -> None:
    assert (
        rule_signs(
            "el mes pasado se disparó el detector de monóxido por el boiler, lo arreglaron y estamos todos bien. ¿cuánto dura un detector?"
        )
        == []
    )
    assert (
        rule_signs(
            "our carbon monoxide alarm beeped on Tuesday near the furnace, the gas company fixed it and we're all fine. Which detector brand is best?"
        )
        == []
    )
    assert "poisoning" in rule_signs(
        "la alarma de monóxido está sonando y todos tenemos dolor de cabeza y mareo"
    )
