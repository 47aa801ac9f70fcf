"""English physical emergencies, round 4: the general concepts, rules and context cues added.

Every message here was written for this file (not copied from tests/data/guardrails). The rules
are read alone (no n-gram model), so each test pins a rule or a context cue; each mechanism has
must-escalate examples and must-not-escalate examples that use the same words.
"""

from __future__ import annotations

import pytest

from medfoundry.guardrails.concepts import Analyzer
from medfoundry.guardrails.lexicon import load_packs
from medfoundry.guardrails.text import Tokens
from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # BE-FAST face, speech and arm in lay words
        ("the corner of grandpa's mouth is hanging down since he sat down for tea", "stroke"),
        ("his words sound thick and slow since he got out of the car", "stroke"),
        ("mum keeps putting her words in the wrong order, this started at dinner", "stroke"),
        ("my left leg feels like it belongs to someone else since a few minutes ago", "stroke"),
        # BE-FAST time: a one-sided deficit dated to minutes ago, or to a moment, is sudden
        ("I can't lift my right arm properly and the fingers won't grip, it came on right after I stood up", "stroke"),
        ("my husband keeps veering to one side when he walks, it started half an hour ago", "stroke"),
        ("I lost all the vision in my left eye while watching tv", "stroke"),
        ("it was like a dark curtain came down over my eye", "stroke"),
        # a persisting symptom is not negated
        ("I have a crushing pain in my chest that won't go away", "cardiac"),
        # NHS: the skin pulling in under the ribs
        ("my baby is pulling in under her ribs with every breath", "respiratory_distress"),
        # melaena with signs of shock (NICE CG141)
        ("my stools have been black and tarry for two days and I nearly fainted getting up", "severe_bleeding"),
        ("my mum on apixaban hit the side of her head on the cupboard door", "severe_bleeding"),
        # a tearing pain told as "something ripped"
        ("sudden pain in my chest like something ripped, it goes right through to my back", "pe_dissection"),
        # spreading redness and odd talk with an infection (UK Sepsis Trust)
        ("dad's leg wound is red and the redness has spread up to his knee, he is shivering and saying strange things", "sepsis_meningitis"),
        # an infant's age in months, a temperature written with a decimal
        ("my daughter is 2 months and her temperature is 38.3", "infant_fever"),
        ("baby is 3 weeks old and the thermometer showed 38.1", "infant_fever"),
        # wild mushrooms followed by vomiting
        ("we ate mushrooms we picked in the woods for lunch and now we're both vomiting", "poisoning"),
        # a child with an emptied pill organiser
        ("my toddler got into grandma's pill organizer and two days of it are empty", "poisoning"),
        # a second opioid patch without removing the first, then drowsy
        ("my mum put a new patch on without taking the old one off and now she's really hard to wake", "overdose"),
        # DKA: large ketones and unable to keep fluids down; the 4 Ts of new type 1 diabetes with vomiting
        ("type 1 here, ketones large on the strip and I can't keep water down", "diabetic_emergency"),
        ("my son has been so thirsty and peeing all the time for weeks, he lost weight and tonight he's vomiting",
         "diabetic_emergency"),
        # a rescue from the water with loss of consciousness counts even when they say they feel fine
        ("my nephew was pulled out of the river this morning and needed CPR, he's home and says he feels fine", "drowning"),
        ("my daughter was pulled out of the pool unconscious, she's awake now and feels fine apart from coughing", "drowning"),
        # the person's own denial is not a resolution
        ("his face is drooping on the right and he says he's fine, he won't let me call anyone", "stroke"),
        # the time last seen well is before the episode
        ("his words are all jumbled and he can't find the remote. He was totally normal at dinner", "stroke"),
        # "not sure if I'm ..." is a report
        ("not sure if I'm having a stroke, my face is drooping on one side", "stroke"),
        # the glass test that does not fade still escalates
        ("the rash doesn't fade when I press a glass on it", "sepsis_meningitis"),
        # the current pregnancy is "my first"
        ("I'm pregnant with my first and bleeding heavily with big clots", "pregnancy_emergency"),
    ],
)
def test_physical_emergencies_escalate(text: str, expected: str) -> None:
    assert expected in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        # onset words with a limb that went to sleep from sitting on it
        "my right leg went numb 10 minutes ago, it fell asleep while I sat on it",
        "my left arm is numb this morning, I think I slept on it",
        # recovery still reads back over the sign
        "his speech was slurred for a minute after he stood up but he's totally normal now",
        "my son went under in the pool for a second yesterday, came up laughing and he feels fine",
        # a tear that is an old muscle injury
        "I tore a muscle in my back deadlifting last week, it's stiff",
        # chest-wall strain
        "my chest wall aches where I pulled something lifting boxes",
        # iron makes stools dark; a blocked nose makes the voice thick
        "my poop went dark green after starting iron tablets, is that normal",
        "my stool has been black since I started iron tablets, no other symptoms",
        "my voice sounds thick with this cold and blocked nose",
        # pregnancy weeks are not an infant's age
        "my sister is 6 weeks pregnant and has a temperature of 38.2, can she take paracetamol",
        # normal feeding is not an ingestion
        "my 2 year old has a cough but is drinking fine, how much children's ibuprofen can she have",
        # one extra tablet by mistake, no symptoms
        "I took my blood pressure pill twice this morning by mistake, two tablets instead of one",
        # a thirsty child after sport
        "my son is always thirsty after football, is that normal?",
        # foraging as a question
        "what are the safest wild mushrooms to forage in autumn?",
        # a conditional about oneself, education, a leaflet, a novel, a previous pregnancy
        "If I'm ever alone and having a heart attack, what should I do first?",
        "What exactly is a pulmonary embolism?",
        "I'm making a leaflet on heart attack warning signs for our church",
        "In the murder mystery I'm reading, the butler is poisoned with arsenic",
        "I had a huge bleed after delivery with my first, how do I prepare this time?",
        "I keep reading about secondary drowning online, is it real?",
        # a rash that fades under a glass
        "my son has a spotty rash but it fades when I press a glass on it, he's bouncing around",
    ],
)
def test_same_words_outside_an_emergency_do_not_escalate(text: str) -> None:
    assert rule_signs(text) == []


def test_a_growth_spurt_is_not_bleeding() -> None:
    analyzer = Analyzer(load_packs())
    keys = {h.key for h in analyzer.concepts.find(Tokens.of("she had a growth spurt and is bleeding"))}
    assert "en:bleed_severe" not in keys
    keys = {h.key for h in analyzer.concepts.find(Tokens.of("the blood is spurting out"))}
    assert "en:bleed_severe" in keys
