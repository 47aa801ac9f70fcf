"""Word lists the detectors use, loaded lazily from PyPI packages and shipped data.

- first and last names: the US Census 1990 name lists (public domain, shipped by the
  ``names`` package). Not Faker's lists: Faker writes the synthetic test data, so its
  lists would make recall look better than it is;
- common English words: the lowercase entries of Webster's 2nd (public domain, the
  ``english-words`` package) — proper nouns there are capitalized, so a lowercase entry
  is a common word;
- common English words with frequencies: ``data/en/common_words.tsv`` (wordfreq, CC BY-SA 4.0);
- common Spanish words with frequencies: ``data/es/common_words.tsv`` (wordfreq, CC BY-SA 4.0):
  "fecha", "datos", "pecho" are no names in Spanish notes;
- clinical abbreviations: ``data/en/abbreviations.txt`` (Medical Abbreviation Meta-Inventory,
  CC BY 4.0) and ``data/en/clinical_words.txt`` (this project's list of note vocabulary);
- cities and countries: GeoNames (CC-BY), cities of 15,000+ people, in ``data/shared/places.txt``;
- street suffixes and state abbreviations: Faker's ``en_US`` address provider;
- the medical allow-list: ``data/en/medical_terms.txt`` (see ``build_lexicon``).

Data files live in one folder per language under ``data/`` (``en/``; ``shared/`` for
lists that do not depend on the language) and begin with ``#`` lines saying what they
are, where they come from and under which license.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from importlib import resources
from pathlib import Path


def _census(filename: str) -> set[str]:
    import names

    path = Path(names.__file__).with_name(filename)
    return {line.split()[0].lower() for line in path.read_text().splitlines() if line.strip()}


@functools.cache
def first_names() -> frozenset[str]:
    return frozenset(_census("dist.male.first") | _census("dist.female.first"))


@functools.cache
def last_names() -> frozenset[str]:
    return frozenset(_census("dist.all.last"))


def first_names_not_words() -> frozenset[str]:
    """Census first names that web2 lists as obscure words and a modern spelling list (SCOWL) only
    capitalized ("mary", "steven", "nancy"): a name when written capitalized."""
    return word_list("en/first_names_not_words.txt")


def places_not_words() -> frozenset[str]:
    """One-word cities that web2 lists as obscure words and SCOWL only capitalized ("boston",
    "barcelona"): a place when written capitalized, with no state after it."""
    return word_list("en/places_not_words.txt")


def is_first_name(lower: str) -> bool:
    """A census first name, also when written with Spanish accents ("inés", "josé")."""
    return lower in first_names() or (not lower.isascii() and unaccented(lower) in first_names())


def is_last_name(lower: str) -> bool:
    """A census surname, also when written with Spanish accents ("garcía", "pérez"): the census
    lists names without diacritics, while Spanish spelling requires them (RAE, Ortografía 2010)."""
    return lower in last_names() or (not lower.isascii() and unaccented(lower) in last_names())


def is_listed_name(lower: str) -> bool:
    """A census first name or surname, also when written with Spanish accents ("josé", "garcía")."""
    return is_first_name(lower) or is_last_name(lower)


@functools.cache
def common_words() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


def data_text(path: str) -> str:
    """A shipped data file, ``path`` relative to ``medfoundry/deid/data`` (``en/...``)."""
    return resources.files("medfoundry.deid").joinpath("data", *path.split("/")).read_text(encoding="utf-8")


@functools.cache
def word_list(path: str) -> frozenset[str]:
    """The whitespace-separated lowercase words of a data file, ``#`` lines skipped."""
    words: set[str] = set()
    for line in data_text(path).splitlines():
        if not line.startswith("#"):
            words.update(word.lower() for word in line.split())
    return frozenset(words)


@functools.cache
def medical_terms() -> frozenset[str]:
    return word_list("en/medical_terms.txt")


@functools.cache
def clinical_abbreviations() -> frozenset[str]:
    """Short forms and words of clinical notes that are not PHI alone (FOLEY, OSH, PAP)."""
    return word_list("en/abbreviations.txt") | word_list("en/clinical_words.txt")


@functools.cache
def _zipf() -> dict[str, float]:
    found = {}
    for line in data_text("en/common_words.tsv").splitlines():
        if line and not line.startswith("#"):
            word, _, value = line.partition("\t")
            found[word] = float(value)
    return found


def zipf(word: str) -> float:
    """How common an English word is: log10 of its uses per billion words (0 when rare)."""
    return _zipf().get(word.lower(), 0.0)


@functools.cache
def _zipf_es() -> dict[str, float]:
    found = {}
    for line in data_text("es/common_words.tsv").splitlines():
        if line and not line.startswith("#"):
            word, _, value = line.partition("\t")
            found[word] = float(value)
    return found


@functools.cache
def spanish_words() -> frozenset[str]:
    """The Spanish words of ``data/es/common_words.tsv`` (Zipf >= 3.1), as listed (with accents)."""
    return frozenset(_zipf_es())


def zipf_es(word: str) -> float:
    """How common a Spanish word is (Zipf scale, 0 when rare or not Spanish)."""
    return _zipf_es().get(word.lower(), 0.0)


@functools.cache
def _zipf_es_unaccented() -> dict[str, float]:
    found: dict[str, float] = {}
    for word, value in _zipf_es().items():
        key = unaccented(word)
        if value > found.get(key, 0.0):
            found[key] = value
    return found


def zipf_es_any_accent(word: str) -> float:
    """``zipf_es`` of the word as written or, when higher, of its accented spelling: messages often
    drop the accents ("frias" for "frías")."""
    lower = word.lower()
    return max(zipf_es(lower), _zipf_es_unaccented().get(unaccented(lower), 0.0))


@functools.lru_cache(maxsize=65536)
def is_spanish_common(word: str) -> bool:
    """A common Spanish word that is no listed name or place: never a name alone ("Fecha", "Datos").

    A listed first name stays a name (word frequency cannot tell Rosa or Cruz from Pedro or
    Marta, which Spanish text uses as often) unless it is a frequent Spanish word (Zipf >= 4) and
    a rare first name (rank past 1,500 of the first-name list: "nada", "esta", "bebe", "paz",
    which an all-lowercase message would otherwise lose as names). A surname that is only a
    surname counts when it is a frequent Spanish word (Zipf >= 4) and a rare surname (census rank
    past 2,000: "Izquierdo", "Matar"), and so does a very rare surname (rank past 15,000: "panza",
    "morado", "asma") at any listed frequency when it is more Spanish than English; García, Blanco
    stay names. A city, country or state that is no listed name (Madrid, España) is left to the
    place rules; one that is a listed name ("como", "toma", "quito") is judged as a name, as the
    town tells nothing about whether the word is a person's name."""
    lower = word.lower()
    zipf = _zipf_es().get(lower)
    if zipf is None:
        return False
    plain = unaccented(lower)  # "fernández", "müller": the census lists have no accents
    if zipf >= 4.0 and plain in first_names() and _name_ranks()["first"].get(plain, 0) > 1500:
        return True  # also when a small town bears it ("nada")
    if not is_name_word(plain):
        return not (lower in cities() or lower in countries() or lower in state_names())
    if plain in first_names():
        return False
    rank = surname_rank(plain)
    return (rank > 15000 and zipf > _zipf().get(lower, 0.0)) or (zipf >= 4.0 and rank > 2000)


def surname_rank(word: str) -> int:
    """The census rank of a surname (1 = Smith); a very large number when it is not listed."""
    return _name_ranks()["last"].get(unaccented(word.lower()), 10**9)


def first_name_rank(word: str) -> int:
    """The census rank of a first name (1 = James); a very large number when it is not listed."""
    return _name_ranks()["first"].get(unaccented(word.lower()), 10**9)


def spanish_share(words: Iterable[str]) -> float:
    """How Spanish a text's lowercase words are: among its function words (words far more
    frequent in one language than in the other: "una", "del", "que" / "the", "my", "was"),
    the share that are Spanish (0.5 when it has none)."""
    spanish, english = _function_words()
    es = en = 0
    for word in words:
        es += word in spanish
        en += word in english
    return es / (es + en) if es + en else 0.5


@functools.cache
def _function_words() -> tuple[frozenset[str], frozenset[str]]:
    """Very frequent words of one language (Zipf >= 5) that are rare in the other (Zipf < 3.5)."""
    es, en = _zipf_es(), _zipf()
    spanish = frozenset(w for w, z in es.items() if z >= 5.0 and en.get(w, 0.0) < 3.5)
    english = frozenset(w for w, z in en.items() if z >= 5.0 and es.get(w, 0.0) < 3.5)
    return spanish, english


def unaccented(word: str) -> str:
    """``word`` with its accents and other combining marks removed ("fernández" -> "fernandez")."""
    if word.isascii():  # most words: nothing to decompose
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@functools.cache
def _name_ranks() -> dict[str, dict[str, int]]:
    """Rank of each census name (1 = most frequent) among first names and among surnames."""
    import names

    def ranks(*filenames: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for filename in filenames:
            path = Path(names.__file__).with_name(filename)
            for line in path.read_text().splitlines():
                fields = line.split()
                if len(fields) >= 4:
                    found[fields[0].lower()] = min(found.get(fields[0].lower(), 10**9), int(fields[3]))
        return found

    return {"first": ranks("dist.male.first", "dist.female.first"), "last": ranks("dist.all.last")}


def is_clinical(word: str) -> bool:
    lower = word.lower()
    return lower in medical_terms() or lower in clinical_abbreviations()


@functools.cache
def _places() -> dict[str, frozenset[str]]:
    text = data_text("shared/places.txt")
    found: dict[str, set[str]] = {"city": set(), "country": set()}
    for line in text.splitlines():
        kind, _, name = line.partition("\t")
        if kind in found and name:
            found[kind].add(name)
    return {kind: frozenset(names) for kind, names in found.items()}


def cities() -> frozenset[str]:
    """Cities of 15,000+ people worldwide (GeoNames), lowercased."""
    return _places()["city"]


def countries() -> frozenset[str]:
    return _places()["country"]


@functools.cache
def street_suffixes() -> frozenset[str]:
    from faker.providers.address.en_US import Provider

    words = {s.lower() for s in Provider.street_suffixes}
    words.update(a.lower() for a in _SUFFIX_ABBREVIATIONS)
    return frozenset(words)


# USPS standard abbreviations of the commonest street suffixes (vocabulary, not PHI).
_SUFFIX_ABBREVIATIONS = (
    "St Ave Av Rd Blvd Ln Dr Ct Pl Ter Cir Pkwy Hwy Sq Trl Way Pike Aly Plz Loop Xing Rte Bldg Apt"
).split()


@functools.cache
def state_abbreviations() -> frozenset[str]:
    from faker.providers.address.en_US import Provider

    return frozenset(Provider.states_abbr)


@functools.cache
def state_names() -> frozenset[str]:
    from faker.providers.address.en_US import Provider

    return frozenset(s.lower() for s in Provider.states)


_SUFFIXES = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("est", ""),
    ("ness", ""),
    ("ment", ""),
)


@functools.lru_cache(maxsize=65536)
def is_common(word: str) -> bool:
    """A common English word (or an inflection of one) or a medical term: not a name alone."""
    lower = word.lower()
    words, medical = common_words(), medical_terms()
    if lower in words or lower in medical:
        return True
    if "-" in lower:
        parts = [p for p in lower.split("-") if p]
        return bool(parts) and all(is_common(p) or len(p) < 3 for p in parts)
    for suffix, replacement in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            stem = lower[: -len(suffix)]
            if stem + replacement in words or (stem[-1:] == stem[-2:-1] and stem[:-1] in words):
                return True
    return False


@functools.lru_cache(maxsize=65536)
def inflected_zipf(word: str) -> float:
    """The English Zipf frequency of a word or, when higher, of the word it inflects ("overdosed":
    "overdose"); "died", "said" are frequent themselves."""
    lower = word.lower()
    best = zipf(lower)
    for suffix, replacement in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix) + 1:
            stem = lower[: -len(suffix)]
            best = max(best, zipf(stem + replacement), zipf(stem[:-1]) if stem[-1:] == stem[-2:-1] else 0.0)
    return best


def is_name_word(word: str) -> bool:
    lower = word.lower()
    return lower in first_names() or lower in last_names()


def warm() -> None:
    """Load every list now (worker processes call this once, not per record)."""
    loaders = (first_names, last_names, common_words, medical_terms, cities, countries, street_suffixes)
    for loader in (*loaders, clinical_abbreviations, _zipf, _zipf_es, _name_ranks, _function_words):
        loader()
