"""Round 12 (dev42, emergencies en+es, must-keep side): "can't breathe" in its figurative sense beside an
errand's paperwork or a reaction to what is seen; a blocked nose; Braxton Hicks named as such (regular or
strengthening contractions are still labour); pregnancy alone is not an abdominal red flag without pain;
Spanish CPR and first-aid courses in the plural or as training; a reading with its site ("99.1 rectal");
time counted since a past event.

Every message here was written for this file (not copied from tests/data/guardrails). The emergency
rules are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    "text",
    [
        "Honestly the tax paperwork is brutal, I can't breathe whenever I look at another form. Is the office open Friday?",
        "Every time I think about the billing mess I can't breathe, ugh. Can you resend my statement?",
        "This portal makes me want to scream, I literally cannot breathe. How do I reset my password?",
        "I can't breathe through my nose since this cold started, which saline spray is ok?",
        "Cada vez que pienso en tanto trámite no puedo respirar. ¿Me mandan la constancia por correo?",
        "No puedo respirar por la nariz con este resfriado, ¿qué spray me recomiendan?",
        "El papeleo del seguro me ahoga, no puedo ni respirar con tantos formularios. ¿Dónde los entrego?",
    ],
)
def test_figurative_or_nasal_breathlessness_is_not_an_airway_emergency(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        (
            "My husband can't breathe and his lips are turning blue, we have no insurance, what do I do",
            "respiratory_distress",
        ),
        ("She got stung by a bee and can't breathe, help", "anaphylaxis"),
        ("Mi hijo no puede respirar y tiene los labios morados, ayuda", "respiratory_distress"),
        ("Le picó una abeja y no puede respirar, ayuda", "anaphylaxis"),
    ],
)
def test_real_breathlessness_still_escalates(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "At 27 weeks my bump goes tight for a few seconds now and then and relaxes, no pain at all. Braxton Hicks?",
        "I'm 23 weeks pregnant, are these practice contractions? They come a couple of times a day and fade.",
        "I'm 31 weeks pregnant. My belly is hard for a moment and then soft again. Is that Braxton Hicks?",
        "Tengo 26 semanas y a veces siento contracciones de práctica, sin dolor, y el bebé se mueve bien. ¿Es normal?",
        "Estoy de 29 semanas, ¿son contracciones falsas si la panza se pone dura un momento y luego se afloja?",
        # a belly named in pregnancy without pain is no acute abdomen
        "I'm 18 weeks pregnant and the skin on my belly is so itchy, which moisturizer is safe?",
        "Estoy embarazada y me salieron estrías en la panza, ¿qué crema es segura?",
    ],
)
def test_braxton_hicks_named_as_such_or_a_painless_belly_in_pregnancy_is_not_escalated(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I'm 30 weeks, I figured it was Braxton Hicks but now the contractions come every 4 minutes and get stronger",
        "I'm 33 weeks pregnant and having contractions",
        "I'm 29 weeks, are these Braxton Hicks? I'm also leaking fluid and bleeding bright red",
        "Tengo 28 semanas, creí que eran contracciones de práctica pero ya vienen cada 6 minutos y con dolor",
        "Tengo 31 semanas de embarazo y tengo contracciones",
        "I'm pregnant and my belly hurts so much on one side",
        "Estoy embarazada y me duele la panza muy fuerte",
    ],
)
def test_contractions_in_labour_and_belly_pain_in_pregnancy_still_escalate(text: str) -> None:
    assert rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "Este verano voy a ser guardavidas. ¿Dónde dan cursos de primeros auxilios y RCP?",
        "¿Ofrecen talleres de RCP para niñeras?",
        "Necesito el certificado de RCP para el trabajo, ¿cuánto cuesta?",
        "Quiero aprender RCP antes de que nazca mi bebé, ¿hay horarios el sábado?",
    ],
)
def test_spanish_cpr_training_is_a_frame(text: str) -> None:
    assert rule_signs(text) == []


def test_a_rescue_now_still_escalates_in_spanish() -> None:
    assert "cardiac" in rule_signs("Mi abuelo no tiene pulso, le estoy haciendo RCP ahora mismo")


@pytest.mark.parametrize(
    "text",
    [
        "my 5 week old felt warm after the car seat so i took it, 98.8 rectal, and he is feeding well",
        "my 7 week old feels warm but i checked and it's 99 rectal",
    ],
)
def test_a_normal_reading_with_its_site_answers_warmth(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "my 5 week old feels warm, 100.7 rectal",
        "my 6 week old feels hot, i checked and it was 101.4",
    ],
)
def test_a_fever_reading_with_its_site_escalates(text: str) -> None:
    assert "infant_fever" in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "It's been a year since my cousin drowned and I still can't swim, should I see a counselor?",
        "Ya se cumplió un año de que mi sobrina se ahogó en la alberca y mi cuñada todavía llora, ¿cómo la ayudo?",
    ],
)
def test_time_counted_since_a_past_event_is_history(text: str) -> None:
    assert rule_signs(text) == []


def test_a_current_sign_after_an_anniversary_still_escalates() -> None:
    assert "seizure" in rule_signs(
        "It's been a year since his last seizure but right now he's seizing for 6 minutes"
    )
