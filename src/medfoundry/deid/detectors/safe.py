"""Clinical safe patterns: measurements that claim their text before any PHI pattern.

The table lives in ``data/<language>/safe_patterns.yaml`` (name, regex, examples that
must and must not match). A PHI candidate lying wholly inside a safe match is dropped:
"Pain 7/10" is not a date, "600x12" not an id, "Apgar 8/9" not a name. Only a covering
match vetoes, so a phone or a date next to a measurement keeps its own span.

The candidates are few, so each is checked against the patterns in a window of text
around it rather than by scanning the whole text: the same answer for a candidate
whether or not the detectors took their fast paths.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from medfoundry.deid import lexicon
from medfoundry.deid.detectors.eponyms import is_eponym_phrase
from medfoundry.deid.detectors.locations import is_care_setting
from medfoundry.deid.detectors.view import text_view
from medfoundry.deid.spans import Span

# Types a measurement can be mistaken for. Emails, URLs, IPs and SSNs have shapes no
# measurement has, so they are never vetoed.
VETOABLE = frozenset({"DATE", "PHONE", "FAX", "ID", "MRN", "ZIP", "AGE", "ADDRESS", "NAME", "LOCATION"})
# Characters of context around a candidate in which a covering match is looked for: a
# measurement's keyword comes before its number ("SpO2 97-100", "GCS 11 (E3 V3 M5)"), and a
# word taken for a name sits next to its number ("Apgar 8/9", "70 AV").
_BEFORE, _AFTER = 48, 24
_WORD_AROUND = 20
_BOUNDED = "(?<![^\\W_])(?:{})(?![^\\W_])"  # not inside a word, in any script ("95 años")


@dataclass(frozen=True)
class SafePattern:
    name: str
    regex: re.Pattern[str]
    vetoes: frozenset[str]
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    needs_digit: bool  # every example has a digit: tried only where a digit is near
    gate: re.Pattern[str] | None  # otherwise: where no digit is near, only where one of these words is


@functools.cache
def safe_patterns(language: str = "en") -> tuple[SafePattern, ...]:
    data = yaml.safe_load(lexicon.data_text(f"{language}/safe_patterns.yaml"))
    patterns = []
    for entry in data["patterns"]:
        patterns.append(
            SafePattern(
                name=entry["name"],
                regex=re.compile(_BOUNDED.format(entry["regex"])),
                vetoes=frozenset(entry.get("vetoes", VETOABLE)),
                match=tuple(entry.get("match", ())),
                no_match=tuple(entry.get("no_match", ())),
                needs_digit=all(any(c.isdigit() for c in example) for example in entry.get("match", ())),
                gate=re.compile("|".join(re.escape(str(w).lower()) for w in entry["gate"]))
                if entry.get("gate")
                else None,
            )
        )
    return tuple(patterns)


_DIGIT = re.compile(r"\d")
_ANY = frozenset(map(chr, range(128)))


def _first_chars(items: list[Any]) -> tuple[frozenset[str], bool]:
    """The ASCII characters a parsed regex can begin with, and whether it can match "".

    Sound for the constructs the safe patterns use; anything else counts as "any character"."""
    found: set[str] = set()
    first: frozenset[str] | set[str]
    for op, arg in items:
        name = str(op)
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # zero-width
        if name == "LITERAL":
            return frozenset(found | {chr(arg)}), False
        if name == "IN":
            chars, negated = _in_chars(arg)
            return frozenset(found | (_ANY - chars if negated else chars)), False
        if name == "SUBPATTERN":
            first, empty = _first_chars(list(arg[-1]))
        elif name == "BRANCH":
            union: set[str] = set()
            empty = False
            for branch in arg[1]:
                chars, can_be_empty = _first_chars(list(branch))
                union |= chars
                empty = empty or can_be_empty
            first = union
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, body = arg
            first, empty = _first_chars(list(body))
            empty = empty or low == 0
        else:
            return _ANY, False
        found |= first
        if not empty:
            return frozenset(found), False
    return frozenset(found), True


def _in_chars(items: list[Any]) -> tuple[frozenset[str], bool]:
    chars: set[str] = set()
    negated = False
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negated = True
        elif name == "LITERAL":
            chars.add(chr(arg))
        elif name == "RANGE":
            low, high = arg
            chars.update(chr(c) for c in range(low, min(high, 127) + 1))
        elif name == "CATEGORY" and str(arg) == "CATEGORY_DIGIT":
            chars.update("0123456789")
        elif name == "CATEGORY" and str(arg) == "CATEGORY_SPACE":
            chars.update(" \t\n\r\f\v")
        else:
            return _ANY, False
    return frozenset(chars), negated


@functools.cache
def _by_first_char(language: str) -> dict[str, tuple[SafePattern, ...]]:
    """For each ASCII character, the patterns whose match can begin with it."""
    from re import _parser  # type: ignore[attr-defined]

    table: dict[str, list[SafePattern]] = {}
    for pattern in safe_patterns(language):
        chars, _empty = _first_chars(list(_parser.parse(pattern.regex.pattern)))
        for char in chars:
            table.setdefault(char, []).append(pattern)
    return {char: tuple(found) for char, found in table.items()}


def safe_matches(text: str, language: str = "en") -> list[tuple[int, int, str]]:
    """Every match of every safe pattern in ``text``: (start, end, pattern name)."""
    lowered = text.lower()
    found: list[tuple[int, int, str]] = []
    for pattern in safe_patterns(language):
        found.extend((m.start(), m.end(), pattern.name) for m in pattern.regex.finditer(lowered))
    return sorted(found)


def is_safe(text: str, span: Span, language: str = "en") -> bool:
    """Whether a safe pattern match (in a window around ``span``) covers ``span``, or the
    span is a medical eponym in a clinical phrase ("Parkinson disease", "s/p Whipple") or
    a place candidate that only names a care setting ("OSH", "LTACH", "L&D")."""
    if span.type not in VETOABLE:
        return False
    if is_eponym_phrase(text, span):
        return True
    if span.type == "LOCATION" and is_care_setting(text[span.start : span.end]):
        return True
    subject = text_view(text).lower  # same length as ``text``
    if _DIGIT.search(subject, span.start, span.end):
        lo, hi = max(0, span.start - _BEFORE), min(len(text), span.end + _AFTER)
    else:
        lo, hi = max(0, span.start - _WORD_AROUND), min(len(text), span.end + _WORD_AROUND)
    digits = _DIGIT.search(subject, lo, hi) is not None
    by_first = _by_first_char(language)
    gated: dict[str, bool] = {}
    # A match begins where the character before is no letter or digit (the patterns' boundary),
    # at or before the span; only the patterns that can begin with that character are tried.
    for at in range(lo, span.start + 1):
        if at and subject[at - 1] in _ALNUM:
            continue
        for pattern in by_first.get(subject[at], ()):
            if span.type not in pattern.vetoes:
                continue
            if pattern.needs_digit:
                if not digits:
                    continue
            elif pattern.gate is not None and not digits:
                if pattern.name not in gated:
                    gated[pattern.name] = pattern.gate.search(subject, lo, hi) is not None
                if not gated[pattern.name]:
                    continue
            match = pattern.regex.match(subject, at, hi)
            if match and match.end() >= span.end and "\n" not in subject[at : match.end()]:
                return True  # a measurement is written on one line
    return False


_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def drop_safe(text: str, spans: Iterable[Span], language: str = "en") -> list[Span]:
    # detectors often propose the same span (a phone by two of them, a month twice): checked once
    safe: dict[tuple[int, int, str], bool] = {}
    kept = []
    for span in spans:
        key = (span.start, span.end, span.type)
        if key not in safe:
            safe[key] = is_safe(text, span, language)
        if not safe[key]:
            kept.append(span)
    return kept
