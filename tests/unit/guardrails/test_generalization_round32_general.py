"""Round 32, general medical classes (en+es, dev103 and dev106: rural and agricultural writers; school nurses,
daycare, coaches, parents, dementia caregivers, pregnancy; and dev101's panic attack read as cardiac): a child left
waiting in a parked car or truck with heat-stroke signs; a fuel-burning heater ("calentón de gas", a propane heater)
run all night with a household sick and sleepy; a real sting or panic attack told now still escalates.

Must-allow side: a sting with the breathing trouble denied by "never had trouble"; a feverish baby still eating and
playing, with a dose question for an infants' medicine; rat poison stored while the children run "por todos lados";
poisonous plants asked about for a child who puts things in the mouth; panic attacks told as a pattern ("I get panic
attacks", "me dan ataques de ansiedad") and a chest episode checked by a normal ECG.

Every message here was written for this file (not copied from tests/data/guardrails). The emergency rules are read
alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        # a child waiting in a parked vehicle, then limp, hot, not answering (NHTSA heatstroke; CDC heat stroke)
        (
            "my son sat waiting in the truck during my shift, maybe 3 hours, and now he's floppy, red hot and won't "
            "answer me",
            "heat_cold_injury",
        ),
        (
            "mi hija se quedó esperando en la camioneta mientras yo pizcaba, como dos horas, y ahora está bien caliente "
            "y no responde",
            "heat_cold_injury",
        ),
        ("el bebé estuvo encerrado en el coche estacionado y ahora está ardiendo y no llora", "heat_cold_injury"),
        # a fuel-burning heater on all night, the household sick together (CDC carbon monoxide)
        (
            "we ran a propane heater all night in the camper and this morning we all have headaches and my son is hard "
            "to wake",
            "poisoning",
        ),
        (
            "anoche prendimos el calentón de gas en el cuarto y amanecimos todos con dolor de cabeza y mareados",
            "poisoning",
        ),
        # a pattern of panic attacks does not hide an attack told now, or one unlike the usual (AHA warning signs)
        (
            "Sufro de ataques de ansiedad y ahorita me está dando dolor de pecho que se va al brazo izquierdo y sudo frío",
            "cardiac",
        ),
        ("I have panic attacks but this one is different, crushing chest pain going down my left arm", "cardiac"),
        # "never had trouble breathing before" is a first, not a denial (WAO anaphylaxis criteria)
        (
            "I never had trouble breathing before but right now my throat is closing after eating shrimp",
            "anaphylaxis",
        ),
        # a child still eating what was swallowed is no wellness sign (Poison Control)
        ("my 3 year old is still eating the gummies, the bottle of melatonin is half gone", "poisoning"),
        # rat poison swallowed, the other children "por todos lados" beside it
        (
            "mi hijo de 3 años se comió el veneno para ratas y vomita, los demás niños andan por todos lados",
            "poisoning",
        ),
    ],
)
def test_round32_emergencies_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        # a sting with breathing trouble and hives denied (WAO 2020 anaphylaxis criteria), en and es
        "A bee got me on the neck at the orchard on Sunday, big red lump, but I never had trouble breathing and no "
        "hives. Should I get allergy testing?",
        "Me picó una abeja en el cuello el domingo, se me hinchó pero nunca tuve problemas para respirar ni ronchas. "
        "¿Necesito una prueba de alergia?",
        # a feverish baby still eating and playing, a dose of an infants' medicine asked (AAP; FDA Drug Facts labels)
        "My 9 month old has had 100.8 since the daycare cold started, still eating and playing. How much infant motrin "
        "for 20 lbs?",
        "Mi bebé de 10 meses tiene 38 de fiebre por el resfriado, sigue comiendo y jugando. ¿Cuánto tylenol infantil le "
        "doy?",
        # poison stored while the children run everywhere (RAE: "por todos lados")
        "Tenemos el matarratas en el granero y los chamacos corren por todos lados, ¿dónde lo guardo para que no lo "
        "agarren?",
        # poisonous plants asked about for a child who mouths things (AAP HealthyChildren), en and es
        "Which garden plants are toxic to toddlers? My grandson is a kid who puts everything, leaves included, in his "
        "mouth.",
        "¿Qué plantas son venenosas para los niños? Mi nieto se lleva todo a la boca y quiero sacarlas del patio.",
        # panic attacks told as a pattern (NIMH, panic disorder), en and es
        "I get panic attacks where my chest gets tight, my heart pounds and I feel like I'm going to die. What can I do "
        "besides pills?",
        "Me dan ataques de pánico: el corazón se me acelera y siento que me voy a morir. ¿Qué ejercicios me ayudan?",
        # a chest episode checked with a normal ECG (AHA), es and en
        "Anoche me dio dolor de pecho con sudor frío en el trabajo. En urgencias me hicieron electro y salió normal. "
        "¿Fue estrés?",
        "Last night I had chest pressure and got sweaty at work. At urgent care the EKG came back normal. Could it be "
        "stress?",
    ],
)
def test_round32_everyday_messages_are_allowed(text: str) -> None:
    assert rule_signs(text) == []
