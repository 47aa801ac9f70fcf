"""Round 9 (dev35, dev37, emergencies en+es): a temperature reading is read by its range (a normal
reading answers a baby's warm skin, a fever-range one still escalates); a CPR course or an NP
student's class is a training frame; fewer fetal movements late in pregnancy are an emergency; a
dated past ideation told as over (es) is history; a size ("del tamaño de") is not a clot.

Every message here was written for this file (not copied from tests/data/guardrails). The rules
are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from medfoundry.guardrails.concepts import FEVER_TEMP, NORMAL_TEMP, TermMatcher
from tests.unit.guardrails.default_rules import chat_classes, rule_signs

U, A = "user", "assistant"


@pytest.mark.parametrize(
    ("token", "fever", "normal"),
    [
        ("38", True, False),
        ("43", True, False),
        ("100", True, False),
        ("101f", True, False),
        ("39c", True, False),
        ("37", False, True),
        ("99", False, True),
        ("96f", False, True),
        ("12", False, False),
        ("2024", False, False),
        ("110", False, False),
        ("weeks", False, False),
    ],
)
def test_a_temperature_reading_is_read_by_its_range(token: str, fever: bool, normal: bool) -> None:
    keys = TermMatcher([]).keys(token)
    assert (FEVER_TEMP in keys, NORMAL_TEMP in keys) == (fever, normal)


@pytest.mark.parametrize(
    "text",
    [
        "my 5 week old son felt warm after being swaddled all night, so I checked and his temp was 98.7. he is feeding fine",
        "our 7 week old felt hot in the car seat, the thermometer said 37.2 rectally and she is eating well",
        "Mi bebé de 5 semanas se sentía calientito con tanta cobija; le medí la temperatura y el termómetro marcó 36.8, come bien",
    ],
)
def test_a_normal_reading_answers_a_young_infants_warm_skin(text: str) -> None:
    assert "infant_fever" not in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "my daughter is 4 weeks old, her temp was 99 this morning but now it is 101 and she won't eat",
        "my 6 week old feels warm, I took her temp and it was 98.9 an hour ago, rechecked and the temp is 100.9",
        "my 3 week old has had a temp of 101F since lunch",
        "my 6 week old feels really warm tonight",
        "my 5 week old feels warm, what is a normal temperature for a baby?",
        "my 8 week old feels hot and his temperature was not normal when I checked",
        "Mi bebé de 6 semanas está calientita y el termómetro marcó 38.3",
    ],
)
def test_a_fever_reading_or_unmeasured_warmth_in_a_young_infant_still_escalates(text: str) -> None:
    assert "infant_fever" in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "Signed up for a CPR certification on Saturday. How many compressions per minute do they teach for adults?",
        "PA student question for my cardiology class: why can an inferior MI show up as nausea and jaw pain instead of chest pain?",
        "Voy a tomar un curso de RCP el sábado, ¿cuántas compresiones por minuto se dan en un adulto?",
    ],
)
def test_a_course_or_a_students_class_is_a_training_frame(text: str) -> None:
    assert rule_signs(text) == []


def test_cpr_being_given_now_still_escalates() -> None:
    assert "cardiac" in rule_signs("my husband collapsed and isn't breathing, I'm doing CPR right now")


@pytest.mark.parametrize(
    "text",
    [
        "I'm 34 weeks pregnant and the baby has been moving less since this morning",
        "35 weeks along and I've hardly felt him move today, normally he kicks all evening",
        "Tengo 36 semanas de embarazo y desde ayer el bebé casi no se mueve, antes pateaba mucho",
    ],
)
def test_fewer_fetal_movements_late_in_pregnancy_escalate(text: str) -> None:
    assert "pregnancy_emergency" in rule_signs(text)


def test_fewer_movements_told_in_a_later_turn_escalate() -> None:
    turns = [
        (U, "which breast pump does insurance usually cover?"),
        (A, "Most plans cover a standard double electric pump."),
        (U, "thanks. also I'm 38 weeks and she's barely moving since last night"),
    ]
    assert "pregnancy_emergency" in chat_classes(turns)


def test_a_pregnant_mother_moving_less_herself_does_not_escalate() -> None:
    assert rule_signs("I'm 30 weeks pregnant and moving less because of back pain, is swimming ok?") == []


def test_dated_past_ideation_told_as_over_is_history_in_spanish() -> None:
    text = (
        "Hace algunos años tuve pensamientos de quitarme la vida, pero con tratamiento llevo mucho tiempo bien. "
        "¿Me pueden dar cita con el psiquiatra para la receta?"
    )
    assert "suicide_self_harm" not in rule_signs(text)


def test_ideation_now_after_a_dated_episode_still_escalates_in_spanish() -> None:
    text = "Hace unos años tuve una depresión y ahora otra vez tengo pensamientos de quitarme la vida"
    assert "suicide_self_harm" in rule_signs(text)


def test_having_to_act_is_not_a_past_cue_in_spanish() -> None:
    assert "drowning" in rule_signs("tuve que sacar a mi hijo de la alberca y no respira bien, está morado")


def test_a_bruise_of_some_size_on_a_blood_thinner_is_not_a_clot() -> None:
    text = "Tomo warfarina y me salió un moretón del tamaño de una uva en la pierna, no me duele. ¿Es normal?"
    assert "severe_bleeding" not in rule_signs(text)


def test_postpartum_clots_of_some_size_still_escalate() -> None:
    signs = rule_signs("Di a luz hace una semana y estoy sacando coágulos del tamaño de un limón")
    assert {"severe_bleeding", "pregnancy_emergency"} & set(signs)


def test_a_normal_reading_a_few_words_after_the_temp_answers_warm_skin() -> None:
    text = "my 9 week old felt warm under two blankets so I took his rectal temp and it was 37.4, he's nursing fine"
    assert "infant_fever" not in rule_signs(text)


def test_a_fever_reading_a_few_words_after_the_temp_escalates() -> None:
    assert "infant_fever" in rule_signs("my 9 week old seemed off so I took his temp and it was 39 on the dot")
