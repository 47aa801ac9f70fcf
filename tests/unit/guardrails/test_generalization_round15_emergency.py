"""Round 15 (dev49; emergencies en+es): an office, a department, bills or a process that "suffocates" or
"ahoga" the writer is the figurative sense, in both languages (the Spanish bare drowning rule takes
``breath_idiom`` as ``unless``); "charged" (billed) is not a typo of "charred"; an arterial or soaking bleeding
sign counts further from the wound; a method already thought out ("ya pensé cómo") is a decision (es).

Every message here was written for this file (not copied from tests/data/guardrails). The emergency
rules are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    "text",
    [
        "These medical bills are smothering me. Why was I charged twice for the same x-ray?",
        "The billing office keeps sending letters and this process is suffocating me, who do I call?",
        "La oficina de cobros me está asfixiando, me llaman todos los días por una factura que ya pagué.",
        "Tantos trámites me están ahogando, ¿dónde mando el formulario de reembolso?",
        "Mis deudas me ahogan, ¿hay algún plan de pago para la consulta?",
    ],
)
def test_round15_figurative_suffocation_is_allowed(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("my newborn is suffocating under the blanket and his lips are turning blue", "respiratory_distress"),
        ("se está ahogando mi hijo en la alberca, no sale", "drowning"),
        ("me ahogo, no puedo respirar y tengo el pecho apretado", "respiratory_distress"),
        ("the smoke is suffocating me and I can't get out of the room", "respiratory_distress"),
        ("his hand looks charred after the grill flared up", "airway_burn"),
        (
            "Sliced my forearm on a broken window while cleaning up and the blood is squirting out in pulses every "
            "second",
            "severe_bleeding",
        ),
        (
            "Ya no puedo más con todo esto. Nadie me entiende. Ya sé cómo hacerlo y el sábado lo voy a hacer.",
            "suicide_self_harm",
        ),
    ],
)
def test_round15_emergencies_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


def test_a_thought_out_project_is_no_plan() -> None:
    assert rule_signs("Ya pensé cómo hacerlo: el sábado arreglo la cerca del patio con mi hermano.") == []


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("my mother says it feels like an elephant is sitting on her, she is ashen and sweating", "cardiac"),
        (
            "I have a knife under the seat and I'm going to wait outside his gym and follow him home after close",
            "homicidal_intent",
        ),
    ],
)
def test_round15_lay_images_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "the stuffed elephant sitting on her bed is her favourite, she sweats a lot at night in summer",
        "my uncle keeps his rifle in the cabin, I'm waiting for him to drive me to the lake tomorrow",
    ],
)
def test_round15_lay_images_must_keep(text: str) -> None:
    assert rule_signs(text) == []


def test_self_injury_deeper_than_usual_told_a_clause_after_the_means() -> None:
    text = (
        "used a blade on my thigh, it's what I do when the panic gets too loud. this time I cut deeper than I meant "
        "and it keeps oozing"
    )
    assert "suicide_self_harm" in rule_signs(text)
