"""Residual-PHI scan: every known identifier searched for in every text field.

``scan_texts`` is what dataset building calls before it accepts data. A hit records
where and what type, never the value. Without known identifiers, only shapes that
are never legitimate in de-identified text are looked for (SSNs, emails, phones).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.detectors.known import matcher_for
from medfoundry.deid.spans import KnownPHI

# Detectors run when no known identifiers are given: high precision, and every
# operator removes what they find (surrogates for these types are not realistic).
GENERIC_SCAN_DETECTORS = ("ssn", "email", "phone")


@dataclass(frozen=True)
class ScanHit:
    """One residual identifier: where (location, offsets), of what type, found how."""

    location: str
    type: str
    detector: str
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "type": self.type,
            "detector": self.detector,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class ScanResult:
    """The outcome of a scan: passed when no hit at all."""

    texts: int = 0
    characters: int = 0
    hits: list[ScanHit] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.hits

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(hit.type for hit in self.hits).items()))

    def merge(self, other: ScanResult) -> None:
        self.texts += other.texts
        self.characters += other.characters
        self.hits.extend(other.hits)

    def to_dict(self, *, max_hits: int = 1000) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "texts": self.texts,
            "characters": self.characters,
            "hit_count": len(self.hits),
            "by_type": self.counts(),
            "hits": [hit.to_dict() for hit in self.hits[:max_hits]],
        }


@functools.cache
def _generic_analyzer() -> Analyzer:
    return Analyzer(GENERIC_SCAN_DETECTORS)


def scan_texts(
    items: Iterable[tuple[str, str]],
    *,
    known: Mapping[str, list[str]] | KnownPHI | None = None,
) -> ScanResult:
    """Scan ``(location, text)`` pairs for ``known`` identifiers (type → values).

    With ``known``: a hit is any known value found (case-insensitive, token-aware).
    Without: SSN, email and phone shapes count as hits.
    """
    known_phi = known if isinstance(known, KnownPHI) or known is None else KnownPHI.from_mapping(known)
    result = ScanResult()
    for location, text in items:
        result.texts += 1
        if not text:
            continue
        result.characters += len(text)
        if known_phi is not None and not known_phi.is_empty():
            spans = list(matcher_for(known_phi).find(text))
        elif known_phi is None:
            spans = _generic_analyzer().analyze(text)
        else:
            spans = []
        result.hits.extend(ScanHit(location, s.type, s.detector, s.start, s.end) for s in spans)
    return result
