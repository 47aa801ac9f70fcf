"""Known-PHI matching: a patient's names, addresses, phones, ids and dates from structured data.

Matching is case-insensitive and token-aware (no match inside a longer word); phone and
id digits match whatever separators the note uses; a date matches in the usual forms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date

from medfoundry.deid import lexicon
from medfoundry.deid.spans import KnownPHI, Span

_EDGE_L = r"(?<![A-Za-z0-9])"
_EDGE_R = r"(?![A-Za-z0-9])"
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()


def _flexible(value: str) -> str:
    """Alphanumerics of ``value`` with any run of separators allowed between them."""
    parts = re.findall(r"[A-Za-z]+|[0-9]+", value)
    return r"[\s().,/#-]{0,3}".join(re.escape(p) for p in parts)


def _name_variants(value: str) -> Iterator[tuple[str, bool]]:
    """Each name part (and its letters without Synthea's digits); True = match case-sensitively."""
    for part in re.findall(r"[A-Za-z][A-Za-z'\u2019-]*\d*", value):
        for variant in {part, part.rstrip("0123456789")}:
            if len(variant) < 2 or variant.lower() in lexicon.medical_terms():
                continue
            yield variant, lexicon.is_common(variant.lower())


def _date_variants(value: str) -> Iterator[str]:
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return
    month = _MONTH_NAMES[d.month - 1]
    yield from (
        f"{d:%Y-%m-%d}",
        f"{d.month}/{d.day}/{d.year}",
        f"{d:%m/%d/%Y}",
        f"{d.month}/{d.day}/{d:%y}",
        f"{d:%m/%d/%y}",
        f"{month} {d.day}, {d.year}",
        f"{month} {d.day} {d.year}",
        f"{month[:3]} {d.day}, {d.year}",
        f"{d.day} {month} {d.year}",
        f"{d.day} {month[:3]} {d.year}",
        f"{d.day}-{month[:3]}-{d:%y}",
    )


class KnownMatcher:
    """Compiled patterns for one ``KnownPHI``; build once per patient, reuse for every text."""

    name = "known"

    def __init__(self, known: KnownPHI) -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        insensitive: dict[str, list[str]] = {}
        sensitive: list[str] = []
        for value in known.names:
            for variant, case_sensitive in _name_variants(value):
                (sensitive if case_sensitive else insensitive.setdefault("NAME", [])).append(
                    re.escape(variant)
                )
        for value in known.addresses:
            insensitive.setdefault("ADDRESS", []).append(_flexible(value))
        for value in known.phones:
            insensitive.setdefault("PHONE", []).append(_flexible(value))
        for value in known.emails:
            insensitive.setdefault("EMAIL", []).append(re.escape(value))
        for value in known.identifiers:
            insensitive.setdefault("ID", []).append(_flexible(value))
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 5 and digits != value:  # "MRN4455667" is often written "MRN 4455667"
                insensitive["ID"].append(re.escape(digits))
        for value in known.dates:
            insensitive.setdefault("DATE", []).extend(re.escape(v) for v in _date_variants(value))
        for type_, alternatives in insensitive.items():
            self._add(type_, alternatives, re.IGNORECASE)
        if sensitive:
            self._add("NAME", sensitive, 0)

    def _add(self, type_: str, alternatives: list[str], flags: int) -> None:
        alternatives = sorted({a for a in alternatives if a}, key=len, reverse=True)
        if alternatives:
            body = "|".join(alternatives)
            self._patterns.append((type_, re.compile(f"{_EDGE_L}(?:{body}){_EDGE_R}", flags)))

    def find(self, text: str) -> Iterator[Span]:
        for type_, pattern in self._patterns:
            for match in pattern.finditer(text):
                yield Span(match.start(), match.end(), type_, self.name)


@functools.lru_cache(maxsize=256)
def matcher_for(known: KnownPHI) -> KnownMatcher:
    return KnownMatcher(known)
