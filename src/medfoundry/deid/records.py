"""One patient record in, one de-identified record plus counts and scan hits out.

This is the unit of work every executor (serial, processes, Ray) runs; it is a pure
function of the record, the policy and the key, so every executor gives the same bytes.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.config import DeidConfig
from medfoundry.deid.fhir import ResourceDeidentifier
from medfoundry.deid.operators import Context, pseudonym
from medfoundry.deid.patient import date_offset, known_from_record
from medfoundry.deid.scan import ScanResult, scan_texts
from medfoundry.deid.spans import KnownPHI
from medfoundry.deid.text import TextDeidentifier
from medfoundry.ingest.records import Note, PatientRecord


@dataclass(frozen=True)
class Job:
    """Everything a worker needs (picklable): the policy as JSON, the key, 'today'."""

    config_json: str
    key: bytes
    reference_date: str

    @functools.cached_property
    def config(self) -> DeidConfig:
        return DeidConfig.model_validate_json(self.config_json)


@dataclass
class RecordOutput:
    record: dict[str, Any]
    counts: Counter[str] = field(default_factory=Counter)
    scan: ScanResult = field(default_factory=ScanResult)
    offset_days: int = 0
    source_patient_id: str = ""


@functools.lru_cache(maxsize=8)
def _deidentifier(config_json: str) -> TextDeidentifier:
    config = DeidConfig.model_validate_json(config_json)
    return TextDeidentifier(Analyzer.from_config(config), config.operators, config.default_operator)


def avoid_words(known: KnownPHI) -> frozenset[str]:
    """The words (and whole values) of a patient's names and addresses, lower-cased."""
    values = [*known.names, *known.addresses]
    words = {
        w for v in values for w in re.findall(r"[a-z0-9']+", v.lower()) if len(w) > 2 and not w.isdigit()
    }
    # "Kshlerin58" is also found as "Kshlerin" (the known-PHI matcher ignores glued digits).
    words |= {stripped for w in words if len(stripped := w.rstrip("0123456789")) > 2}
    return frozenset(words | {v.lower() for v in values})


def deidentify_record(record: PatientRecord, job: Job) -> RecordOutput:
    config = job.config
    text = _deidentifier(job.config_json)
    offset = date_offset(
        job.key, record.patient_id, min_days=config.shift_min_days, max_days=config.shift_max_days
    )
    ctx = Context(
        key=job.key, patient_id=record.patient_id, date_offset_days=offset, date_policy=config.date_policy
    )
    known = known_from_record(record)
    ctx.avoid = avoid_words(known)
    rules = ResourceDeidentifier(
        text, ctx, known if config.known_phi else None, reference_date=date.fromisoformat(job.reference_date)
    )
    resources = {rtype: [rules.resource(r) for r in items] for rtype, items in record.resources.items()}
    notes = [_note(note, rules) for note in record.notes]
    out = PatientRecord(
        patient_id=pseudonym(job.key, record.patient_id, length=32), resources=resources, notes=notes
    )
    output = RecordOutput(
        out.to_dict(), rules.counts, offset_days=offset, source_patient_id=record.patient_id
    )
    output.scan = scan_texts(text_fields(out), known=known)
    return output


def _note(note: Note, rules: ResourceDeidentifier) -> Note:
    ctx, key = rules.ctx, rules.ctx.key
    body = None
    if note.text is not None:
        body = rules.text.deidentify(note.text, ctx, known=rules.known, counts=rules.counts).text
    source_type, _, rest = note.source.partition("/")
    ident, _, fragment = rest.partition("#")
    return Note(
        id=pseudonym(key, note.id, length=32),
        patient_id=pseudonym(key, note.patient_id, length=32),
        text=body,
        content_type=note.content_type,
        date=rules.text.replace(note.date, "DATE", ctx) if note.date else None,
        title=rules.text.deidentify(note.title, ctx, known=rules.known).text if note.title else None,
        source=f"{source_type}/{pseudonym(key, ident, length=32)}" + (f"#{fragment}" if fragment else "")
        if rest
        else "",
    )


def text_fields(record: PatientRecord) -> list[tuple[str, str]]:
    """Every string of a record with a location that names no value (for the scan)."""
    items: list[tuple[str, str]] = []
    prefix = f"patient:{record.patient_id}"

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")
        elif isinstance(node, str):
            items.append((path, node))

    for rtype, resources in record.resources.items():
        for i, resource in enumerate(resources):
            walk(resource, f"{prefix}/{rtype}[{i}]")
    for i, note in enumerate(record.notes):
        for key in ("text", "title", "date"):
            value = getattr(note, key)
            if value:
                items.append((f"{prefix}/notes[{i}].{key}", value))
    return items
