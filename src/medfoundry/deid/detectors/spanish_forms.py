"""Spanish words that no word list holds as written, read by the grammar of their form.

A patient's Spanish is often written without its accents ("diagnostico", "instruccion"), and
verbs carry enclitic pronouns ("Cópialo", "pegarlo") or are in the first person of the preterite
("Vomité", "Parí"), forms that a frequency list of Zipf >= 3.1 seldom has. Each is a Spanish
word when the word it is built from is in the list (``data/es/common_words.tsv``) and it is no
listed name. Closed-class words (articles, pronouns, prepositions...) are a data file
(``data/es/closed_class_words.txt``). Grammar: RAE/ASALE, *Ortografía de la lengua española*
(2010) §3.4 (accents of verbs with enclitics), *Nueva gramática* (2009) §4.5 (preterite),
§16.11 (enclitic pronouns).
"""

from __future__ import annotations

import functools

from medfoundry.deid import lexicon

_CLITICS = ("nos", "los", "las", "les", "me", "te", "se", "os", "lo", "la", "le")
_INFINITIVE = ("ar", "er", "ir")


def _fold(word: str) -> str:
    return lexicon.unaccented(word.lower())


@functools.cache
def closed_class_words() -> frozenset[str]:
    words: set[str] = set()
    for line in lexicon.data_text("es/closed_class_words.txt").splitlines():
        if not line.startswith("#"):
            words.update(line.lower().split())
    return frozenset(words)


@functools.cache
def _folded_spanish() -> frozenset[str]:
    """The Spanish word list with accents folded ("diagnóstico" -> "diagnostico")."""
    spanish = lexicon.spanish_words()
    return frozenset(_fold(w) for w in spanish)


@functools.cache
def _folded_place_words() -> frozenset[str]:
    """The words (4+ letters) of the gazetteer's cities, countries and US states, accents folded."""
    names = lexicon.cities() | lexicon.countries() | lexicon.state_names()
    return frozenset(w for name in names for w in _fold(name).split() if len(w) >= 4)


def _known(folded: str) -> bool:
    return len(folded) >= 3 and folded in _folded_spanish()


def _with_clitics(lower: str, folded: str) -> bool:
    """A verb with one or two enclitic pronouns: "cópialo", "muéstramelo" (accent written), "pegarlo"."""
    accented = lower != folded
    stem = folded
    for _ in range(2):
        clitic = next((c for c in _CLITICS if stem.endswith(c) and len(stem) > len(c) + 2), None)
        if clitic is None:
            return False
        stem = stem[: -len(clitic)]
        if _known(stem) and (accented or stem.endswith(_INFINITIVE) or _formal_imperative(stem)):
            return True
    return False


def _formal_imperative(stem: str) -> bool:
    """The usted imperative of a known verb, which carries its clitics written without the accent in
    messages ("fijese", "llameme", "ayudeme": fíjese, llámeme, ayúdeme): -e of an -ar verb, -a of an
    -er or -ir verb (NGLE §42.3)."""
    if stem.endswith("e"):
        return _known(stem[:-1] + "ar")
    if stem.endswith("a"):
        return _known(stem[:-1] + "er") or _known(stem[:-1] + "ir")
    return False


def _preterite(lower: str) -> bool:
    """The first person of the preterite: "vomité" (vomitar), "parí" (parir), "debí" (deber)."""
    if lower.endswith("é"):
        return _known(_fold(lower[:-1]) + "ar")
    if lower.endswith("í"):
        stem = _fold(lower[:-1])
        return _known(stem + "er") or _known(stem + "ir")
    return False


_DIMINUTIVE = (("itos", "os"), ("itas", "as"), ("ito", "o"), ("ita", "a"))


@functools.lru_cache(maxsize=65536)
def is_diminutive(lower: str) -> bool:
    """A diminutive in -ito/-ita of a frequent Spanish word that is no first name (NGLE §9.3-9.5:
    "chiquita" of "chica", qu -> c before the ending; "ronchitas" of "ronchas"). "clarita", "anita",
    "rosita" are of first names (Clara, Ana, Rosa) and stay for the other rules."""
    forms = diminutive_base(lower)
    if forms is None:
        return False
    base, singular = forms
    if base in lexicon.first_names() or singular in lexicon.first_names():
        return False
    return max(lexicon.zipf_es(base), lexicon.zipf_es(singular)) >= 4.0


def diminutive_base(lower: str) -> tuple[str, str] | None:
    """The word a diminutive in -ito/-ita is made from, and its singular ("ronchitas": "ronchas",
    "roncha"); None when ``lower`` has no diminutive ending."""
    for ending, replacement in _DIMINUTIVE:
        if not lower.endswith(ending) or len(lower) < len(ending) + 3:
            continue
        stem = lower[: -len(ending)]
        stem = stem[:-2] + "c" if stem.endswith("qu") else stem[:-2] + "g" if stem.endswith("gu") else stem
        base = stem + replacement
        return base, base[:-1] if base.endswith("s") else base
    return None


@functools.lru_cache(maxsize=65536)
def is_spanish_form(word: str) -> bool:
    """A Spanish word by its form that is no listed name ("Diagnostico", "Vomité", "Cópialas")."""
    lower = word.lower()
    if lower in closed_class_words():
        return True
    if lexicon.is_listed_name(lower) or lower in lexicon.spanish_words():
        return False  # a listed name, or a word the list has as written: the other rules judge it
    folded = _fold(lower)
    # written without its accents ("diagnostico", "instruccion"), a verb with clitics, a preterite;
    # a place's name written without its accents ("Almeria", "Alcorcon", "A Coruna") stays a name
    accentless = folded == lower and _known(folded) and folded not in _folded_place_words()
    return accentless or _with_clitics(lower, folded) or _preterite(lower)
