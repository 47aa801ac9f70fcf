"""Street addresses, facilities (``… Hospital``, ``St Brendan hosp``) and US cities."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

import yaml

from medfoundry.deid import lexicon
from medfoundry.deid.detectors.base import Detector, matches_at, register
from medfoundry.deid.detectors.view import LETTERS, SPACE, Digits, TextView, Words, text_view
from medfoundry.deid.spans import Span

FACILITY_HEADS = (
    r"hospital|hosp|medical\s+center|med\s+ctr|medical\s+centre|health\s+center|health\s+system|"
    r"healthcare|health\s+care|clinic|infirmary|hospice|nursing\s+home|nursing\s+facility|"
    r"rehabilitation\s+center|rehab\s+center|rehab|memorial|medical\s+group|physicians|"
    r"regional\s+health|health|urgent\s+care|surgery\s+center|cancer\s+center|institute"
)
_HEAD_WORDS = frozenset(head.split("\\s+")[0] for head in FACILITY_HEADS.split("|"))
_AT_HEAD = Words(tuple(sorted(_HEAD_WORDS)))  # every head begins with one of its first words
# Words that may sit inside a facility name even though they are common words.
FACILITY_WORDS = frozenset(
    """st saint mt mount general regional memorial community university county city state valley
    medical childrens children's mercy sacred heart good samaritan baptist methodist presbyterian
    lutheran catholic veterans va north south east west central new united family""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019&.-]*")
_FUNCTION_WORDS = frozenset("to from at in of on for and or the a an by with via".split())


@functools.cache
def _location_context() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(lexicon.data_text("en/location_context.yaml"))
    return data


@functools.cache
def _facility_names_words() -> frozenset[str]:
    names = _location_context()["facility_names"]
    assert isinstance(names, list)
    return frozenset(w.strip(".'") for name in names for w in str(name).lower().split())


@functools.cache
def not_places() -> frozenset[str]:
    """Care settings and clinical words never reported as a place alone (OSH, REHAB, LIMA)."""
    words = _location_context()["not_places"]
    assert isinstance(words, list)
    return frozenset(str(w).lower() for w in words)


@functools.cache
def _address_pattern() -> re.Pattern[str]:
    suffixes = "|".join(sorted((re.escape(s) for s in lexicon.street_suffixes()), key=len, reverse=True))
    return re.compile(
        r"\d(?<![\w]\d)\d{0,5}[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?"
        r"(?:[A-Za-z0-9'.-]+\s+){0,3}?(?:" + suffixes + r")\b\.?"
        r"(?:,?\s*(?:apt|apartment|suite|ste|unit|#|room|rm)\.?\s*#?\s*[A-Za-z0-9-]+)?",
        re.IGNORECASE,
    )


_UNITS = frozenset(
    "mg mcg ml l g kg mm cm times x tabs tab tablets caps puffs units hours hrs days weeks min".split()
)
_HOUSE_NUMBER = Digits(1, 6, LETTERS + SPACE)


@register
class AddressDetector(Detector):
    name = "address"
    types = ("ADDRESS",)

    def find(self, text: str) -> Iterator[Span]:
        view = text_view(text)
        if not view.fast:
            matches = _address_pattern().finditer(text)
        elif view.words.isdisjoint(lexicon.street_suffixes()):
            return  # the pattern ends in a street suffix, a word of its own
        else:
            matches = matches_at(_address_pattern(), text, self._starts(view))
        for match in matches:
            words = match.group(0).split()[1:-1]
            if words and words[0].lower().strip(".") in _UNITS:
                continue
            if any(w[:1].islower() for w in words[:-1]) and not text.islower():
                continue
            yield Span(match.start(), match.end(), "ADDRESS", self.name)

    @staticmethod
    def _starts(view: TextView) -> list[int]:
        """House numbers with a street suffix at most five words on: the pattern's only starts."""
        suffixes = view.starts(Words(tuple(sorted(view.words & lexicon.street_suffixes()))))
        found = []
        for start in view.starts(_HOUSE_NUMBER):
            at = bisect.bisect_right(suffixes, start)
            if at < len(suffixes) and len(view.lower[start : suffixes[at]].split(None, 5)) <= 5:
                found.append(start)
        return found


@register
class FacilityDetector(Detector):
    name = "facility"
    types = ("LOCATION",)
    _head = re.compile(r"(?:" + FACILITY_HEADS + r")\b")

    def find(self, text: str) -> Iterator[Span]:
        view = text_view(text)
        if not view.fast:
            lowered = view.lower if view.lower_keeps_length else text
            matches = self._head.finditer(lowered)
        elif view.words.isdisjoint(_HEAD_WORDS):
            return  # every match kept below begins with one of these as a whole word
        else:
            lowered = view.lower
            matches = matches_at(self._head, lowered, view.starts(_AT_HEAD))
        for match in matches:
            if match.start() and lowered[match.start() - 1].isalnum():
                continue
            start = self._walk_back(text, match.start())
            if start is not None:
                yield Span(start, match.end(), "LOCATION", self.name)

    def _walk_back(self, text: str, head_start: int) -> int | None:
        window = text[max(0, head_start - 60) : head_start]
        offset = head_start - len(window)
        words = list(_WORD.finditer(window))
        start: int | None = None
        proper = False
        for word in reversed(words[-4:]):
            gap = window[word.end() : (start - offset) if start is not None else len(window)]
            if gap.strip(" .") or "\n" in gap:
                break
            token = word.group(0).rstrip(".")
            lower = token.lower()
            if lower in FACILITY_WORDS:
                start = offset + word.start()
                continue
            if lower in _FUNCTION_WORDS or (
                lexicon.is_clinical(lower) and lower not in _facility_names_words()
            ):
                break  # "FROM OSH TO REHAB", "HOME HEALTH": care settings, not places
            capitalized = token[:1].isupper() and not token.isupper()
            if lexicon.is_common(lower) and not (capitalized and lexicon.is_name_word(lower)):
                break
            start, proper = offset + word.start(), True
        return start if proper else None


@register
class CityDetector(Detector):
    """Cities from GeoNames; a city that is also a common word needs ``, ST`` after it."""

    name = "city"
    types = ("LOCATION",)
    # Starts with a character class (fast to scan for); the lookbehind then rejects mid-word.
    _capitalized = re.compile(r"[A-Z](?<![^\W\d_][A-Z])[^\W\d_]+(?:[ -][A-Z][^\W\d_]+){0,2}")

    def find(self, text: str) -> Iterator[Span]:
        cities = lexicon.cities()
        # In ASCII text a candidate's lowercase first word is that of the city it names.
        first_words = _city_first_words() if text_view(text).fast else None
        for match in self._capitalized.finditer(text):
            words = match.group(0).split()
            if first_words is not None and words[0].lower() not in first_words:
                continue
            for n in range(len(words), 0, -1):
                candidate = " ".join(words[:n])
                if candidate.lower() not in cities:
                    continue
                end = match.start() + len(candidate)
                lower = candidate.lower()
                ambiguous = (
                    lexicon.is_common(candidate) or lower in not_places() or lexicon.is_clinical(lower)
                )
                if n == 1 and ambiguous and not self._state_follows(text, end):
                    break
                if n == 1 and _after_person_cue(text, match.start()):
                    break  # "HUSBAND, GEORGE": a person, not the town
                yield Span(match.start(), end, "LOCATION", self.name)
                break

    @staticmethod
    def _state_follows(text: str, end: int) -> bool:
        after = re.match(r",?\s+([A-Z]{2}|[A-Z][a-z]+)\b", text[end : end + 20])
        if not after:
            return False
        word = after.group(1)
        return word in lexicon.state_abbreviations() or word.lower() in lexicon.state_names()


_LAST_WORD = re.compile(r"([A-Za-z]+)[\s,:(]*$")


def _after_person_cue(text: str, start: int) -> bool:
    from medfoundry.deid.detectors.names import RELATIONS, TITLES

    before = _LAST_WORD.search(text[max(0, start - 20) : start])
    return before is not None and before.group(1).lower() in RELATIONS | TITLES


@functools.cache
def _city_first_words() -> frozenset[str]:
    return frozenset(city.split(" ")[0] for city in lexicon.cities())


def _listed(key: str) -> frozenset[str]:
    value = _location_context()[key]
    if isinstance(value, dict):
        return frozenset(str(w).lower() for words in value.values() for w in words)
    assert isinstance(value, list)
    return frozenset(str(w).lower() for w in value)


@functools.cache
def _place_tables() -> tuple[re.Pattern[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    cues = sorted(_listed("cues"), key=len, reverse=True)
    short = _location_context()["short_forms"]
    assert isinstance(short, dict)
    always = frozenset(str(w).lower() for w in short.get("always", ()))
    pattern = re.compile(r"(?<![a-z0-9'])(?:" + "|".join(re.escape(c) for c in cues) + r")(?=[ \t]+[a-z])")
    return pattern, _listed("weak_cues"), _listed("short_forms"), always, _listed("facility_names")


_AFTER_CUE = re.compile(r"[ \t]+([a-z][a-z'\u2019.&-]*)")
_ALWAYS_SHORT = re.compile(r"[A-Za-z](?<![A-Za-z0-9][A-Za-z])[A-Za-z]{1,5}(?![A-Za-z0-9])")


@register
class PlaceContextDetector(Detector):
    """Places named after a context phrase ("transferred from GH", "lives in framingham",
    "was at Holy Cross"), hospital short forms that are always places (VAMC), in any case.

    After a weak cue (from, at, to, in) only a listed hospital name or short form or a city
    that is no common or clinical word counts; after a strong one ("transferred to", "lives
    in") also capitalized words of mixed-case text that are in no vocabulary.
    """

    name = "place"
    types = ("LOCATION",)

    def find(self, text: str) -> Iterator[Span]:
        view = text_view(text)
        lowered = view.lower
        cue_pattern, weak, short_forms, always, facility_names = _place_tables()
        mixed = not (text.isupper() or text.islower())
        for match in cue_pattern.finditer(lowered):
            words: list[re.Match[str]] = []
            at = match.end()
            while len(words) < 4 and (word := _AFTER_CUE.match(lowered, at)):
                words.append(word)
                at = word.end()
                if lowered[at : at + 1] not in (" ", "\t"):
                    break
            end = self._place_end(text, words, match.group(0) in weak, mixed, short_forms, facility_names)
            if end is not None:
                yield Span(words[0].start(1), end, "LOCATION", self.name)
        if always:
            for word in _ALWAYS_SHORT.finditer(text):
                if word.group(0).lower() in always:
                    yield Span(word.start(), word.end(), "LOCATION", self.name)

    @staticmethod
    def _place_end(
        text: str,
        words: list[re.Match[str]],
        weak: bool,
        mixed: bool,
        short_forms: frozenset[str],
        facility_names: frozenset[str],
    ) -> int | None:
        if not words:
            return None
        cities = lexicon.cities()
        for n in range(len(words), 0, -1):
            phrase = " ".join(w.group(1).rstrip(".") for w in words[:n])
            if phrase in facility_names or (n == 1 and phrase in short_forms):
                return words[n - 1].end(1) - (1 if words[n - 1].group(1).endswith(".") else 0)
            plain_city = phrase in cities and phrase not in not_places() and not lexicon.is_clinical(phrase)
            if plain_city and (n > 1 or not lexicon.is_common(phrase) or not weak):
                return words[n - 1].end(1) - (1 if words[n - 1].group(1).endswith(".") else 0)
        if weak or not mixed:
            return None
        end = None
        for word in words:
            original = text[word.start(1) : word.end(1)].rstrip(".")
            lower = original.lower()
            if not original[:1].isupper() or lexicon.is_common(lower) or lexicon.is_clinical(lower):
                break
            if lower in not_places() or lower in FACILITY_WORDS:
                break
            end = word.start(1) + len(original)
        return end
