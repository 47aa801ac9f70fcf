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

import yaml

from medfoundry.deid import lexicon
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
_BOUNDED = "(?<![a-z0-9])(?:{})(?![a-z0-9])"


@dataclass(frozen=True)
class SafePattern:
    name: str
    regex: re.Pattern[str]
    vetoes: frozenset[str]
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    needs_digit: bool  # every example has a digit: tried only where a digit is near
    gate: re.Pattern[str] | None  # otherwise: tried only where one of its words is near


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


@functools.cache
def _combined(language: str) -> re.Pattern[str]:
    """One regex that matches where a pattern that needs a digit matches: a cheap first test."""
    return re.compile("|".join(f"(?:{p.regex.pattern})" for p in safe_patterns(language) if p.needs_digit))


_DIGIT = re.compile(r"\d")


def safe_matches(text: str, language: str = "en") -> list[tuple[int, int, str]]:
    """Every match of every safe pattern in ``text``: (start, end, pattern name)."""
    lowered = text.lower()
    found: list[tuple[int, int, str]] = []
    for pattern in safe_patterns(language):
        found.extend((m.start(), m.end(), pattern.name) for m in pattern.regex.finditer(lowered))
    return sorted(found)


def is_safe(text: str, span: Span, language: str = "en") -> bool:
    """Whether a safe pattern match (in a window around ``span``) covers ``span``."""
    if span.type not in VETOABLE:
        return False
    subject = text_view(text).lower  # same length as ``text``
    if _DIGIT.search(subject, span.start, span.end):
        lo, hi = max(0, span.start - _BEFORE), min(len(text), span.end + _AFTER)
    else:
        lo, hi = max(0, span.start - _WORD_AROUND), min(len(text), span.end + _WORD_AROUND)
    digits = _DIGIT.search(subject, lo, hi) is not None
    if digits:
        first = _combined(language).search(subject, lo, hi)
        digits = first is not None and first.start() <= span.start  # else none can cover the span
    for pattern in safe_patterns(language):
        if span.type not in pattern.vetoes:
            continue
        if pattern.needs_digit:
            if not digits:
                continue
        elif pattern.gate is not None and not pattern.gate.search(subject, lo, hi):
            continue
        for match in pattern.regex.finditer(subject, lo, hi):
            if match.start() > span.start:
                break
            if match.end() >= span.end and "\n" not in subject[match.start() : match.end()]:
                return True  # a measurement is written on one line
    return False


def drop_safe(text: str, spans: Iterable[Span], language: str = "en") -> list[Span]:
    return [span for span in spans if not is_safe(text, span, language)]
