"""Word lists the detectors use, loaded lazily from PyPI packages and shipped data.

- first and last names: the US Census 1990 name lists (public domain, the ``names``
  package) plus the name lists of every Faker person locale;
- common English words: the lowercase entries of Webster's 2nd (public domain, the
  ``english-words`` package) — proper nouns there are capitalized, so a lowercase entry
  is a common word;
- cities and countries: GeoNames (CC-BY), cities of 15,000+ people, in ``data/places.txt``;
- street suffixes and state abbreviations: Faker's ``en_US`` address provider;
- the medical allow-list: ``data/medical_terms.txt`` (see ``build_lexicon``).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


def _census(filename: str) -> set[str]:
    import names

    path = Path(names.__file__).with_name(filename)
    return {line.split()[0].lower() for line in path.read_text().splitlines() if line.strip()}


def _faker_names(attributes: tuple[str, ...]) -> set[str]:
    """Single-word names from every Faker person locale (names of many languages)."""
    import importlib
    import pkgutil

    from faker.providers import person

    found: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attribute in attributes:
            names = getattr(provider, attribute, ())
            if not isinstance(names, (list, tuple, dict, set, frozenset)):
                continue  # some locales compute these lists through properties
            for name in names:
                if isinstance(name, str) and name.isalpha() and len(name) > 1:
                    found.add(name.lower())
    return found


@functools.cache
def first_names() -> frozenset[str]:
    found = _census("dist.male.first") | _census("dist.female.first")
    found |= _faker_names(("first_names", "first_names_male", "first_names_female"))
    return frozenset(found)


@functools.cache
def last_names() -> frozenset[str]:
    found = _census("dist.all.last") | _faker_names(("last_names",))
    return frozenset(found)


@functools.cache
def common_words() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


@functools.cache
def medical_terms() -> frozenset[str]:
    text = resources.files("medfoundry.deid").joinpath("data/medical_terms.txt").read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@functools.cache
def _places() -> dict[str, frozenset[str]]:
    text = resources.files("medfoundry.deid").joinpath("data/places.txt").read_text()
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


def is_name_word(word: str) -> bool:
    lower = word.lower()
    return lower in first_names() or lower in last_names()


def warm() -> None:
    """Load every list now (worker processes call this once, not per record)."""
    for loader in (first_names, last_names, common_words, medical_terms, cities, countries, street_suffixes):
        loader()
