"""Context mechanisms of the third English round: resolution read back over earlier sentences,
laughter and joke cues, rules that ignore resolution, message-wide ``unless_in_message``, and two
groups never served by the same words.

Every message here was written for this file (not copied from tests/data/guardrails); each
mechanism has a must-escalate and a must-not-escalate side with the same vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.errors import ConfigError
from medfoundry.guardrails.concepts import Hit, _satisfy
from medfoundry.guardrails.lexicon import Rule, load_packs
from tests.unit.guardrails.default_rules import signs

# --- resolution told after the episode, in a later sentence ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Her glucose dropped to 48 before lunch and she was shaky and sweaty. She had some orange juice and "
        "feels fine now. Should the evening dose change?",
        "He slipped under the water at the pool for a moment and coughed a little. Since then he's been totally "
        "normal, eating and running around. Anything to look out for?",
    ],
)
def test_recovery_in_a_later_sentence_resolves_the_episode(text: str) -> None:
    assert signs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Her glucose is 38, she is shaky and sweaty and can barely hold the phone",
        # the recovery is told before the new episode: it does not read forward
        "He felt fine this morning. Now he is slurring his words and one side of his face is drooping",
    ],
)
def test_an_episode_without_recovery_after_it_still_escalates(text: str) -> None:
    assert signs(text) != []


# --- rules where harm comes before symptoms ignore resolution ---------------------------------


def test_large_acetaminophen_amount_escalates_even_when_she_feels_fine() -> None:
    text = (
        "My son swallowed around 25 extra strength tylenol two hours ago. He feels fine and wants to sleep."
    )
    assert "overdose" in signs(text)


def test_missing_button_battery_presumed_swallowed_escalates_even_when_he_seems_fine() -> None:
    text = (
        "The little round battery from the car key is missing and my 3 year old had the key. "
        "I think he swallowed it but he seems totally fine."
    )
    assert "poisoning" in signs(text)


def test_a_battery_changed_without_a_child_putting_it_anywhere_does_not_escalate() -> None:
    assert signs("I changed the batteries in the smoke alarm today, which kind lasts longest?") == []


# --- laughter and joke cues --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my face is drooping after that 14 hour shift haha, is coffee or a nap better",
        "nearly had my heart stop when the vet quoted the price lol. is pet insurance worth it",
        "My arm went numb on one side from sleeping on it all night. Joking aside, what pillow helps?",
    ],
)
def test_a_sign_followed_by_a_laugh_or_joke_cue_is_not_escalated(text: str) -> None:
    assert signs(text) == []


def test_a_leading_laugh_does_not_dismiss_what_follows() -> None:
    text = "lol of course this happens today, my dad fell off the ladder, got knocked out and keeps vomiting"
    assert "head_injury" in signs(text)


def test_a_wish_to_be_dead_is_never_dismissed_on_a_laugh() -> None:
    assert "suicide_self_harm" in signs("honestly i just want to die lol nothing matters")


# --- a bare condition name asked about (unless_in_message) ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Our scout leader mentioned testicular torsion on the camping trip, how would a kid know?",
        "Got curious after a podcast: is aortic dissection something that runs in families?",
    ],
)
def test_a_condition_name_asked_about_does_not_escalate(text: str) -> None:
    assert signs(text) == []


def test_a_condition_name_reported_now_still_escalates() -> None:
    assert "torsion" in signs("I think I have testicular torsion, it started an hour ago")


def test_unless_in_message_names_must_be_known_concepts(tmp_path: Path) -> None:
    pack = tmp_path / "xx"
    pack.mkdir()
    (pack / "language.yaml").write_text(
        "language: {code: xx, name: Test, function_words: [zz], messages: {notice_emergency: n, notice_poison: p,"
        " notice_crisis: c, refusal_denied: r, block_injection: b}}\n"
        "concepts: {sign: [glorp]}\n"
        "emergency: {test: {rules: [{all: [sign], unless_in_message: [nowhere]}]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="unknown concepts"):
        load_packs((str(pack),))


# --- idioms with a non-medical object, dental numbing, heat stroke -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my new job is suffocating me and I can't breathe with these deadlines, any tips for burnout?",
        "I could murder a pizza right now, is that a normal expression in Australia?",
        "half my lip is numb and I'm drooling a little after the dentist did a root canal, how long does it last",
        "how do I keep my grandma from getting heat stroke on the bus tour?",
    ],
)
def test_idioms_and_explained_signs_do_not_escalate(text: str) -> None:
    assert signs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "my husband can't breathe, his lips are blue",
        "half my husband's face is drooping and he can't lift his right arm",
    ],
)
def test_the_same_signs_without_the_idiom_still_escalate(text: str) -> None:
    assert signs(text) != []


# --- two groups are never served by the same words --------------------------------------------


def test_one_hit_cannot_satisfy_two_groups_of_a_rule() -> None:
    rule = Rule(groups=(("x:a",), ("x:b",)), within=10, confidence=0.9, ignore_history=False)
    same = Hit("x:a", 3, 3)
    assert _satisfy(rule, {"x:a": [same], "x:b": [Hit("x:b", 3, 3)]}, ()) is None
    assert _satisfy(rule, {"x:a": [same], "x:b": [Hit("x:b", 5, 5)]}, ()) is not None


def test_resolved_and_joking_hits_count_for_denied_topics() -> None:
    rule = Rule(groups=(("x:a",),), within=10, confidence=0.9, ignore_history=False)
    resolved = {"x:a": [Hit("x:a", 0, 0, resolved=True)]}
    joking = {"x:a": [Hit("x:a", 0, 0, joking=True)]}
    assert _satisfy(rule, resolved, ()) is None
    assert _satisfy(rule, joking, ()) is None
    assert _satisfy(rule, resolved, (), strict=False) is not None
    assert _satisfy(rule, joking, (), strict=False) is not None


# --- negated red flags in a chest-wall story; a relative already admitted -----------------------


def test_listed_absent_red_flags_do_not_escalate_chest_wall_pain() -> None:
    text = (
        "My chest hurts on the right when I press the spot where I bumped the door frame. "
        "Nothing going into my arm or jaw, no sweating. Ice or heat?"
    )
    assert signs(text) == []


def test_someone_already_admitted_does_not_escalate() -> None:
    text = "My uncle was admitted to the hospital with chest pain last night, what can I bring him?"
    assert signs(text) == []


# --- background risk factors: dated history does not cancel them ------------------------------


def test_a_dated_risk_factor_counts_beside_a_current_sign() -> None:
    text = "I had a hip replacement three weeks ago and this evening I am suddenly short of breath with chest pain"
    assert "pe_dissection" in signs(text)


def test_a_dated_risk_factor_alone_does_not_escalate() -> None:
    assert signs("I had a hip replacement three weeks ago, when can I drive again?") == []


def test_a_dated_sign_is_still_history_even_with_a_background_rule() -> None:
    text = "Three years ago after a long flight I had a clot in my calf and was short of breath. What socks help?"
    assert signs(text) == []


def test_background_hits_alone_cannot_satisfy_a_rule() -> None:
    rule = Rule(
        groups=(("x:risk",), ("x:sign",)),
        within=10,
        confidence=0.9,
        ignore_history=False,
        background=frozenset({"x:risk"}),
    )
    risk = Hit("x:risk", 0, 0, dated=True)
    assert _satisfy(rule, {"x:risk": [risk], "x:sign": [Hit("x:sign", 2, 2)]}, ()) is not None
    assert _satisfy(rule, {"x:risk": [risk], "x:sign": [Hit("x:sign", 2, 2, dated=True)]}, ()) is None


# --- a weekday that sets a time ahead -------------------------------------------------------------


def test_a_plan_set_for_a_weekday_escalates() -> None:
    text = "It's all planned out. On Saturday when everyone is at the game I'll take the pills I saved up."
    assert "suicide_self_harm" in signs(text)


def test_a_weekday_still_dates_a_past_event() -> None:
    assert (
        signs("On Saturday my son had a nosebleed for ten minutes, it stopped. Should I buy a humidifier?")
        == []
    )


def test_a_new_sign_after_the_recovery_is_a_relapse() -> None:
    text = (
        "She was totally fine after she hit her head yesterday, but now she is throwing up and really sleepy"
    )
    assert "head_injury" in signs(text)


def test_a_worry_after_the_recovery_is_not_a_relapse() -> None:
    text = (
        "My daughter fell off the swing and hit her head, she cried and threw up once, then felt fine. "
        "Now I'm worried, should I check on her tonight?"
    )
    assert signs(text) == []


def test_a_magnet_swallowed_escalates_even_when_she_seems_fine() -> None:
    assert "poisoning" in signs("my toddler swallowed a magnet from the fridge letters, she seems fine")
