"""FHIR -> text: a record as deterministic, clinician-readable Markdown.

Each resource type has a renderer in ``RENDERERS`` (a ``Registry``) that turns one
resource into a dated timeline line; ``render_record`` adds a patient summary and
the notes. Same record, same text: ties sort by type and text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medfoundry.ingest.records import PatientRecord
from medfoundry.ingest.renderers import Line
from medfoundry.ingest.text import concept_text, day, extension_text, human_name
from medfoundry.registry import Registry

Renderer = Callable[[dict[str, Any]], Line | None]
RENDERERS: Registry[Renderer] = Registry("FHIR renderer")
_BUILTIN = {
    "Encounter": "encounter",
    "Condition": "condition",
    "MedicationRequest": "medication_request",
    "Procedure": "procedure",
    "Observation": "observation",
    "DiagnosticReport": "diagnostic_report",
    "AllergyIntolerance": "allergy",
    "Immunization": "immunization",
    "CarePlan": "care_plan",
    "Goal": "goal",
    "ImagingStudy": "imaging_study",
    "Device": "device",
    "DocumentReference": "document_reference",
}
for _type, _function in _BUILTIN.items():
    RENDERERS.register(_type, f"medfoundry.ingest.renderers:{_function}")

# Sections of the summary: (title, resource type, predicate on the resource)
_ACTIVE = ("active", "recurrence", "relapse")


def _status(resource: dict[str, Any], name: str) -> str:
    value = resource.get(name)
    if isinstance(value, dict):
        codes = [c.get("code") for c in value.get("coding") or [] if isinstance(c, dict)]
        return str(codes[0]) if codes else ""
    return str(value or "")


def _summary(record: PatientRecord) -> list[str]:
    patient = record.patient or {}
    lines = ["# Patient summary", ""]
    facts = [
        ("Name", human_name(patient)),
        ("Sex", str(patient.get("gender") or "")),
        ("Born", str(patient.get("birthDate") or "")),
        ("Died", day(patient.get("deceasedDateTime"))),
        ("Race", extension_text(patient, "us-core-race")),
        ("Ethnicity", extension_text(patient, "us-core-ethnicity")),
        ("Marital status", concept_text(patient.get("maritalStatus"))),
    ]
    lines += [f"- {label}: {value}" for label, value in facts if value]
    if not patient:
        lines.append(f"- Patient id: {record.patient_id} (no Patient resource in the source)")
    problems = sorted(
        {concept_text(c.get("code")) for c in record.resources.get("Condition", [])
         if _status(c, "clinicalStatus") in _ACTIVE and not c.get("abatementDateTime")} - {""}
    )  # fmt: skip
    meds = sorted(
        {concept_text(m.get("medicationCodeableConcept")) for m in record.resources.get("MedicationRequest", [])
         if _status(m, "status") == "active"} - {""}
    )  # fmt: skip
    allergies = sorted(
        {concept_text(a.get("code")) for a in record.resources.get("AllergyIntolerance", [])} - {""}
    )
    for title, items in (
        ("Active problems", problems),
        ("Active medications", meds),
        ("Allergies", allergies),
    ):
        lines += ["", f"## {title}", ""]
        lines += [f"- {item}" for item in items] or ["- none recorded"]
    return lines


def timeline(record: PatientRecord) -> list[Line]:
    """Every renderable resource as a ``Line``, sorted by date, then type, then text."""
    found: list[Line] = []
    for rtype in sorted(record.resources):
        if rtype not in RENDERERS:
            continue
        render = RENDERERS.get(rtype)
        for resource in record.resources[rtype]:
            line = render(resource)
            if line is not None:
                found.append(line)
    return sorted(found, key=lambda line: (line.when[:10] or "9999", line.label, line.text))


def render_record(record: PatientRecord, *, notes: bool = True) -> str:
    """The record as Markdown: summary, dated timeline, then the decoded notes."""
    lines = _summary(record)
    lines += ["", "## Timeline"]
    current = None
    for line in timeline(record):
        date = day(line.when) or "undated"
        if date != current:
            lines += ["", f"### {date}", ""]
            current = date
        lines.append(f"- {line.label}: {line.text}")
    if notes and record.notes:
        lines += ["", "## Notes"]
        for note in sorted(record.notes, key=lambda n: (n.date or "", n.id)):
            heading = " — ".join(part for part in (day(note.date), note.title or "Note") if part)
            lines += ["", f"### {heading}", ""]
            lines.append(
                note.text.strip() if note.text is not None else f"(not decoded: {note.content_type})"
            )
    return "\n".join(lines) + "\n"
