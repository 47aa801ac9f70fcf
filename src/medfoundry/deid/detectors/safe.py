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
_WINDOW = 64  # characters of context either side of a candidate; longer than any safe match needs
_BOUNDED = "(?<![a-z0-9])(?:{})(?![a-z0-9])"


@dataclass(frozen=True)
class SafePattern:
    name: str
    regex: re.Pattern[str]
    vetoes: frozenset[str]
    match: tuple[str, ...]
    no_match: tuple[str, ...]


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
            )
        )
    return tuple(patterns)


@functools.cache
def _combined(language: str) -> re.Pattern[str]:
    """One regex that matches where any pattern can start (a cheap first test)."""
    return re.compile("|".join(f"(?:{p.regex.pattern})" for p in safe_patterns(language)))


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
    lo = max(0, span.start - _WINDOW)
    hi = min(len(text), span.end + _WINDOW)
    if not _combined(language).search(subject, lo, hi):
        return False
    for pattern in safe_patterns(language):
        if span.type not in pattern.vetoes:
            continue
        for match in pattern.regex.finditer(subject, lo, hi):
            if match.start() > span.start:
                break
            if match.end() >= span.end and "\n" not in subject[match.start() : match.end()]:
                return True  # a measurement is written on one line
    return False


def drop_safe(text: str, spans: Iterable[Span], language: str = "en") -> list[Span]:
    return [span for span in spans if not is_safe(text, span, language)]
