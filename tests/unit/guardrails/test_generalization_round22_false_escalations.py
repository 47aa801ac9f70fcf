"""Round 22b (emergencies en+es, false escalations): a number before "second(s)" / "segundos" is a seizure's
length, not a second seizure; a count over months or years is no cluster; an amount question ("how many would it
take") is a method only with a death or ending object, or a drug and an aim to be dead (C-SSRS 3); a goodbye said
(at the airport, at the vet), one's last day at work and the time one is away are everyday farewells, counted
only with another C-SSRS / AFSP sign told with them.

Every message here was written for this file (not copied from tests/data/guardrails). The emergency
rules are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        # a repeat seizure (CDC seizure first aid: another seizure soon after the first)
        ("my nephew just had a second seizure in the car and he is still not answering us", "seizure"),
        ("she had one at lunch and now she's having a second seizure on the couch", "seizure"),
        ("a mi sobrina le dio una convulsión y ahora otra convulsión, no responde", "seizure"),
        # a cluster within hours (Epilepsy Foundation)
        ("he has had 3 seizures since this morning and is not himself between them", "seizure"),
        # the amount with a death object (C-SSRS 3)
        ("how many of my lorazepam would it take to never wake up", "suicide_self_harm"),
        ("how many of the oxy in my drawer would it take to kill me", "suicide_self_harm"),
        ("¿cuántas pastillas se necesitan para morir de una vez?", "suicide_self_harm"),
        # a goodbye with another sign (C-SSRS 6; AFSP)
        ("I already said goodbye to everyone and bought a rope on the way home", "suicide_self_harm"),
        ("said my goodbyes to my brothers, there is no point to any of it anymore", "suicide_self_harm"),
        ("ya me despedí de mis papás y tengo todas las pastillas guardadas", "suicide_self_harm"),
        # one's last day, with a means and hopelessness
        (
            "this is my last day, the pills are counted out and nothing is ever going to change",
            "suicide_self_harm",
        ),
    ],
)
def test_round22b_emergencies_still_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        # a length in seconds (the unit, not the ordinal)
        "my toddler had a 40 second seizure with a high fever, she is awake and eating now",
        "he had a 15-second seizure at school yesterday, what do I tell his pediatrician",
        "it was only a twenty second seizure and he came right back to normal",
        "she had a few second seizure while falling asleep, is that worth a visit",
        "a mi hijo le dio una convulsión de más de 20 segundos ayer, ya está jugando normal",
        # a count over months or years (the disorder's course)
        "my daughter has had 5 seizures in the past year, the neurologist wants to raise her dose",
        "I've had 2 seizures since 2021 and need a letter for the DMV",
        "ha tenido 3 convulsiones desde 2020 y queremos cambiar de neurólogo",
        # an everyday amount question
        "how many sessions would it take to finish my course of physical therapy",
        "how many coats of sealant would it take for the deck",
        "how many pills would I need for a two week trip",
        "¿cuántas pastillas se necesitan para un tratamiento de 14 días?",
        # everyday farewells and absences
        "I said goodbye to my daughter at the airport this morning and I keep crying, she moves tomorrow",
        "we said goodbye to our old dog at the vet on Friday, the house is so quiet",
        "said my goodbyes at my coworker's retirement party tonight",
        "tomorrow is my last day at the hospital job, any tips for starting a new insurance plan",
        "who can check on my mom when im gone this weekend, she has dementia",
        "me despedí de mi hermano en la terminal, mañana empieza su trabajo nuevo",
        "mañana es mi último día en la fábrica, ¿cómo pido mis recetas antes de cambiar de seguro?",
    ],
)
def test_round22b_everyday_messages_are_allowed(text: str) -> None:
    assert rule_signs(text) == []
