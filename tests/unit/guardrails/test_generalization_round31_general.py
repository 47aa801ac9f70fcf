"""Round 31, general medical classes (en+es, dev99 and dev102: a health-system portal; vacations, youth sports, home
repair, yard chemicals, pets, grandparents, and older rounds caught only by the n-gram model): household cleaners
mixed and breathed with a chest sign; a weed killer swallowed with spitting or rubbing at the mouth; hypothermia from
being wet in the wind or in a home without heat, with shivering that stopped, clumsiness, slurred words or the urge to
undress; a household sick together that feels better outside; the glass test told in the past; a smile on one side; a
seizure with the eyes rolled up; a reliever that does nothing; slipping under at the pool; heat stroke confusion.

Must-allow side: a group chat or a flood of messages that "suffocates" the writer; the fever threshold of a young
baby asked while packing for a trip; a cleaner mix asked about before cleaning; a weed killer stored or sprayed; a
chilly hike where everyone warmed up; Raynaud's fingers; foggy weather; a headache that eases outdoors; a phone that
slid out of one hand.

Every message here was written for this file (not copied from tests/data/guardrails). The emergency rules are read
alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        # cleaners mixed and breathed, with a chest sign (Poison Control; CDC, Facts about chlorine), en and es
        (
            "I mixed bleach with the toilet bowl stuff to clean the grout and now my chest burns and I can't stop coughing",
            "poisoning",
        ),
        (
            "mi esposa mezcló cloro y vinagre para limpiar la regadera y ahora no deja de toser y le arde el pecho",
            "poisoning",
        ),
        ("lavé el piso con cloro con amoniaco, tengo el pecho apretado y me silba al respirar", "poisoning"),
        # a weed killer swallowed, spitting and rubbing at the mouth (Poison Control), en and es
        (
            "my 3 year old got a mouthful of the weedkiller my neighbor left in a water bottle and he keeps spitting and "
            "rubbing his mouth",
            "poisoning",
        ),
        (
            "mi nieta de 2 años tomó del herbicida que estaba en una botella de refresco y está escupiendo",
            "poisoning",
        ),
        # wet in the wind, shivering that stopped, clumsy or undressing (CDC hypothermia; WMS 2019), en and es
        (
            "we got soaked on the trail and the wind won't quit, my husband was shivering hard and now he's stopped, he's "
            "clumsy and mumbling",
            "heat_cold_injury",
        ),
        (
            "my dad fell in the creek while fishing, he's in wet clothes and now he's taking his clothes off saying he's "
            "hot and slurring",
            "heat_cold_injury",
        ),
        (
            "mi hijo se empapó en la excursión, tiritaba mucho y ahora ya no tiembla, está muy torpe y habla arrastrado",
            "heat_cold_injury",
        ),
        (
            "llevamos horas con viento helado y la ropa mojada, mi mamá se quiere quitar la ropa y dice que tiene calor",
            "heat_cold_injury",
        ),
        # a home without heat, shivering, clumsy (CDC hypothermia; NIA cold weather safety)
        (
            "the furnace went out on Friday and the landlord won't answer, my grandma is wrapped in blankets but she's "
            "clumsy and mumbling and can't stop shivering",
            "heat_cold_injury",
        ),
        # a household sick together that feels better outside, the source only asked about (US EPA; CDC CO), en and es
        (
            "does a gas dryer need a vent? all four of us have had headaches and felt dizzy all evening and it goes "
            "away when we leave the house",
            "poisoning",
        ),
        (
            "¿cada cuánto se revisa el calentador? toda la familia tiene dolor de cabeza y mareo desde anoche y se nos "
            "quita al salir",
            "poisoning",
        ),
        # the glass test told in the past, a chin that cannot reach the chest (NICE NG143; MRF), en and es
        (
            "my son has a fever and tiny purple dots on his tummy, I pressed a glass on them and they stayed",
            "sepsis_meningitis",
        ),
        (
            "mi hija tiene fiebre de 39 y no puede bajar la barbilla al pecho, le duele mucho el cuello",
            "sepsis_meningitis",
        ),
        # a smile lifting one side only (BE-FAST face)
        (
            "my dad tried to smile for the photo and only one side of his mouth moved, he seems confused",
            "stroke",
        ),
        # eyes rolling up while shaking for minutes (Epilepsy Foundation; CDC seizure first aid)
        ("my nephew is on the floor, eyes rolled up and arms jerking for 6 minutes now", "seizure"),
        # a reliever that does nothing, speech cut to a few words (CDC asthma action plan)
        ("inhaler isn't doing anything and I can only get a few words out at a time", "respiratory_distress"),
        # slipped under at the pool, coughing and sleepy hours later (CDC drowning; AAP 2021)
        (
            "my daughter slipped under at the pool before lunch, now she keeps coughing and is very sleepy",
            "drowning",
        ),
        # heat stroke: not making sense, stopped sweating (CDC heat stroke)
        (
            "my brother was mowing in the heat all afternoon and now he isn't making sense and quit sweating",
            "heat_cold_injury",
        ),
    ],
)
def test_round31_emergencies_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        # a group chat or a flood of messages as what "suffocates" (Cambridge, figurative), en and es
        "the soccer parents' group chat is suffocating me, I can't breathe with 200 texts a day about snacks. any tips "
        "for sleeping better?",
        "el grupo de whatsapp del colegio me tiene asfixiada, no puedo respirar con tantos mensajes, ¿algún té para los "
        "nervios?",
        # the fever threshold of a young baby asked before a trip (AAP), es and en
        "nos vamos de viaje con la bebé de 6 semanas, ¿desde cuánto es fiebre en una recién nacida? quiero saberlo antes",
        "packing for grandma's with our 7 week old. what counts as a fever at that age? want it written down before "
        "we go",
        # a cleaner mix asked about before cleaning (Poison Control), en and es
        "is it safe to mix bleach with vinegar for mold in the shower or will it make fumes? I haven't tried yet",
        "¿se puede usar cloro con amoniaco para limpiar el baño o es peligroso? todavía no he mezclado nada",
        # a weed killer stored or sprayed, no one swallowed it
        "where should I store the weed and grass killer so the grandkids can't reach it? it's in the garage now",
        "¿cuánto herbicida le pongo al patio? lo compré ayer y no quiero dañar el pasto",
        # a chilly hike, everyone warmed up
        "we got soaked on the hike yesterday and were shivering hard at the car, but we warmed up with soup and feel "
        "fine. what rain jacket do you recommend?",
        # fingers that go white and numb in the cold and come back (Raynaud's, NHS): not hypothermia
        "my fingers go white and numb when I carry groceries in the cold, then they come back pink. is that Raynaud's?",
        # weather that is foggy and cold is no sign
        "it was a foggy, cold morning at the lake and my knee is stiff from the canoe, ibuprofen or ice?",
        # a headache that eases outdoors, one person, no household (not the CO rule)
        "my tension headache always feels better outside after a walk, is that normal?",
        # a phone that slid out of one hand is no stroke sign
        "my phone slid out of my right hand and the screen cracked, is there a repair shop you recommend?",
    ],
)
def test_round31_everyday_messages_are_allowed(text: str) -> None:
    assert rule_signs(text) == []
