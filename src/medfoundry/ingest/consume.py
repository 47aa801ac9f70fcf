"""Checking each incoming unit and routing it: spill (kept) or quarantine (refused)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import IO, Any

import orjson

from medfoundry.ingest.problems import Problem, Quarantine
from medfoundry.ingest.references import SHARED_TYPES, identifier_keys, patient_reference
from medfoundry.ingest.sources import Incoming, Source
from medfoundry.ingest.spill import Spill
from medfoundry.ingest.validate import REQUIRED, check_resource

PROGRESS_EVERY = 2000


class TypeCounts:
    """Read / kept / quarantined, in total and per resource type."""

    def __init__(self) -> None:
        self.read_by: Counter[str] = Counter()
        self.quarantined_by: Counter[str] = Counter()

    @property
    def read(self) -> int:
        return sum(self.read_by.values())

    @property
    def quarantined(self) -> int:
        return sum(self.quarantined_by.values())

    @property
    def kept(self) -> int:
        return self.read - self.quarantined

    def by_type(self) -> dict[str, dict[str, int]]:
        return {
            rtype: {
                "read": read,
                "kept": read - self.quarantined_by[rtype],
                "quarantined": self.quarantined_by[rtype],
            }
            for rtype, read in sorted(self.read_by.items())
        }


class Consumer:
    def __init__(self, spill: Spill, quarantine_handle: IO[bytes], *, strict: bool = False) -> None:
        self.spill = spill
        self.quarantine_handle = quarantine_handle
        self.quarantine = Quarantine(quarantine_handle)
        self.counts = TypeCounts()
        self.strict = strict

    def consume(
        self, source: Source, progress: Callable[[Any], None] | None, make: Callable[..., Any]
    ) -> None:
        for number, item in enumerate(source, start=1):
            self.take(item, number)
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(make(self.counts.read, item.done_bytes, source.total_bytes))
        if progress is not None:
            progress(make(self.counts.read, source.total_bytes or 0, source.total_bytes))

    def take(self, item: Incoming, number: int) -> None:
        resource = item.resource
        rtype = _type_of(item)
        self.counts.read_by[rtype] += 1
        if item.error is not None:
            self._refuse(item, rtype, [(item.where.path, item.error)])
            return
        if item.note is not None:
            self.spill.add(f"Patient/{item.note.patient_id}", "note", orjson.dumps(item.note.to_dict()))
            return
        body = item.raw if item.raw is not None and item.where.path == "$" else orjson.dumps(resource)
        problems = check_resource(resource, body)
        if not problems and self.strict:
            from medfoundry.ingest.strict import check_strict

            problems = check_strict(resource)
        if problems:
            self._refuse(item, rtype, [(item.where.at(path), reason) for path, reason in problems])
            return
        self._keep(item, resource, rtype, body, number)

    def _keep(self, item: Incoming, resource: dict[str, Any], rtype: str, body: bytes, number: int) -> None:
        patient = patient_reference(resource)
        if patient is not None:
            self.spill.add(patient, "resource", body)
            if rtype == "Patient":
                self.spill.add_identifiers(patient, list(identifier_keys(resource)))
            return
        if rtype in REQUIRED and rtype not in SHARED_TYPES:
            path = item.where.at("$.subject")
            self._refuse(item, rtype, [(path, f"{rtype} is not linked to a Patient (subject/patient)")])
            return
        key = f"{rtype}/{resource.get('id') or f'#{number}'}"
        self.spill.add_shared(key, body, list(identifier_keys(resource)))

    def _refuse(self, item: Incoming, rtype: str, problems: list[tuple[str, str]]) -> None:
        self.counts.quarantined_by[rtype] += 1
        found = [Problem(item.where, path, reason, rtype) for path, reason in problems]
        raw = item.raw if item.raw is not None else orjson.dumps(item.resource)
        self.quarantine.add(found, raw)


def _type_of(item: Incoming) -> str:
    if item.is_note:
        return "Note"
    if isinstance(item.resource, dict) and isinstance(item.resource.get("resourceType"), str):
        return str(item.resource["resourceType"])
    return "(unparsed)"
