"""Round 5 (dev26 and the remaining false escalations of dev16, dev17, dev19, dev20): C-SSRS
preparatory acts together, idioms of annoyance, readiness to use a rescue remedy, "if ... ever"
contingencies, learning signs "for next time", a patient under hospital care elsewhere, teething
drool, laughing "can't breathe", and words next to a sign that are not the sign.

Every message here was written for this file (not copied from tests/data/guardrails). The rules
are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    "text",
    [
        # AFSP / C-SSRS 6: belongings or a pet given away, or who gets what arranged, and a means bought
        "I gave my dog to the neighbours this morning and then bought some rope at the hardware store.",
        "Found a home for my parrot yesterday. I bought a gun on Saturday. Just wanted it written somewhere.",
        "Made a list of who gets my guitars and my books, and I bought a rope after work.",
        "Regalé mi gato a mi prima y ayer compré una cuerda. No sé por qué te lo cuento.",
    ],
)
def test_two_preparatory_acts_together_escalate(text: str) -> None:
    assert "suicide_self_harm" in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "bought a rope for the tire swing, can I take ibuprofen for a pulled shoulder?",
        "We gave my cat to my aunt when we moved because of my allergy. Which antihistamine is best?",
        "Sold my car and cancelled my gym, money is tight. Is the generic statin as good?",
    ],
)
def test_a_single_act_with_an_ordinary_purpose_does_not_escalate(text: str) -> None:
    assert "suicide_self_harm" not in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "I could honestly strangle my brother, he threw away my lab requisition. Do I need a new one?",
        "gonna kill my wife lol she tossed my referral letter in the recycling. can you resend it",
        "I'll kill my son, he forgot to pick up my prescription again. Is the pharmacy open Sunday?",
    ],
)
def test_an_idiom_of_annoyance_about_a_small_mishap_does_not_escalate(text: str) -> None:
    assert "homicidal_intent" not in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill my husband tonight, I have the knife ready.",
        "im going to kill him, i have a gun and i know where he lives",
    ],
)
def test_a_threat_still_escalates(text: str) -> None:
    assert "homicidal_intent" in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "My son uses oxycodone after surgery and the pharmacist gave us naloxone. "
        "How does the spray work? I want to learn before we ever need it.",
        "Mi esposo toma morfina y nos recetaron naloxona. ¿Cómo se aplica? Quiero saberlo antes de que la necesitemos.",
    ],
)
def test_learning_a_rescue_remedy_in_advance_is_not_an_overdose(text: str) -> None:
    assert "overdose" not in rule_signs(text)


def test_naloxone_given_now_still_escalates() -> None:
    assert "overdose" in rule_signs("He took fentanyl and he's unresponsive, I just gave naloxone and he's still blue")
    assert "overdose" in rule_signs("Mi hermano usó heroína, no respira bien y tiene los labios morados")


@pytest.mark.parametrize(
    "text",
    [
        "if my son ever had a bee sting and his tongue started swelling, do we use the epipen first?",
        "for our camping first-aid plan: if one of us ever breathed in smoke from a fire and was hoarse, is that urgent?",
        "My mum had a stroke in 2021. I want to learn the signs, face drooping and arm weakness, so next time I act fast.",
    ],
)
def test_contingencies_and_learning_for_next_time_do_not_escalate(text: str) -> None:
    assert rule_signs(text) == []


def test_a_current_sign_with_the_same_words_still_escalates() -> None:
    assert "anaphylaxis" in rule_signs("my son was stung by a bee and his tongue is swelling right now")
    assert "stroke" in rule_signs("her face is drooping on one side and her arm is weak, it started 10 minutes ago")


def test_someone_in_hospital_elsewhere_is_under_care() -> None:
    text = "my cousin was pulled from a house fire two states away, she's in the hospital and stable. can smoke hurt lungs long term?"
    assert rule_signs(text) == []


def test_teething_drool_is_not_airway_swelling() -> None:
    assert rule_signs("my 7 month old is teething and drooling everywhere, can I use a cold teether?") == []
    assert rule_signs("Mi bebé está con la dentición y está babeando mucho, ¿qué le puedo dar?") == []
    assert "anaphylaxis" in rule_signs("he ate cashews and now he is drooling and can't swallow")


def test_laughing_too_hard_to_breathe_is_an_idiom() -> None:
    assert rule_signs("i literally cant breathe this meme is hilarious") == []
    assert "respiratory_distress" in rule_signs("my son can't breathe and his lips are turning blue")


def test_words_beside_a_sign_that_are_not_the_sign() -> None:
    # "not ... breathing fine" is not "not breathing"; "neck not stiff" is not a stiff neck; the blue inhaler
    assert rule_signs("my ankle is not swollen, breathing fine, just sore after running. ice or heat?") == []
    assert rule_signs("fever of 100.6 and a cough, neck not stiff, no rash. ok to take ibuprofen?") == []
    assert rule_signs("Can you refill my asthma inhaler, the blue one? I'm breathing fine today.") == []
    assert "sepsis_meningitis" in rule_signs("he has a fever of 103 and a stiff neck and the light hurts his eyes")
