"""Where a capitalised word in no vocabulary is a medicine by its place, not a person's name.

The place is read from ``data/<lang>/medication_context.yaml``: the object of a medication verb
("me recetaron Tranquimazin", "toma Nolotil y Adiro": in Spanish a person as the object takes
"a"), or a word followed by a strength or an amount ("Brandname 0.5 mg", "Tranquimazin de 0,5").
Only the unknown-word rule asks: a listed name or a cue ("Dr", "mi hijo") still decides.
"""

from __future__ import annotations

import functools
import re

import yaml

from medfoundry.deid import lexicon
from medfoundry.deid.detectors.view import starts_sentence

_LANGUAGES = ("en", "es")
_LOOK_BACK = 120  # characters before the word that the verb and a list of medicines may take


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    verbs: set[str] = set()
    determiners: set[str] = set()
    conjunctions: set[str] = set()
    units: set[str] = set()
    for language in _LANGUAGES:
        data = yaml.safe_load(lexicon.data_text(f"{language}/medication_context.yaml"))
        verbs |= {str(w).lower() for w in data["verbs"]}
        determiners |= {str(w).lower() for w in data["determiners"]}
        conjunctions |= {str(w).lower() for w in data["conjunctions"]}
        units |= {str(w).lower() for w in data["units"]}
    # a medicine already in the list, with its strength: "Nolotil 575 y ", "Sintrom, "
    listed = rf"[^\W\d_][\w-]*(?:\s+\d+(?:[.,]\d+)?(?:\s*[^\W\d_]+)?)?(?:\s*,\s*|\s+(?:{_alternation(conjunctions)})\s+)"
    before = re.compile(
        rf"(?<![\w-])(?P<verb>{_alternation(verbs)})(?:\s+(?:{_alternation(determiners)}))?\s+(?:{listed})*$",
        re.IGNORECASE,
    )
    after = re.compile(
        rf"[ \t]*(?:(?:de|of)[ \t]+)?(?:\d+[.,]\d+|\d+[ \t]*(?:{_alternation(units)})(?![\w]))",
        re.IGNORECASE,
    )
    return before, after


def medicine_by_position(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` stands where a medicine does."""
    before, after = _patterns()
    if after.match(text, end):
        return True
    window_start = max(0, start - _LOOK_BACK)
    found = before.search(text[window_start:start])
    if found is None:
        return False
    verb_at = window_start + found.start("verb")
    # a verb capitalized mid-sentence is a name's word ("Vive en Dar El Beida"); at a sentence's start
    # it is the verb ("Dar Apiretal cada 8 horas")
    return starts_sentence(text, verb_at) or not text[verb_at].isupper()
