"""Round 25, two known gaps (en+es, not from a dev file): typo tolerance read the head of a closed
compound as a misspelled prefix ("seat" in "seatbelt" as "sweat*", a cardiac sign); a submersion that
needed rescue breathing or left a child not breathing was let go once the child was "fine now" (CDC
drowning, AAP 2021: delayed respiratory failure; seen now unless care has already checked).

Every message here was written for this file. The emergency rules are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from medfoundry.guardrails.text import is_compound
from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize("word", ["seatbelt", "seatbelts", "footrest", "headboard"])
def test_closed_compounds_are_words(word: str) -> None:
    rule_signs("warm up")  # loads the language packs' words
    assert is_compound(word)


@pytest.mark.parametrize("word", ["sweatin", "swetting", "sucidal", "brething"])
def test_misspellings_are_not_compounds(word: str) -> None:
    rule_signs("warm up")
    assert not is_compound(word)


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        # a misspelled sweating word still reads as one
        ("my chest is tight and im swetting through my shirt", "cardiac"),
        # the seat belt with an attack's signs is still the attack
        (
            "since the drive my chest is crushing, I'm sweating and it goes into my jaw, not the seatbelt",
            "cardiac",
        ),
        # submersion with breathing lost or breathed for, told as over
        (
            "grandpa pulled my niece from the lake and she was not breathing at first, she seems okay now",
            "drowning",
        ),
        (
            "my toddler went under in the pool and the lifeguard did mouth to mouth, he is playing again",
            "drowning",
        ),
        ("my boy was underwater and stopped breathing until I got him out, he is back to normal", "drowning"),
        ("la sacamos de la piscina y no respiraba, ahorita ya está jugando", "drowning"),
        ("a mi sobrino le tuvieron que dar boca a boca en la alberca, ya se ve bien", "drowning"),
    ],
)
def test_round25_gaps_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "the seatbelts left a long bruise across my chest from the crash last week, nothing else hurts",
        "my seatbelt rubbed my collarbone raw on the road trip",
        # a near-miss with no breathing problem, and one already seen by care
        "she dipped under for a moment and popped right back up laughing",
        "my son gulped some pool water during his lesson",
        "he went under water and was not breathing for a few seconds, the ER checked him out and he is fine",
        "se hundió en la piscina y no respiraba, lo revisaron en urgencias y todo salió bien",
    ],
)
def test_round25_gaps_allowed(text: str) -> None:
    assert rule_signs(text) == []
