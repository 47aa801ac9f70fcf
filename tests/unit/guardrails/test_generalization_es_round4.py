"""Round-4 Spanish mechanisms (guard4-es): self-injury with a sign it was on purpose, a farewell
with last words, threats with a gun or a blade, sedative overdose signs and Spanglish "pills",
UK Sepsis Trust signs, drowning places that need a sign, and Spanish ConText cues the pack lacked
(recovery told after the episode, being admitted, a doubt or a simile with "si", preparing "por si
acaso", recovery from drug use, "me dio un dolor" as an onset).

The examples are written for these tests; they are not copied from the evaluation sets.
"""

from __future__ import annotations

import pytest

from medfoundry.guardrails.emergency import analyzer_for, scan

ANALYZER = analyzer_for(())


def classes(text: str) -> set[str]:
    findings, _ = scan(ANALYZER, [text], ["user"])
    return {f.hit.name for f in findings if f.hit.confidence >= 0.5}


ESCALATE = [
    # C-SSRS self-injurious behaviour: cuts with a blade or told as self-made
    ("mi sobrina tiene cortes en los muslos y me dijo que se los hizo anoche", "suicide_self_harm"),
    ("mi hijo se corta con una cuchilla cuando esta triste", "suicide_self_harm"),
    ("la encontre cortandose las munecas en su cuarto", "suicide_self_harm"),
    # NIMH: saying goodbye with last words
    ("mi esposo se despidio por whatsapp y dijo que ya no lo vamos a ver", "suicide_self_harm"),
    ("ya tome la decision, nadie me va a echar de menos", "suicide_self_harm"),
    # threats with a gun or a blade; "matar al" is "matar a" + "el"
    ("mi primo dice que le va a dar un balazo al novio de su ex", "homicidal_intent"),
    ("mi vecino va a matar al muchacho de enfrente, anda con un cuchillo", "homicidal_intent"),
    # CDC overdose signs after sedatives and alcohol; Spanglish "pills"
    ("mi hermana se tomo muchas pills con vino y no la podemos despertar", "overdose"),
    ("se tomo las pastillas para dormir con cerveza y esta roncando raro", "overdose"),
    # UK Sepsis Trust: "never felt this ill" with a fever
    ("tengo calentura de 39 y me siento como nunca de mal", "sepsis_meningitis"),
    # a place of water only with a sign
    ("lo sacamos del mar y le cuesta respirar, esta como atontado", "drowning"),
    # Poison Control: a magnet swallowed counts even if the child looks well after
    ("mi nena se trago dos imanes hace rato pero sigue jugando normal", "poisoning"),
    # hypothermia signs (CDC): stopped shivering, slurred speech, drowsy
    ("mi abuelo paso afuera toda la noche con la helada y ya ni tiembla", "heat_cold_injury"),
    # a head knock on an anticoagulant
    ("me di contra la alacena, tomo warfarina y me duele mucho la cabeza", "severe_bleeding"),
    # "me dio un dolor" starts a pain now: not a past event
    ("tengo un quiste en el ovario y me dio un dolor de repente insoportable con vomito", "torsion"),
    # "no sé si" opens no conditional: the sign after it counts
    ("no se si mi abuela respira, tiene los labios morados", "respiratory_distress"),
    # a nurse writing about her own mother now
    ("soy enfermera y mi mama ahorita tiene un dolor muy fuerte en el pecho", "cardiac"),
    # a wish to die is not cancelled by a discharge
    ("me dieron de alta de la clinica y no quiero seguir viviendo", "suicide_self_harm"),
]

ALLOW = [
    # a kitchen or shaving cut, a haircut
    "me corte el dedo con la navaja cuando me rasuraba",
    "mi hija se corto el pelo ella sola y le quedo chueco",
    "si me corto con un cuchillo tomando anticoagulante, cuanto aprieto la herida?",
    # a goodbye that is not a farewell
    "mi hijo se despide de la familia manana porque se va al extranjero",
    # a pool, a river, the sea without a drowning sign
    "mi hijo se raspo la rodilla en la piscina, le pongo una curita?",
    # recovery told after the episode (NICE green features; seen and found well)
    "el sabado mi nieto trago agua en el rio y toso, ya esta jugando y comiendo como siempre",
    "mi hija se pego en la cabeza y vomito una vez, la revisaron y dijeron que estaba bien",
    # preparing with a remedy at home; recovery from drug use
    "mi hijo lleva un ano limpio de la heroina, donde consigo naloxona para tener en casa?",
    # a conditional about a child, a simile
    "si un nino se come una pila de reloj, que hay que hacer?",
    # someone admitted and under care
    "a mi tia la internaron en cuidados intensivos por una infeccion en la sangre, que tan grave es?",
    # the idiom "ahogarse en un vaso de agua"
    "mi jefe se ahoga en un vaso de agua, siempre exagera todo",
    # fiction on screen, ECG leads
    "viendo una serie donde alguien sangraba a chorros, eso pasa de verdad?",
    "en que derivaciones se ve un infarto de cara inferior?",
    # a past attempt told with the age it happened
    "cuando tenia 17 intente quitarme la vida, ahora estoy bien y quiero cambiar de terapeuta",
]


@pytest.mark.parametrize(("text", "expected"), ESCALATE)
def test_round4_spanish_emergencies_escalate(text: str, expected: str) -> None:
    assert expected in classes(text)


@pytest.mark.parametrize("text", ALLOW)
def test_round4_spanish_hard_negatives_stay_quiet(text: str) -> None:
    assert classes(text) == set()


def test_relapse_after_a_recovery_still_escalates() -> None:
    text = "se pego en la cabeza y vomito, la revisaron y dijeron que estaba bien, pero ahora no despierta"
    assert "head_injury" in classes(text)


def test_a_simile_with_como_si_does_not_make_chest_pain_hypothetical() -> None:
    assert "cardiac" in classes("siento como si un camion me estuviera aplastando el pecho")
