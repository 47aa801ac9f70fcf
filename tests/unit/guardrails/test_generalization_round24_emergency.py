"""Round 24 (emergencies en+es, dev77-dev83): a wish to be dead blamed on a chore's object *and* laughed at in
one sentence is exasperation (``unless_together``), while either alone still escalates; laughing, winking and
upside-down faces are tokens the packs can name; a passive wish asked of God; no kick felt in late pregnancy;
legs drawn up need a second sign of intussusception; "last time" dates an episode; a last-known-well time;
"poison control" is a service, not a poison; a doubled usual dose forgotten; es "pa" for "para", farm water,
heat told by the weather, a time after "como <num>", an anniversary's "today".

Every message here was written for this file (not copied from tests/data/guardrails). The emergency
rules are read alone (``ngram: false``) unless a test says otherwise.
"""

from __future__ import annotations

import pytest

from medfoundry.guardrails.text import Tokens
from tests.unit.guardrails.default_rules import rule_signs, signs


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        # a wish to be dead with a laugh only, or a chore only, or a cause that is no chore (count_jokes, C-SSRS 1)
        ("i want to die lol", "suicide_self_harm"),
        ("honestly i want to die \U0001f602", "suicide_self_harm"),
        ("this form makes me want to die", "suicide_self_harm"),
        ("my job makes me want to die lol", "suicide_self_harm"),
        ("jajaja ya me quiero morir", "suicide_self_harm"),
        ("este trámite me da ganas de morirme", "suicide_self_harm"),
        ("me dan ganas de morirme, ya no aguanto", "suicide_self_harm"),
        # the idiom does not hide another sign told with it
        ("the printer makes me want to die lol, the pills are ready for tonight", "suicide_self_harm"),
        # a passive wish asked of God (C-SSRS 1)
        ("every night I pray God doesn't wake me up tomorrow", "suicide_self_harm"),
        ("I keep hoping the Lord won't wake me in the morning", "suicide_self_harm"),
        ("¿cuántas de las pastillas de mi papá se necesitan pa no despertar?", "suicide_self_harm"),
        # a loss dates itself, not the act told beside it
        ("since my wife died he has been so low, tonight he cut his wrists", "suicide_self_harm"),
        # a threat without a laughing face
        ("im going to kill my neighbor tonight, the gun is loaded", "homicidal_intent"),
        # no kick felt in late pregnancy (RCOG GTG 57)
        ("haven't felt the baby kick all day and I'm 33 weeks pregnant", "pregnancy_emergency"),
        ("I'm 37 weeks, I haven't felt him kick at all this afternoon", "pregnancy_emergency"),
        # legs drawn up with vomiting (NHS intussusception)
        ("my 10 month old keeps pulling his legs up and has thrown up three times", "acute_abdomen"),
        # a comparison with last time is a sign now
        ("my lips are swelling like last time I ate shrimp and my throat is closing", "anaphylaxis"),
        # last known well (BE-FAST time)
        (
            "my wife was fine an hour ago and now her face is drooping and she can't lift her left arm",
            "stroke",
        ),
        ("im writing for my mom, she suddenly can't speak and her right arm is weak", "stroke"),
        (
            "a mi tío se le cayó la cara de un lado y no puede hablar. le empezó mientras veía la novela.",
            "stroke",
        ),
        # a poison named beside the service
        ("my toddler swallowed a detergent pod, I'm on hold with poison control", "poisoning"),
        # es: heat told with a body sign or a body temperature (CDC)
        (
            "mi papá estaba en la pizca con este calorón, dice cosas sin sentido y ya no suda",
            "heat_cold_injury",
        ),
        ("trabajando al sol todo el día, tiene 41 grados y está confundido", "heat_cold_injury"),
        # es: farm water (CDC, WHO)
        ("sacamos a mi hija del canal, tose y tose y está muy adormilada", "drowning"),
        # es: a count of pills; an amount not known is no negation
        ("se tomó como 20 pastillas de su mamá", "overdose"),
        ("mi nieta se comió no sé cuántas pastillas de hierro y ya vomitó", "poisoning"),
        # lips swelling after an allergen, with a throat sign or vomiting (WAO 2020)
        ("she ate a granola bar with almonds and her lips are getting huge, she threw up", "anaphylaxis"),
        # a fall into water, breathing fast after it (CDC drowning)
        (
            "my 4 year old fell in the pond, we got him out, an hour later he's breathing fast and coughing",
            "drowning",
        ),
        # es: a brazier lit indoors, written as it sounds (CDC carbon monoxide)
        ("prendimos el bracero en el cuarto y ahora todos tenemos dolor de cabeza y mareo", "poisoning"),
        # es: a goodbye to everyone announced, with a gun at hand (AFSP warning signs; C-SSRS 6)
        (
            "mi hermano se va a despedir de todos y tiene la pistola de mi papá en su cuarto",
            "suicide_self_harm",
        ),
        # es: guarding and walking bent over (NHS appendicitis; ACS)
        (
            "a mi hija le duele la panza abajo a la derecha, camina doblada y no deja que le toque",
            "acute_abdomen",
        ),
    ],
)
def test_round24_emergencies_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        # a chore's object and a laugh in one sentence: exasperation
        "this insurance form makes me want to die lol, which box is the group number",
        "the parking app is making me want to kill myself \U0001f602 how do I pay for the garage",
        "este formulario me da ganas de morirme jajaja, ¿dónde pongo el número de póliza?",
        # a laughing or upside-down face with a household grievance
        "my son spilled juice on my laptop, I'm going to kill him \U0001f602 anyway when is his flu shot due",
        "voy a matar a mi hijo \U0001f643 pintó la pared con crayones, ¿a qué edad se le quita?",
        # the service, not a poison
        "I called poison control and they said the crayon he chewed is fine, he's playing",
        # colic (NHS): legs drawn up, nothing else
        "my 6 week old is gassy and pulling his legs up after feeds, is gripe water ok?",
        # an episode dated by "last time"
        "last time I got stung my throat swelled and they took me by ambulance, can I get a spare epipen?",
        # an anniversary's "today"
        "my sister died of an overdose two years ago and today is the anniversary, any support groups?",
        "mi tío murió de sobredosis hace dos años y hoy es su aniversario, ¿hay grupos de apoyo?",
        # es: a belief asked about; the weather; a time after "como"
        "¿es cierto que las convulsiones pueden dar por un susto?",
        "voy a trabajar en la pizca en agosto, hace como 42 grados, ¿cuánta agua debo tomar?",
        "anoche me sangró la nariz como 20 minutos y ya paró, tomo warfarina, ¿le aviso al doctor?",
        # a start told as an idiom
        "my heart stopped when I saw the copay for the MRI, can I get a payment plan?",
        # es: the farmworker, no brazier; lip filler
        "mi abuelo fue bracero en los 60 y ahora le duele la cabeza seguido, ¿qué le doy?",
        "I got lip filler yesterday and my lips look huge, is the swelling normal?",
        # es: a goodbye at a party and a toy gun
        "mi hija se va a despedir de todos en la fiesta del sábado, ¿le compro una pistola de agua?",
        # a doubled usual dose, forgotten (Poison Control: most are harmless)
        "Dad took his evening pills twice because he forgot he had already taken them, he feels fine today",
    ],
)
def test_round24_everyday_messages_are_allowed(text: str) -> None:
    assert rule_signs(text) == []


def test_a_laughing_face_is_a_token_and_other_emoji_are_not() -> None:
    tokens = Tokens.of("kill him\U0001f643 ok \U0001f62d")
    assert tokens.words == ("kill", "him", "\U0001f643", "ok")
    assert tokens.spans[2] == (8, 9)


def test_the_exasperation_idiom_with_the_model_on() -> None:
    assert signs("ok this parking portal makes me want to die \U0001f923 where do I upload the permit") == []
    assert "suicide_self_harm" in signs("i just want to die \U0001f923")
