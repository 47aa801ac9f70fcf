"""The patient record: the unit every later stage reads (de-identification, datasets).

A record keeps the patient's FHIR resources as JSON (grouped by resource type) and
their notes decoded to text. Stored as JSON Lines, one record per line, in an
encrypted artifact while it still holds PHI.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass
class Note:
    """A clinical note decoded from a DocumentReference or DiagnosticReport attachment."""

    id: str
    patient_id: str
    text: str | None  # None when the content type is not decodable text
    content_type: str = "text/plain"
    date: str | None = None
    title: str | None = None
    source: str = ""  # e.g. "DocumentReference/abc#content[0]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "patient_id": self.patient_id,
            "text": self.text,
            "content_type": self.content_type,
            "date": self.date,
            "title": self.title,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Note:
        return cls(**data)


@dataclass
class PatientRecord:
    """One patient's resources (by type, in source order) and notes."""

    patient_id: str
    resources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    @property
    def patient(self) -> dict[str, Any] | None:
        patients = self.resources.get("Patient") or []
        return patients[0] if patients else None

    def add(self, resource: dict[str, Any]) -> None:
        self.resources.setdefault(str(resource.get("resourceType")), []).append(resource)

    def resource_count(self) -> int:
        return sum(len(items) for items in self.resources.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "resources": self.resources,
            "notes": [note.to_dict() for note in self.notes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PatientRecord:
        return cls(
            patient_id=data["patient_id"],
            resources=data.get("resources", {}),
            notes=[Note.from_dict(note) for note in data.get("notes", [])],
        )


def dump_records(records: Iterable[PatientRecord]) -> Iterator[bytes]:
    """Serialize records as JSON Lines chunks (deterministic: sorted keys)."""
    for record in records:
        yield orjson.dumps(record.to_dict(), option=orjson.OPT_SORT_KEYS) + b"\n"


def load_records(chunks: Iterable[bytes]) -> Iterator[PatientRecord]:
    """Parse JSON Lines chunks (as the artifact store yields them) back into records."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.strip():
                yield PatientRecord.from_dict(orjson.loads(line))
    if pending.strip():
        yield PatientRecord.from_dict(orjson.loads(pending))
