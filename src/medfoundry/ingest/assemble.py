"""Turning the spilled stream back into one ``PatientRecord`` per patient."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from medfoundry.ingest.notes import notes_from_resource
from medfoundry.ingest.records import Note, PatientRecord
from medfoundry.ingest.references import SHARED_TYPES, conditional_key, iter_references, rewrite_references
from medfoundry.ingest.spill import Spill


@dataclass
class AssemblyStats:
    patients: int = 0
    notes: int = 0
    notes_decoded: int = 0
    unresolved_references: int = 0
    without_patient_resource: int = 0


class Assembler:
    def __init__(self, spill: Spill) -> None:
        self.spill = spill
        self.stats = AssemblyStats()

    def resolve(self, reference: str) -> str | None:
        if "?" not in reference:
            return None  # a urn:uuid that its bundle did not define
        key = conditional_key(reference)
        return self.spill.resolve(key) if key else None

    def records(self) -> Iterator[PatientRecord]:
        groups: dict[str, list[str]] = {}
        for key in self.spill.patient_keys():
            resolved = self.resolve(key) if "?" in key else key
            groups.setdefault(resolved or key, []).append(key)
        for patient_ref, keys in groups.items():
            record = self._record(patient_ref, keys)
            self.stats.patients += 1
            self.stats.notes += len(record.notes)
            self.stats.notes_decoded += sum(1 for note in record.notes if note.text is not None)
            if record.patient is None:
                self.stats.without_patient_resource += 1
            yield record

    def _record(self, patient_ref: str, keys: list[str]) -> PatientRecord:
        patient_id = patient_ref.partition("/")[2] or patient_ref
        record = PatientRecord(patient_id=patient_id)
        wanted: dict[str, None] = {}
        for kind, body in self.spill.items(keys):
            if kind == "note":
                record.notes.append(Note.from_dict(orjson.loads(body)))
                continue
            resource = orjson.loads(body)
            self.stats.unresolved_references += rewrite_references(resource, self.resolve)
            record.add(resource)
            record.notes.extend(notes_from_resource(resource, patient_id))
            for ref in iter_references(resource):
                if ref["reference"].partition("/")[0] in SHARED_TYPES:
                    wanted[ref["reference"]] = None
        for key in wanted:  # practitioners, organizations, ... this patient's resources cite
            body = self.spill.shared(key)
            if body is not None:
                shared = orjson.loads(body)
                self.stats.unresolved_references += rewrite_references(shared, self.resolve)
                record.add(shared)
        return record
