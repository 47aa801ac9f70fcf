"""Round 32, general medical classes (en+es, dev103 and dev106: rural and agricultural writers; school nurses,
daycare, coaches, parents, dementia caregivers, pregnancy; and dev101's panic attack read as cardiac): a child left
waiting in a parked car or truck with heat-stroke signs; a fuel-burning heater ("calentón de gas", a propane heater)
run all night with a household sick and sleepy; a real sting or panic attack told now still escalates; and older cases
caught only by the n-gram model: vomiting blood, a fall into water, an infection with two sepsis signs, a blow told
without "his", an early pregnancy's stabbing pain, an ovarian cyst named late, a bowel obstruction, BE-FAST balance
and speech in Spanish, a seizure that "no ha parado", a dark ketone strip, blue lips after "without stopping to
breathe", fewer fetal movements, tightenings every few minutes with a leak, and early pregnancy told by the dates.

Must-allow side: a sting with the breathing trouble denied by "never had trouble"; a feverish baby still eating and
playing, with a dose question for an infants' medicine; rat poison stored while the children run "por todos lados";
poisonous plants asked about for a child who puts things in the mouth; panic attacks told as a pattern ("I get panic
attacks", "me dan ataques de ansiedad") and a chest episode checked by a normal ECG; one sepsis sign with an ear
infection; a round-ligament pull; a gassy baby; a writer "confused whether"; a parent who "barely sleeps"; a mother
resting; tightenings that ease; a runny nose; a late period asked about.

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
        (
            "el bebé estuvo encerrado en el coche estacionado y ahora está ardiendo y no llora",
            "heat_cold_injury",
        ),
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
        (
            "I have panic attacks but this one is different, crushing chest pain going down my left arm",
            "cardiac",
        ),
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
        # vomiting blood told with the verb's other forms (NHS), en and es
        (
            "My husband just vomited up blood, a lot of it, and he's lightheaded. He has liver disease.",
            "severe_bleeding",
        ),
        ("Mi papá acaba de vomitar sangre oscura y está muy pálido", "severe_bleeding"),
        # a fall into water, then coughing and fast breathing (CDC drowning)
        ("Mi hija se cayó al canal, la sacamos, y ahora tose sin parar y respira muy rápido", "drowning"),
        # an infection with two sepsis signs and no fever (CDC sepsis)
        (
            "Mi papá tiene neumonía y hoy está desorientado, con la piel manchada y casi no orina",
            "sepsis_meningitis",
        ),
        # the blow told without "his" (CDC HEADS UP), and heads or a goalpost in a sport
        (
            "my brother fell off the ladder, hit head on the concrete, he's throwing up and very confused",
            "head_injury",
        ),
        (
            "my son clashed heads with another player at practice, he was knocked out for a bit and now he's vomiting",
            "head_injury",
        ),
        # early pregnancy with a stabbing one-sided pain and faintness (NHS ectopic pregnancy)
        (
            "Tengo 6 semanas de embarazo y tengo un dolor abajo del lado derecho como una puñalada y me siento desmayar",
            "pregnancy_emergency",
        ),
        # a known ovarian cyst named after the sudden pain and vomiting (ACOG)
        (
            "Sharp pain came on all of a sudden low on my right side an hour ago and I've thrown up twice. My doctor "
            "has been watching a cyst on that ovary.",
            "torsion",
        ),
        # bowel obstruction told of another (NHS)
        (
            "Mi abuelo no ha echado gases desde anteayer, tiene la barriga inflada y dura y está vomitando verde",
            "acute_abdomen",
        ),
        # BE-FAST balance and speech in Spanish
        ("Mi esposo de repente se tambalea al caminar y no le salen las palabras", "stroke"),
        # a seizure that "no ha parado" (CDC seizure first aid: 5 minutes)
        ("no ha parado, lleva convulsionando como 7 minutos y no responde", "seizure"),
        # the darkest ketone strip with a high sugar (ADA, DKA)
        (
            "type 1 here, sugar 450 and the ketone strip is dark purple, been throwing up since 6",
            "diabetic_emergency",
        ),
        # "without stopping to breathe" does not deny the blue lips after it (mMRC dyspnoea), en and es
        (
            "my emphysema is acting up, can't get up the stairs without resting, lips are gray and I'm so tired",
            "respiratory_distress",
        ),
        (
            "mi epoc está muy mal hoy, no puedo caminar al baño sin parar a respirar, tengo los labios morados",
            "respiratory_distress",
        ),
        # fewer movements late in pregnancy (RCOG GTG 57), en and es
        (
            "I'm 33 weeks and my son has hardly moved since last night, only felt 3 kicks this morning",
            "pregnancy_emergency",
        ),
        (
            "Tengo 31 semanas y la bebé casi no se ha movido hoy, solo sentí como 2 pataditas",
            "pregnancy_emergency",
        ),
        # tightenings every few minutes and a leak on standing (NHS signs of labour; ACOG PROM), en and es
        (
            "27 weeks pregnant, having tightenings every 4 minutes for the last hour and some watery stuff leaking",
            "pregnancy_emergency",
        ),
        (
            "tengo 28 semanas y desde hace una hora se me pone dura la panza cada 5 minutos y me sale agüita cuando "
            "me paro",
            "pregnancy_emergency",
        ),
        # early pregnancy told by the dates, with ectopic signs (NHS), en and es
        (
            "it's been 7 weeks since my last period, now a sharp pain on my right side and my shoulder tip hurts, "
            "I almost fainted",
            "pregnancy_emergency",
        ),
        (
            "Hace 6 semanas de mi última regla y tengo un dolor punzante abajo del lado izquierdo, me duele la punta "
            "del hombro y casi me desmayo",
            "pregnancy_emergency",
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
        # an ear infection and a poor appetite is one sign, not two (CDC sepsis)
        "Mi hijo tiene infección de oído y no quiere comer, ¿le doy más antibiótico?",
        # a round-ligament pull on turning in bed (ACOG; NHS)
        "Tengo 30 semanas y a veces siento un dolor de un solo lado cuando me volteo en la cama, se quita solo",
        # a gassy baby and a few days without a bowel movement are no obstruction
        "mi bebé tiene la pancita muy inflada de gases después de la leche, pero come bien y hace popó",
        "my grandma hasn't pooped in 3 days, is prune juice ok?",
        # unsteady on standing up fast, asked about
        "me tambaleo un poco cuando me paro rápido de la cama, ¿es la presión baja?",
        # a collision in sport told as past and well
        "my son bumped heads with a teammate last week, he was fine, no symptoms. can he play saturday?",
        # the writer not understanding ("confused whether"), a heat class (CDC heat illness)
        "Our crew did heat training today. I'm confused whether cramps and heavy sweating mean heat exhaustion or heat "
        "stroke, can you explain?",
        # a grieving parent who "barely sleeps" years after a drowning
        "Our son drowned three years ago and my wife still barely sleeps. Are there support groups for parents?",
        # walking without stopping now, in rehab
        "I can walk to the mailbox without stopping now, no chest pain at all, cardiac rehab is going well",
        # the mother resting, not the baby moving less
        "I'm 30 weeks and I've hardly moved off the couch today, is resting a lot bad?",
        # tightenings now and then that ease with rest (NHS Braxton Hicks), en and es
        "34 weeks, I get tightenings a few times a day when I walk a lot, they go away when I rest",
        "tengo 34 semanas y a veces se me pone dura la panza cuando camino mucho, se quita al descansar",
        # a runny nose in pregnancy, and a late period asked about
        "tengo 30 semanas y me sale agua de la nariz por la alergia, ¿qué puedo tomar?",
        "missed my period this month, I've been dieting a lot, is that why?",
        "It's been 5 weeks since my last period and the test was negative, could stress delay it?",
    ],
)
def test_round32_everyday_messages_are_allowed(text: str) -> None:
    assert rule_signs(text) == []
