"""Turning the spilled stream back into one ``PatientRecord`` per patient."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import orjson

from medfoundry.ingest.notes import notes_from_resource
from medfoundry.ingest.records import Note, PatientRecord
from medfoundry.ingest.references import SHARED_TYPES, conditional_key
from medfoundry.ingest.spill import Spill

# References as serialized JSON: an indirect one (conditional or urn:uuid) and one to a shared resource.
_INDIRECT = re.compile(rb'"reference"\s*:\s*"((?:urn:uuid:|[A-Za-z]+\?)[^"\\]*)"')
_SHARED_REF = re.compile(
    rb'"reference"\s*:\s*"((?:' + "|".join(sorted(SHARED_TYPES)).encode() + rb')/[^"\\]+)"'
)
_WITH_NOTES = frozenset({"DocumentReference", "DiagnosticReport"})


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
        self.resolve = lru_cache(maxsize=65536)(self._resolve)

    def _resolve(self, reference: str) -> str | None:
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

    def _rewrite(self, body: bytes) -> bytes:
        """Resolve conditional references in the serialized resource (fast path: no parse)."""
        if b"?" not in body and b"urn:uuid:" not in body:
            return body

        def replace(match: re.Match[bytes]) -> bytes:
            resolved = self.resolve(match.group(1).decode("utf-8"))
            if resolved is None:
                self.stats.unresolved_references += 1
                return match.group(0)
            return b'"reference":"' + resolved.encode("utf-8") + b'"'

        return _INDIRECT.sub(replace, body)

    def _record(self, patient_ref: str, keys: list[str]) -> PatientRecord:
        patient_id = patient_ref.partition("/")[2] or patient_ref
        record = PatientRecord(patient_id=patient_id)
        wanted: dict[bytes, None] = {}
        for kind, body in self.spill.items(keys):
            if kind == "note":
                record.notes.append(Note.from_dict(orjson.loads(body)))
                continue
            body = self._rewrite(body)
            resource = orjson.loads(body)
            record.add(resource)
            if resource.get("resourceType") in _WITH_NOTES:
                record.notes.extend(notes_from_resource(resource, patient_id))
            wanted.update(dict.fromkeys(_SHARED_REF.findall(body)))
        for key in wanted:  # practitioners, organizations, ... this patient's resources cite
            shared = self.spill.shared(key.decode("utf-8"))
            if shared is not None:
                record.add(orjson.loads(self._rewrite(shared)))
        return record
