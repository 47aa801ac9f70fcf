"""The values every detector and operator share: a PHI span and a patient's known PHI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

# PHI types, following HIPAA Safe Harbor's identifiers.
PHI_TYPES = (
    "NAME",
    "DATE",
    "AGE",
    "PHONE",
    "FAX",
    "EMAIL",
    "URL",
    "IP",
    "SSN",
    "MRN",
    "ID",
    "ZIP",
    "ADDRESS",
    "LOCATION",
)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A PHI span in a text: ``text[start:end]`` is of ``type``, found by ``detector``."""

    start: int
    end: int
    type: str
    detector: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "type": self.type, "detector": self.detector}


# Which KnownPHI field a caller's type name (as in ``scan_texts(known=...)``) maps to.
_KNOWN_ALIASES = {
    "name": "names",
    "names": "names",
    "address": "addresses",
    "addresses": "addresses",
    "location": "addresses",
    "phone": "phones",
    "phones": "phones",
    "fax": "phones",
    "telecom": "phones",
    "email": "emails",
    "emails": "emails",
    "id": "identifiers",
    "identifier": "identifiers",
    "identifiers": "identifiers",
    "mrn": "identifiers",
    "ssn": "identifiers",
    "date": "dates",
    "dates": "dates",
}


@dataclass(frozen=True)
class KnownPHI:
    """Identifiers known for one patient (from structured data), searched for in their text."""

    names: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)

    def __hash__(self) -> int:
        return hash((self.names, self.addresses, self.phones, self.emails, self.identifiers, self.dates))

    @classmethod
    def from_mapping(cls, known: Mapping[str, Iterable[str]]) -> KnownPHI:
        """Build from ``{"name": [...], "address": [...], ...}`` (type names, any case)."""
        fields: dict[str, list[str]] = {}
        for type_name, values in known.items():
            target = _KNOWN_ALIASES.get(type_name.lower(), "identifiers")
            fields.setdefault(target, []).extend(v for v in values if v and str(v).strip())
        values = {k: tuple(dict.fromkeys(str(v) for v in vs)) for k, vs in fields.items()}
        return cls(**cast(dict[str, Any], values))

    def merged(self, other: KnownPHI) -> KnownPHI:
        def join(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(a + b))

        return KnownPHI(
            names=join(self.names, other.names),
            addresses=join(self.addresses, other.addresses),
            phones=join(self.phones, other.phones),
            emails=join(self.emails, other.emails),
            identifiers=join(self.identifiers, other.identifiers),
            dates=join(self.dates, other.dates),
        )

    def is_empty(self) -> bool:
        return not (
            self.names or self.addresses or self.phones or self.emails or self.identifiers or self.dates
        )

    def to_mapping(self) -> dict[str, list[str]]:
        return {
            "name": list(self.names),
            "address": list(self.addresses),
            "phone": list(self.phones),
            "email": list(self.emails),
            "identifier": list(self.identifiers),
            "date": list(self.dates),
        }


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Merge overlapping spans into one (the longest one's type wins), sorted by start."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    merged: list[Span] = []
    for span in ordered:
        if span.end <= span.start:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                # Extend; keep the type of the longer piece.
                keep = last if (last.end - last.start) >= (span.end - span.start) else span
                merged[-1] = Span(last.start, span.end, keep.type, keep.detector)
            continue
        merged.append(span)
    return merged
