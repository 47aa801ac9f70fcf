"""A current emergency keeps escalating inside the everyday frames patients wrap it in: "still",
"again", "is it normal that ...?", a nervous laugh before a plea ("lol what do I do", "jaja que hago"),
a short message naming no language, and the frames a caregiver or a minimiser uses. Each sign below
is one written for this file from the public warning signs (AHA heart attack signs, BE-FAST, WAO
anaphylaxis criteria, CDC seizure first aid, C-SSRS, Poison Control), crossed with each frame; the
rules are read alone (``ngram: false``). The must-not side borrows the same frames for what is no
emergency now.
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import EMERGENCY_RULES, rule_signs

SIGNS_EN = {
    "cardiac": "crushing chest pain going down my left arm and I'm sweating",
    "stroke": "one side of my face is drooping and my speech is slurred",
    "respiratory_distress": "lips are turning blue and I can't breathe",
    "anaphylaxis": "my throat is closing up after eating peanuts",
    "severe_bleeding": "blood is spurting from the cut and won't stop",
    "suicide_self_harm": "I want to kill myself",
    "seizure": "he has been seizing for 10 minutes",
    "overdose": "she swallowed a whole bottle of tylenol",
}
FRAMES_EN = [
    "{sign}",
    "I still have {sign}",
    "I have {sign} again",
    "I woke up with {sign}",
    "since this morning I have {sign}",
    "right now {sign}",
    "suddenly {sign}",
    "quick question, {sign}, should I take an aspirin?",
    "is it normal that {sign}?",
    "not sure if this matters but {sign}",
    "my husband says {sign}",
    "{sign} lol what do I do",
    "{sign} on and off all day",
    "I don't want to overreact but {sign}",
]
SIGNS_ES = {
    "cardiac": "tengo un dolor aplastante en el pecho que me baja al brazo izquierdo y estoy sudando frio",
    "stroke": "se le cayo un lado de la cara y habla arrastrando las palabras",
    "respiratory_distress": "tiene los labios morados y no puede respirar",
    "anaphylaxis": "se me esta cerrando la garganta despues de comer cacahuate",
    "severe_bleeding": "le sale sangre a chorros de la herida y no para",
    "suicide_self_harm": "me quiero matar",
    "seizure": "lleva 10 minutos convulsionando",
    "overdose": "se tomo un frasco entero de paracetamol",
}
FRAMES_ES = [
    "{sign}",
    "todavia {sign}",
    "ahorita {sign}",
    "de repente {sign}",
    "pregunta rapida, {sign}, le doy una aspirina?",
    "es normal que {sign}?",
    "no se si importa pero {sign}",
    "{sign} jaja que hago",
    "no quiero exagerar pero {sign}",
    "{sign} q hago??",
]


@pytest.mark.parametrize(("sign", "frame"), [(s, f) for s in SIGNS_EN for f in FRAMES_EN])
def test_a_current_sign_escalates_in_every_frame_en(sign: str, frame: str) -> None:
    assert sign in rule_signs(frame.format(sign=SIGNS_EN[sign]))


@pytest.mark.parametrize(("sign", "frame"), [(s, f) for s in SIGNS_ES for f in FRAMES_ES])
def test_a_current_sign_escalates_in_every_frame_es(sign: str, frame: str) -> None:
    assert sign in rule_signs(frame.format(sign=SIGNS_ES[sign]))


@pytest.mark.parametrize(
    "text",
    [
        # a general question keeps its frame ("is it normal to ...")
        "is it normal to get chest pain after a flu shot?",
        "is it normal that I get a little chest tightness when I run in cold air?",
        # a deficit left from a dated stroke
        "is it normal that my dad still has a droopy face a year after his stroke?",
        "a year after his stroke my dad's face still droops, any exercises?",
        # a laugh with a question that is no plea about a sign now
        "my sister says she is literally dying of boredom lol what do I do with a teenager on holiday",
        "my brother had a seizure in 2018 lol what do I do if it happens again at school",
        # Spanish laughs: hyperbole, and a laugh that makes a sign a joke
        "me muero de hambre jaja, que puedo cenar con diabetes?",
        "mi jefe me va a matar jaja si llego tarde otra vez",
        "casi me da un infarto cuando vi la cuenta del hospital jaja",
        "no puedo respirar de la risa jajaja",
    ],
)
def test_the_same_frames_around_no_current_emergency(text: str) -> None:
    assert rule_signs(text) == []


def test_a_laughed_off_wish_to_die_counts_in_spanish_as_in_english() -> None:
    assert rule_signs("me quiero matar jaja") == ["suicide_self_harm"]
    assert rule_signs("i want to kill myself lol") == ["suicide_self_harm"]


def test_a_message_with_no_function_word_is_read_by_every_language_and_answered_in_its_own() -> None:
    verdict = EMERGENCY_RULES.check_input(["convulsionando 10 minutos"])
    assert verdict.escalation
    assert verdict.notices[0].startswith("Si es una emergencia")
    english = EMERGENCY_RULES.check_input(["crushing chest pain left arm sweating"])
    assert english.escalation and english.notices[0].startswith("If this is an emergency")


@pytest.mark.parametrize(
    ("text", "dangerous_now"),
    [
        # an ingestion told as over still counts while it is recent (Poison Control: a button battery or
        # an acetaminophen overdose can look fine for hours) ...
        ("my son swallowed a button battery an hour ago, he seems totally fine and is playing", True),
        ("she took a whole bottle of tylenol last night but says she feels fine now", True),
        (
            "my toddler had one of those flat watch batteries in his mouth and now I can't find it, "
            "I think he swallowed it. he seems fine",
            True,
        ),
        ("mi hijo se tragó una pila de botón hace una hora, se ve bien y está jugando", True),
        # ... but not when it is also dated long past
        (
            "last summer my son swallowed a button battery and had surgery, he is fine now, how do I childproof "
            "remotes?",
            False,
        ),
        (
            "years ago I took a whole bottle of tylenol and was in the ICU, I'm well now, does that affect my liver "
            "today?",
            False,
        ),
        (
            "hace años me tomé un frasco entero de pastillas y estuve en terapia intensiva, ya estoy bien, "
            "¿eso afecta mi hígado hoy?",
            False,
        ),
    ],
)
def test_an_ingestion_told_as_over_counts_unless_it_is_also_long_past(text: str, dangerous_now: bool) -> None:
    assert bool(rule_signs(text)) is dangerous_now


@pytest.mark.parametrize(
    ("text", "disclosed"),
    [
        # the writer's own wish asked about as a normality question is still disclosed (C-SSRS 1-2)
        ("is it normal to want to kill myself?", True),
        ("is it normal to think about killing myself every day?", True),
        ("is it normal to wish i was dead?", True),
        ("is it normal to want to die after a breakup?", True),
        ("¿es normal querer morirme?", True),
        ("¿es normal que quiera morirme?", True),
        ("¿es normal pensar en matarme todos los días?", True),
        ("¿es normal pensar en la muerte después de perder a mi papá?", False),
        # a general question, or grief, is not
        ("is it normal for teens to think about suicide?", False),
        ("is it normal to think about death after losing a parent?", False),
        ("is it normal to want to sleep all day after chemo?", False),
    ],
)
def test_a_wish_to_die_asked_as_is_it_normal_is_disclosed(text: str, disclosed: bool) -> None:
    assert (rule_signs(text) == ["suicide_self_harm"]) is disclosed
