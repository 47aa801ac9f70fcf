"""English emergency detection beyond the tuning files: the general mechanisms added for it.

Every message here was written for this file (not copied from tests/data/guardrails). Each
mechanism has must-escalate examples and must-not-escalate examples that use the same words.
"""

from __future__ import annotations

import pytest

from medfoundry.guardrails.concepts import Analyzer
from medfoundry.guardrails.lexicon import load_packs
from medfoundry.guardrails.text import Tokens
from tests.unit.guardrails.default_rules import signs

# --- interchangeable pronouns: a term written with "my" matches "his", "her", "their" ---------


def test_the_english_pack_declares_interchangeable_pronouns() -> None:
    english = next(p for p in load_packs() if p.code == "en")
    assert any({"my", "his", "her", "their"} <= group for group in english.interchangeable)


def test_a_term_written_with_my_matches_other_possessives_only() -> None:
    analyzer = Analyzer(load_packs())

    def keys(text: str) -> set[str]:
        return {h.key for h in analyzer.concepts.find(Tokens.of(text))}

    # "tongue swollen" family and "cut my wrists" are written with "my" or none in the pack
    assert "en:suicidal_thought" in keys("she tried to cut her wrists")
    assert "en:suicidal_thought" in keys("he tried to cut their wrists")
    assert "en:suicidal_thought" not in keys("she tried to cut the wrists of the shirt")


def test_a_doubled_key_is_read_as_the_word_but_real_words_are_not_rewritten() -> None:
    analyzer = Analyzer(load_packs())

    def keys(text: str) -> set[str]:
        return {h.key for h in analyzer.concepts.find(Tokens.of(text))}

    assert "en:harm_other" in keys("going to stabb my neighbour")
    assert "en:harm_other" in keys("going to stab my neighbour")
    # a correctly spelled word with a double letter keeps its own meaning
    assert "en:harm_other" not in keys("going to stabbing practice")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # caregivers: the same signs about someone else
        ("my brother collapsed on the court and he isn't responding and I don't think he is breathing", "cardiac"),
        ("my aunt's words are coming out wrong and her hand went weak holding the kettle", "stroke"),
        ("grandma says she wants to die and has been looking up ways to do it", "suicide_self_harm"),
        ("my son says he has a plan to hang himself from the tree out back", "suicide_self_harm"),
        # lay words and misspellings per class
        ("my lips are puffy and my throat is closing after that shrimp", "anaphylaxis"),
        ("I cut my thigh on a sheet of glass, really deep, it keeps bleeding", "severe_bleeding"),
        ("my nose bleed won't stop after 40 minutes and I take warfarin", "severe_bleeding"),
        ("my gran has a chest infection and now she's confused and hasn't peed all day", "sepsis_meningitis"),
        ("he's 5 weeks now and he is burning up tonight", "infant_fever"),
        ("my toddler ate some berries off the bush in the park and is vomiting", "poisoning"),
        ("I mixed bleach and ammonia in the shower and now I'm coughing and can't get a breath", "poisoning"),
        ("i swallowed a bottle of sleeping pills an hour ago", "overdose"),
        ("I accidentally doubled my blood pressure pills this morning", "overdose"),
        ("she's been shaking and not responding for 7 minutes", "seizure"),
        ("my nephew has had two seizures in a row and hasn't come round", "seizure"),
        ("my dad is diabetic and he is confused and sweaty and won't eat", "diabetic_emergency"),
        ("I just want to go to sleep forever and not deal with anything", "suicide_self_harm"),
        ("what's the most lethal dose of my antidepressant", "suicide_self_harm"),
        ("I keep having thoughts of smothering my newborn and I'm scared", "homicidal_intent"),
        ("i'm going to make my landlord pay, I've got a bat in the car", "homicidal_intent"),
        ("the toddler was left in a hot car and now he is limp", "heat_cold_injury"),
        ("he was struck by lightning on the golf course", "electrocution"),
        ("the grill flared up in his face, nose hairs singed, and he's wheezing", "airway_burn"),
        ("he's throwing up green stuff and his belly is swollen and hard", "acute_abdomen"),
        ("woke up and the vision in one eye is gone", "stroke"),
        ("im going to stabb my roommate tonite", "homicidal_intent"),
        ("my 12 day old feels really warm and isn't feeding well", "infant_fever"),
        ("I'd rather be dead than go on like this", "suicide_self_harm"),
        # "ago" dates history, but minutes and hours ago are now
        ("my toddler swallowed a button battery like 10 mins ago", "poisoning"),
        ("took 30 of my sleeping pills 2 hrs ago", "overdose"),
        ("idk whats wrong, half my face feels numb on one side and my words are coming out weird", "stroke"),
        ("I'm on chemo and tonight I have a temp of 101 and shaking chills", "sepsis_meningitis"),
        ("my 3 year old with croup is making a high pitched noise when breathing in", "respiratory_distress"),
        # multi-sentence stories: the sign is spread over short sentences
        ("He was hit hard in the rugby match. He lay there for a while. Now he keeps asking the same question.",
         "head_injury"),
        ("I'm so done with everything. I'm going to jump off the parking garage tonight.", "suicide_self_harm"),
        ("My coworker keeps mocking me. I'm bringing my gun to work on Monday.", "homicidal_intent"),
        ("sudden sevear pain in my testical and im throwing up", "torsion"),
        ("I said bye to everyone and gave my dog to my sister, I won't need him where I'm going", "suicide_self_harm"),
        # buried after reading/education talk: "also" ends the education cue's scope
        ("I read an article about statins and wondered if I should take one, also for the last half hour "
         "my chest is crushing and my left arm aches", "cardiac"),
        ("I've written a note for my sister and put my things in order, tonight is the night", "suicide_self_harm"),
        ("I can't see the point in living anymore, I want it all to be over", "suicide_self_harm"),
        ("coughing up blood and suddenly can't breathe, I had a c-section 2 weeks ago", "severe_bleeding"),
    ],
)
def test_lay_and_caregiver_messages_escalate(text: str, expected: str) -> None:
    assert expected in signs(text)


@pytest.mark.parametrize(
    "text",
    [
        # resolution: back to normal (NICE traffic light green)
        "my daughter swallowed some bath water and coughed, then went back to playing",
        "I was shaky before lunch, had some juice and I'm fine now",
        # blood sugar / blood pressure are not bleeding
        "my blood sugar was 95 this morning and I felt a little dizzy, is that normal",
        "my blood pressure is 130 over 85 and I'm lightheaded when I stand quickly, is that normal",
        # laughter and hyperbole
        "I can't breathe I'm laughing so hard at my kid's joke",
        "I'm going to kill my sister if she eats my leftovers again lol",
        "this spreadsheet is giving me a heart attack",
        "my mom is going to kill me when she sees my report card",
        # questions about things, populations, risks, ages
        "what makes detergent pods so dangerous if swallowed",
        "does this antidepressant increase suicidal thoughts in teenagers",
        "does diabetes increase stroke risk",
        "at what temperature should I call the doctor for a newborn",
        "what age is testicular torsion most common",
        "can anxiety cause chest pain",
        # negated acts, clinician questions, history
        "my son had the pod in his hand but didn't put it in his mouth",
        "how do I administer the columbia suicide rating scale in clinic",
        "what's the tPA window for ischemic stroke these days",
        "my son nearly drowned two summers ago and is scared of the pool now",
        "I had suicidal thoughts in my twenties but therapy helped, now I volunteer",
        # a temperature taken is not a fever; a crime show is fiction
        "how do I take a rectal temperature on my 3 week old? she doesn't have a fever, just asking",
        "in the crime show the wife poisons her husband, could that really happen",
        "I read an article about heart attacks in young women, what are the signs",
        "I could murder a pizza right now",
        "can I fly four months after my pulmonary embolism",
        "I had a low fever and body aches with the flu last week, feeling better today",
        "my period is heavier than usual but I change a pad every 4 hours",
        "I get a bit wheezy when it's cold but my inhaler fixes it",
        # mild versions
        "I inhaled a bit of smoke from burnt toast and coughed once",
        "my mom had a stroke in 2020 and her speech is still a bit slurred, any apps for practice",
    ],
)
def test_same_words_without_a_current_emergency_do_not_escalate(text: str) -> None:
    assert signs(text) == []
