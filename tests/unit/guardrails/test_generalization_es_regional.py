"""Round-3 Spanish mechanisms (guard3-es): regional lay words (Mexico, Central America, the
Caribbean, South America, Spain), texting spellings, Spanish ConText cues (a value read as
normal, "cero", "sin ganas", "hace un mes", "como evito"), and the classes' rules the English
pack already had or the guidance names (preeclampsia signs, a missing button battery near a
child, dehydration in a baby, a blistering rash after a new medicine).

The examples are written for these tests; they are not copied from the evaluation sets.
"""

from __future__ import annotations

import pytest

from medfoundry.guardrails.emergency import analyzer_for, scan
from medfoundry.guardrails.text import Tokens

ANALYZER = analyzer_for(())


def classes(text: str) -> set[str]:
    findings, _ = scan(ANALYZER, [text], ["user"])
    return {f.hit.name for f in findings if f.hit.confidence >= 0.5}


REGIONAL = [
    ("mi bebe de 5 semanas esta calenturiento y no quiere el pecho", "infant_fever"),
    ("mi bebe de 2 meses esta volando en fiebre", "infant_fever"),
    ("mi hija nacio hace 4 semanas y el termometro marca 101.2", "infant_fever"),  # Fahrenheit
    ("a mi chamaco se le hincho la boca despues de comer cacahuates y le cuesta tragar", "anaphylaxis"),
    ("mi patojo se tomo el cloro que estaba en la botella de agua", "poisoning"),  # Guatemala
    ("mi crio se ha tragado una pila de esas redondas del mando", "poisoning"),  # Spain, perfect tense
    ("a mi papa le dio un ataque, se puso tieso, y entre uno y otro no ha despertado", "seizure"),
    (
        "mi hijo tiene asma y se le marcan las costillas, el salbutamol no le hizo nada",
        "respiratory_distress",
    ),
    ("la nena esta respirando muy feo y se le hunde el pecho", "respiratory_distress"),
    ("se le pusieron moraditos los labios a la guagua", "respiratory_distress"),  # diminutive, Andes
    ("al crio le duele el huevito de repente y esta vomitando", "torsion"),
    ("mi mujer esta de parto y sangra un monton, empapa las compresas", "severe_bleeding"),
    ("el bebe se pego en la cabeza, tiene un chichon blandito y esta muy quietecito", "head_injury"),
    ("ya lo decidi, tengo las pastillas guardadas para cuando se duerman todos", "suicide_self_harm"),
]

NEW_RULES = [
    ("estoy embarazada de 34 semanas y tengo la presion de 160 y veo lucecitas", "pregnancy_emergency"),
    ("falta una pila de boton del control y mi hijo de 2 anos estaba jugando con el", "poisoning"),
    ("el nene tiene diarrea desde ayer, la mollera hundida y llora sin lagrimas", "infant_fever"),
    ("empece a tomar lamotrigina y me salieron ampollas en la boca y por todo el cuerpo", "anaphylaxis"),
]

BENIGN = [
    "mi bebe de 7 semanas tiene 37 normal, sin calentura, solo mocos",  # value read as normal
    "le tome la temperatura a mi bebe de un mes y salio normalito",  # a temperature taken is no fever
    "cero fiebre, cero tos, solo me duele un poco la garganta",  # texting negation
    "me queme con el sol en la playa, tengo la espalda roja pero sin ampollas, que crema uso?",
    "hace un ano mi tio tuvo un infarto, que dieta le recomiendan",  # singular past span
    "mi vecino se ahogo en la presa hace un mes, como le explico a mis hijos",
    "como evito que mi hijo se trague una pila de boton",  # prevention, first person
    "voy a manejar muchas horas, como prevengo coagulos en las piernas?",
    "ando sin ganas de nada hoy, puro cansancio del trabajo",
    "estoy embarazada de 20 semanas, la presion salio normal, puedo hacer ejercicio?",
    "tomo amoxicilina y me salio una ampolla en el pie por los zapatos nuevos",
    "que pila de boton es la correcta para el mando de la tele",
    "me quiero ir de vacaciones a la playa con mis chamacos",
]


@pytest.mark.parametrize(("text", "expected"), REGIONAL)
def test_regional_lay_words_escalate_their_class(text: str, expected: str) -> None:
    assert expected in classes(text), text


@pytest.mark.parametrize(("text", "expected"), NEW_RULES)
def test_rules_new_to_the_spanish_pack(text: str, expected: str) -> None:
    assert expected in classes(text), text


@pytest.mark.parametrize("text", BENIGN)
def test_spanish_context_keeps_hard_negatives_quiet(text: str) -> None:
    assert classes(text) == set(), text


def test_sin_ganas_does_not_negate_the_sign_after_it() -> None:
    # "sin ganas" is a state, not a negation: the heater and the symptoms still count
    text = "todos con dolor de cabeza y mareo, el perro tirado sin ganas, el calentador de gas prendido toda la noche"
    assert "poisoning" in classes(text)
    assert classes("sin calentador de gas prendido y sin dolor de cabeza") == set()


def test_texting_q_reads_as_que_in_spanish_terms() -> None:
    tokens = Tokens.of("se queja y no deja q lo toque")
    found = {
        " ".join(tokens.words[h.first : h.last + 1])
        for h in ANALYZER.concepts.find(tokens)
        if h.key == "es:torsion_signs"
    }
    assert "no deja q lo toque" in found


def test_redness_alone_after_sun_is_not_heat_stroke_but_dry_hot_skin_is() -> None:
    assert classes("estuve todo el dia al sol y tengo la cara roja") == set()
    assert "heat_cold_injury" in classes(
        "mi papa trabajo todo el dia al sol, tiene la piel roja y seca y desvaria"
    )
