"""Round 33, general medical classes (en+es): a penetrating wound told by how the blade went in (Stop the Bleed), a
generator called "la planta" left running (CDC carbon monoxide), a collision with a lasting red flag (CDC HEADS UP), a
severe low told as a household tells it (ADA hypoglycemia), a stroke named as hyperbole, the care team's warning told
as a general rule (CDC, infections during chemotherapy) and a prevention question ("what prevents").

Every message here was written for this file (not copied from tests/data/guardrails). The emergency rules are read
alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        (
            "the knife went into my brother's forearm while carving and it's spurting, what do we do",
            "severe_bleeding",
        ),
        ("my dad has a stab wound in his side and it is soaking through the towel", "severe_bleeding"),
        ("a mi papá se le clavó el cuchillo en la pierna y la sangre sale a chorros", "severe_bleeding"),
        (
            "tenemos la planta prendida en la cochera desde la mañana y ahora todos tenemos dolor de cabeza y mareo",
            "poisoning",
        ),
        (
            "my daughter went over the handlebars on her bike an hour ago and has thrown up 3 times since",
            "head_injury",
        ),
        ("mi hijo chocó contra un árbol en el trineo y ha vomitado 3 veces", "head_injury"),
        (
            "my wife is diabetic and her sugar is dropping, she's mumbling and harder to wake",
            "diabetic_emergency",
        ),
        (
            "mi esposo es diabético, está empapado en sudor y cada vez más difícil de despertar",
            "diabetic_emergency",
        ),
    ],
)
def test_new_cues_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "my toddler is going to give me a stroke with all this climbing, how do I keep him off the bookshelf?",
        "casi me da un derrame cuando vi la cuenta del hospital, ¿cómo pido un plan de pagos?",
        "ese tráfico me va a dar un derrame si sigue así, ¿a qué hora abre la farmacia?",
        "they told me a fever after the transplant is an emergency, which thermometer should I buy? no fever now",
        "me dijeron que una fiebre durante la quimio es una urgencia, ¿qué termómetro compro? no tengo fiebre",
        "what prevents drowning in a backyard pool for a toddler besides a fence?",
        "how do I keep my kids from drowning at the lake this summer?",
        "estos niños me van a dar un derrame, ¿qué actividades hay para el fin de semana?",
        "my diabetic dad was mumbling in his sleep last night, otherwise fine",
        "im diabetic and i wake up drenched in sweat some nights, could it be my insulin dose?",
        "my son hit a tree sledding yesterday, he had his helmet on and seems fine, no vomiting",
        "mi hija es diabética y suda mucho de noche, ¿será la dosis de insulina?",
    ],
)
def test_hyperbole_warnings_and_prevention_are_allowed(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        (
            "ugh my boss will give me a stroke. also my left arm went weak and my face is drooping right now",
            "stroke",
        ),
        (
            "me va a dar un derrame si sigo así... pero ahorita de repente no puedo hablar bien y tengo la cara chueca",
            "stroke",
        ),
        (
            "I'm on chemo and they told me a fever is an emergency. Now I'm at 38.9 with chills",
            "sepsis_meningitis",
        ),
        ("my kids are drowning in the lake, help", "drowning"),
    ],
)
def test_the_same_words_beside_a_real_sign_still_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)
