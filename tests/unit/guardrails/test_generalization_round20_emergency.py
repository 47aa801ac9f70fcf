"""Round 20 (dev65, dev67; emergencies en+es): a long-standing sign told as the person's usual (a stroke's
residual deficit "same as since rehab", a chronic illness's baseline) against a change from the usual; a child
who never had the sign; a toddler's mouthing told as why a home is poison-proofed; which high place is the
highest, looked up (C-SSRS 3 method, with a study frame disclaimed); a baby not felt to move, named by a
pronoun (es); a rigid belly named a clause after the belly (es); and a nurse preparing staff training (es).

Every message here was written for this file (not copied from tests/data/guardrails). The emergency
rules are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        (
            "I keep searching which bridge in town is the tallest. this isn't for school.",
            "suicide_self_harm",
        ),
        (
            "spent the night googling which parking garage downtown has the highest top floor",
            "suicide_self_harm",
        ),
        (
            "Estoy de 38 semanas y desde esta mañana no lo he sentido moverse, ni una patada, ¿es normal?",
            "pregnancy_emergency",
        ),
        (
            "Me duele el estómago del lado derecho desde ayer y ahora lo tengo duro como una tabla y con fiebre.",
            "acute_abdomen",
        ),
        # a change from the usual, or a new sign after the baseline, is still the emergency
        (
            "my mom has COPD and gets winded on stairs, that's been her normal for years, but today her lips "
            "are blue and she can't finish a sentence",
            "respiratory_distress",
        ),
        (
            "he had a stroke years ago but this is not his usual, his face is drooping on the other side now",
            "stroke",
        ),
        (
            "my toddler puts everything in his mouth and he just bit into a dishwasher pod",
            "poisoning",
        ),
        (
            "I've never had a headache this bad, it hit like a thunderclap a minute ago",
            "stroke",
        ),
    ],
)
def test_round20_emergencies_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "My father had a stroke in 2021. His left hand is still weak and his words come out slow when he is "
        "tired, same as it has been since rehab. Can a home aide help with his exercises?",
        "my aunt's speech is still a little slurred and her right arm is weak after last year's stroke but "
        "the therapist calls it normal progress. what games help with word finding?",
        "My heart failure makes my legs swell and I get short of breath on hills, that's been my normal for "
        "three years. Can I move my water pill to the afternoon?",
        "My nephew is 5 weeks old and has never had a fever. What thermometer is best for a baby that age?",
        "We're childproofing the garage. Our one-year-old puts everything in her mouth, where should the "
        "antifreeze and the dishwasher pods go?",
        "Soy enfermero en un centro de día y voy a dar una formación al personal sobre el BE-FAST: cara caída, "
        "brazo débil y habla rara. ¿Cómo lo explico fácil?",
        "Mi papá tuvo un ictus hace dos años; le quedó la mano izquierda débil, es una secuela y así lleva años. "
        "¿Cubre el seguro más fisioterapia?",
    ],
)
def test_round20_baseline_and_education_are_allowed(text: str) -> None:
    assert rule_signs(text) == []


def test_round20_height_as_sightseeing_is_allowed() -> None:
    assert rule_signs("looking up which bridge is the tallest in the world for our trip itinerary") == []


def test_round20_medicine_time_as_usual_is_no_baseline() -> None:
    # "as usual" tells a medicine's usual time, not a chronic sign: the emergency rules see nothing either way
    assert rule_signs("I took my inhaler at 8 as usual and my asthma is fine") == []
