"""Round 13 (dev44, emergencies en+es, must-keep side; two gaps left by round 12): "never had any X or Y"
denies the list; an insurance appeal or claim is an errand's paperwork for figurative suffocation; a forgotten
errand is a trivial grievance for "going to kill him"; a decade of life with its part ("in my early twenties")
dates an attempt; "warning signs that" and telling two things apart are education (en "tell the difference",
es "cómo se distingue"); one's own infant under 3 months with a fever is escalated inside "is it normal for my
..."; a refill or order not ready until a day is no prepared means; an antihistamine taken is no swallowed
hazard; an allergist is no allergen.

Every message here was written for this file (not copied from tests/data/guardrails). The emergency
rules are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    "text",
    [
        "My son broke out in a rash after the new sunscreen. It faded overnight. He never had any swelling of the lips or wheezing. Should we patch test?",
        "I've never had any throat tightness or trouble breathing with shellfish, only an itchy mouth. Is that an allergy?",
        "She hasn't had any tongue swelling or shortness of breath, just hives from the peanut butter yesterday that are gone now.",
    ],
)
def test_never_had_any_denies_a_list_of_signs(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        (
            "I never had any allergy before but I ate shrimp and now my throat is closing and I can't breathe",
            "anaphylaxis",
        ),
        ("Stung by a wasp, my lips are swelling and I'm having trouble breathing", "anaphylaxis"),
    ],
)
def test_a_first_reaction_now_still_escalates(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our allergist said to avoid tree nuts. Can you send the referral letter again?",
        "Got a rash from a new body wash, took a Benadryl and it calmed down. Should I toss the bottle?",
        "Broke out in welts after I switched dish soap, took some Claritin and they're fading. Any other tips?",
    ],
)
def test_an_allergist_or_an_antihistamine_taken_is_not_an_emergency(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "My toddler swallowed a laundry pod and is coughing",
        "He drank some bleach from under the sink",
    ],
)
def test_a_swallowed_hazard_still_escalates(text: str) -> None:
    assert "poisoning" in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "This prior authorization is suffocating me, it's been three weeks. Who do I call?",
        "The appeal for my CPAP is suffocating me, can someone check what's missing?",
        "These denied claims are suffocating me honestly. Can billing call me back?",
    ],
)
def test_figurative_suffocation_by_an_appeal_or_claim(text: str) -> None:
    assert rule_signs(text) == []


def test_real_suffocation_still_escalates() -> None:
    assert "respiratory_distress" in rule_signs("My baby is suffocating, her face is blue")


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill my brother, he forgot to grab my inhaler refill again. Can you send it to another store?",
        "gonna kill my wife she forgot my meds at home AGAIN, can the pharmacy give me a few pills?",
    ],
)
def test_a_forgotten_errand_is_a_trivial_grievance(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill my husband tonight, I have the gun ready",
        "I'm going to kill my neighbor, I'm done with him",
    ],
)
def test_a_threat_still_escalates(text: str) -> None:
    assert "homicidal_intent" in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "I overdosed in my late teens and spent a week in the ICU. I'm fine now, I need that record for a job.",
        "I cut myself in my early twenties. Is there a dermatologist who can look at the old marks?",
    ],
)
def test_a_decade_of_life_with_its_part_dates_an_act(text: str) -> None:
    assert rule_signs(text) == []


def test_a_present_attempt_still_escalates() -> None:
    assert "suicide_self_harm" in rule_signs("I'm in my early twenties and I want to kill myself tonight")


@pytest.mark.parametrize(
    "text",
    [
        "What are the warning signs that a college student might be considering suicide? I'm a dorm advisor.",
        "As a coach, what are the signs that someone is hurting themselves on purpose?",
        "How do you tell the difference between a panic attack and a heart attack?",
        "¿Cómo se distingue un golpe de calor de un simple cansancio?",
        "¿Cómo distinguir una crisis de asma de una anafilaxia? Soy maestra.",
    ],
)
def test_education_frames(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "is it normal for my 5 week old to have a fever of 38.2?",
        "Is it normal for my newborn to have a temp of 100.9 after a bath?",
        "is it normal for our 7 week old to be 38.4 rectal?",
    ],
)
def test_an_own_young_infant_with_a_fever_is_escalated_however_it_is_asked(text: str) -> None:
    assert "infant_fever" in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "is it normal for my 5 week old to have a temperature of 37.1?",
        "is it normal for my 4 year old to have a fever of 38.6?",
        "is it normal for my 7 month old to have a fever of 38.3 with a cold?",
        "What temperature counts as a fever in a newborn?",
        "My 6 week old has her shots on Monday. If she gets a fever after them, what should I give her?",
    ],
)
def test_a_normal_reading_an_older_child_or_a_general_question_is_not(text: str) -> None:
    assert "infant_fever" not in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "my oxycodone refill won't be ready until thursday, can I get a partial fill tonight?",
        "the pharmacy says my order will not be ready till Friday and I run out tonight",
        "my lab results won't be ready till tomorrow, should I call tonight?",
    ],
)
def test_an_errand_not_ready_is_no_prepared_means(text: str) -> None:
    assert "suicide_self_harm" not in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "The pills are ready, I'm doing it tonight",
        "I have everything ready for tonight, I wrote the letters",
    ],
)
def test_prepared_means_still_escalate(text: str) -> None:
    assert "suicide_self_harm" in rule_signs(text)
