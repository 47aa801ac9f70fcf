"""The detectors' fast paths (``detectors/view.py``) find exactly what the plain regex scans find.

Generated texts mix numbers, separators, month names, street suffixes, titles, cue words,
domains and ready-made PHI; each detector runs on each text with the fast paths on and off.
"""

from __future__ import annotations

import random
import re

import pytest

from medfoundry.deid import analyze_text, lexicon
from medfoundry.deid.detectors import DEFAULT_DETECTORS, DETECTORS, PatternDetector, names, view
from medfoundry.deid.spans import Span

FRAGMENTS = [
    "Jan 5", "22-Jul-19", "the 22nd", "July 2019", "Sept. 3rd, 2020", "3 of March", "12/03/2019", "7/22",
    "3/2019", "2019-07-22T10:22:16-05:00", "on 07/22/2019 14:30", "+1 617-555-1234", "(617) 555-1234 x204",
    "555-1234", "617.555.9999", "1-800-555-1234", "0490 75 40 81", "+41 (0)96 471 07 95", "60-56-85-91",
    "123-45-6789", "SSN: 123456789", "MRN: 00123456", "mr# 7788123", "acct# A1234567", "member id 99AB12",
    "license no. S99940903", "78eb1ea7-7e46-5eba-a5d7-108eba5d294b", "X53631011X", "GB82 WEST 1234 5698 7654 32",
    "1234 5678 9012 3456", "02115-4321", "Boston, MA 02115", "Emporia, KS 66801", "zip code 02115", "93 yo",
    "aged 101", "92-year-old man", "in her 90s", "192.168.10.24", "2001:db8::8a2e:370:7334",
    "jane.doe@example.org", "www.example.com", "https://portal.example.com/x?id=3", "stmarys.org",
    "a-b.c-d.co.uk", "x.co.in", "633 Abernathy Landing", "12 N. Main St. Apt 4", "4 West Oak Drive Suite 9",
    "St Brendan Hospital", "st brendan hosp", "NEWMAN REGIONAL HEALTH", "Mercy Medical Center", "Springfield",
    "Mobile, AL", "Dr. Okafor", "wife marta", "seen by dr okafor", "Sarah Jones, MD", "Patient John Smith",
    "Sumiko254 Larue605", "I'm", "O'Brien's", "A&Ox3", "12 N Old Big Red Road", "Pt kept okafor",
    "617\t555\t1234", "617\x0b555\x0b1234 ext 5", "2019.07.22",
    "went with marta, forthwith okafor",
    "a.b@c.d@e.com", "x@@y.com", "-@x.io", "mail:@", "j@k.co@l.org", "jo%e+1@host-a.example.co.uk,",
    "1195 years", "95yo", "x95 yo", "195-year-old", "101 F", "age: 101", "ages95", "in their 100's",
    "Dr. Ann B. Lee", "J. R. Smith I", "Sarah O. Jones, RN", "New York", "Salt Lake City, UT", "Winston-Salem",
    "San Jose Del Monte", "Abu Dhabi",
]  # fmt: skip
VOCABULARY = (
    "january february march april may june july august september october november december jan feb mar apr "
    "jun jul aug sep sept oct nov dec st nd rd th of at the and his her their years yo y/o male female "
    "mrn medical record unit number no num id is acct account a/c member policy plan group claim license lic "
    "dl passport npi vin serial device cert case ref order card iban zip postal code ssn social security "
    "phone tel call fax cell ext x hospital hosp clinic health healthcare center medical regional rehab "
    "memorial institute nursing home urgent care saint general north south east west apt suite unit "
    "dr mr mrs ms prof wife husband son mother seen by with patient pt signed md rn phd do "
    "com org net edu gov io co us uk in health www http mg ml tabs units hours days doctor summary decide"
).split()
SEPARATORS = [" ", " ", " ", "", "\n", "  ", ", ", "-", "/", ".", ". ", ":", "#", "@", "\t", "'", "(", ")", "+"]  # fmt: skip


def _digits(rng: random.Random) -> str:
    length = rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 7, 9, 10, 12])
    return "".join(rng.choice("0123456789") for _ in range(length))


def _token(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(FRAGMENTS)
    if roll < 0.3:
        return _digits(rng)
    if roll < 0.4:  # digit groups with one separator: phone, SSN, date and id shapes
        separator = rng.choice(["-", ".", "/", " ", "\t", "\n", ":", ""])
        return separator.join(_digits(rng) for _ in range(rng.randint(2, 5)))
    if roll < 0.45:  # dates: 2019.07.22, 07/22/19, 3rd-Jul, 22nd of july
        year, month, day = rng.choice(["19", "20"]) + _digits(rng)[:2], rng.randint(1, 12), rng.randint(1, 31)
        separator = rng.choice("-/. ")
        return rng.choice(
            [
                f"{year}{separator}{month:02d}{separator}{day}",
                f"{month}{separator}{day}{separator}{year}",
                f"{day}{rng.choice(['', 'st', 'nd', 'rd', 'th', 'TH'])}{rng.choice([' ', '-', ' of '])}"
                f"{rng.choice(VOCABULARY[:24])}",
            ]
        )
    if roll < 0.75:
        word = rng.choice(VOCABULARY + sorted(lexicon.street_suffixes())[:: rng.randint(5, 40)])
        return rng.choice([word, word.capitalize(), word.upper()])
    if roll < 0.9:
        return rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 8))
        )
    return "".join(rng.choice("abcdefx0123456789") for _ in range(rng.randint(2, 12)))


def generated_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for i in range(count):
        text = "".join(_token(rng) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 30)))
        texts.append((text, text.lower(), text.upper())[i % 3])
    return texts


def _spans(text: str, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Span]]:
    monkeypatch.setattr(view, "FAST_PATHS", fast)
    found = {name: list(DETECTORS.get(name)().find(text)) for name in DEFAULT_DETECTORS}
    found["analyze_text"] = analyze_text(text)
    return found


def test_space_is_what_backslash_s_matches_in_ascii() -> None:
    backslash_s = "".join(c for c in map(chr, range(128)) if re.fullmatch(r"\s", c))
    assert backslash_s == view.SPACE


@pytest.mark.slow
def test_fast_paths_find_what_the_regex_scans_find(monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon.warm()
    texts = [*generated_texts(1500), " ".join(FRAGMENTS), " ".join(FRAGMENTS).lower()]
    differ = []
    for text in texts:
        fast = _spans(text, fast=True, monkeypatch=monkeypatch)
        reference = _spans(text, fast=False, monkeypatch=monkeypatch)
        differ.extend((name, text) for name in fast if fast[name] != reference[name])
    assert not differ, differ[:5]


def test_word_starts_are_the_letter_runs_that_are_those_words() -> None:
    words = frozenset({"at", "in", "d", "from", "to"})
    for text in [*generated_texts(300, seed=5), "at  AT-at. in'd 2d at", "", "at"]:
        expected = [m.start() for m in re.finditer("[a-z]+", text.lower()) if m.group() in words]
        assert view.TextView(text).word_starts(words) == expected, text


def test_reference_path_is_taken_for_non_ascii_text() -> None:
    assert view.text_view("Zoë Smith, 12 Main St").fast is False
    assert view.text_view("Zoe Smith, 12 Main St").fast is True


def _extend_by_passes(
    detector: names.NameDetector, tokens: list[names._Token], marked: list[bool], text: str, mixed: bool
) -> None:
    """The former ``_extend``: passes over every token until one marks nothing new."""
    changed = True
    while changed:
        changed = False
        for i, tok in enumerate(tokens):
            if marked[i]:
                continue
            left = i > 0 and marked[i - 1] and names._adjacent(text, tokens[i - 1], tok, allow_period=True)
            right = (
                i + 1 < len(tokens)
                and marked[i + 1]
                and names._adjacent(text, tok, tokens[i + 1], allow_period=True)
            )
            if (left or right) and (
                (len(tok.word) == 1 and tok.word.isupper()) or detector._joins(tok, mixed, text)
            ):
                marked[i] = changed = True


def test_names_grow_from_their_seeds_as_passes_over_all_tokens_would() -> None:
    lexicon.warm()
    detector = names.NameDetector()
    differ = []
    for text in [*generated_texts(1500, seed=11), " ".join(FRAGMENTS)]:
        tokens, mixed = names._candidate_tokens(text)
        seeds = [detector._seed(tokens, i, text, mixed) for i in range(len(tokens))]
        grown, reference = list(seeds), list(seeds)
        detector._extend(tokens, grown, text, mixed)
        _extend_by_passes(detector, tokens, reference, text, mixed)
        if [bool(m) for m in grown] != [bool(m) for m in reference]:
            differ.append(text)
    assert not differ, differ[:5]


def test_prechecks_near_digit_runs_answer_as_the_whole_text_search() -> None:
    """A ``precheck_near`` window search finds a precheck match exactly when a whole-text search does."""
    shapes = ["pager 4412", "pgr #44123", "p:12345", "page 1-2345", "pnum 5555", "she is 97", "he was now 101",
              "pt is 95,", "was 99x", "is  98", "it was 1100", "x 1234"]  # fmt: skip
    rng = random.Random(11)
    texts = [*generated_texts(300, seed=11), *(" ".join(rng.sample(shapes, 4)) for _ in range(200))]
    for name in DEFAULT_DETECTORS:
        detector = DETECTORS.get(name)()
        if not isinstance(detector, PatternDetector):
            continue
        for spec, _ in detector.compiled():
            if spec.precheck_near is None:
                continue
            for text in texts:
                text_view_ = view.text_view(text)
                subject = text_view_.lower if detector.lowercase else text
                expected = re.search(spec.precheck, subject) is not None
                assert detector._prechecked(spec, subject, text_view_) == expected, (name, text)


def test_has_any_on_the_lowercase_text_answers_as_the_substring_search() -> None:
    groups = [("mrn", "unit no", "dob"), ("acct", "account", "a/c"), ("zip", "code"), ("x",), ("años", "0s"),
              ("hosp", "www.", "://"), ("januar", "mar"), ("tel",), ("ext", "+")]  # fmt: skip
    for text in [*generated_texts(400, seed=11), "", "a", "MRN", "a-b-c", "Zoë mrn"]:
        lowered = view.TextView(text).lower
        for needles in groups:
            fresh = view.TextView(text)
            assert fresh.has_any(needles, fresh.lower) == any(n in lowered for n in needles), (text, needles)


def test_lower_tokens_are_the_token_matches_of_the_lowercase_text() -> None:
    extra = ["don't x-ray o'brien's a1c 10mg b12x 3-day -ab- 'tis ab'-c", "Ñandú y-ña", ""]
    for text in [*generated_texts(400, seed=13), *extra]:
        shown = view.TextView(text)
        assert names._lower_tokens(shown) == names._TOKEN.findall(shown.lower), text
