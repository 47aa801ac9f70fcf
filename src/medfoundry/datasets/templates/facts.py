"""Reading clinical facts out of a record's FHIR resources (concepts named as the renderer names them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medfoundry.ingest.records import PatientRecord
from medfoundry.ingest.text import concept_text


def display(concept: dict[str, Any] | None) -> str:
    """A concept's plain name (``ingest.text.concept_text`` without codes)."""
    return concept_text(concept, codes=False)


def day(value: str | None) -> str:
    return (value or "")[:10]


@dataclass(frozen=True)
class Vital:
    name: str
    value: float
    unit: str


def _status(resource: dict[str, Any], name: str) -> str:
    value = resource.get(name)
    if isinstance(value, dict):
        codings = value.get("coding") or [{}]
        return str(codings[0].get("code", ""))
    return str(value or "")


def _active_condition(condition: dict[str, Any]) -> bool:
    status = _status(condition, "clinicalStatus")
    return status in ("active", "recurrence", "relapse") and not condition.get("abatementDateTime")


def conditions(record: PatientRecord, *, active_only: bool = False) -> list[str]:
    found = record.resources.get("Condition", [])
    names = [display(c.get("code")) for c in found if not active_only or _active_condition(c)]
    return sorted({name for name in names if name})


def medications(record: PatientRecord, *, active_only: bool = False) -> list[str]:
    found = record.resources.get("MedicationRequest", [])
    names = [
        display(m.get("medicationCodeableConcept"))
        for m in found
        if not active_only or _status(m, "status") == "active"
    ]
    return sorted({name for name in names if name})


def allergies(record: PatientRecord) -> list[str]:
    names = [display(a.get("code")) for a in record.resources.get("AllergyIntolerance", [])]
    return sorted({name for name in names if name})


def encounters(record: PatientRecord) -> list[dict[str, Any]]:
    return sorted(
        record.resources.get("Encounter", []), key=lambda e: (e.get("period") or {}).get("start", "")
    )


def encounter_ref(resource: dict[str, Any]) -> str | None:
    ref = resource.get("encounter") or {}
    if isinstance(ref, dict) and ref.get("reference"):
        return str(ref["reference"]).split("/")[-1]
    context = resource.get("context") or {}
    refs = context.get("encounter") or []
    return str(refs[0]["reference"]).split("/")[-1] if refs and refs[0].get("reference") else None


def vitals_for(record: PatientRecord, encounter_id: str) -> list[Vital]:
    found = []
    for observation in record.resources.get("Observation", []):
        quantity = observation.get("valueQuantity")
        if encounter_ref(observation) == encounter_id and quantity and "value" in quantity:
            found.append(
                Vital(
                    display(observation.get("code")), float(quantity["value"]), str(quantity.get("unit", ""))
                )
            )
    return found


def format_vitals(vitals: list[Vital]) -> str:
    return "; ".join(f"{v.name}: {v.value:g} {v.unit}".strip() for v in vitals) or "not documented"


def notes_for(record: PatientRecord, encounter_id: str) -> list[str]:
    """Decoded note texts whose source resource belongs to the encounter."""
    note_encounters = {
        str(doc.get("id")): encounter_ref(doc) for doc in record.resources.get("DocumentReference", [])
    }
    texts = []
    for note in record.notes:
        resource_id = note.source.split("/")[-1].split("#")[0] if note.source else ""
        if note.text and note_encounters.get(resource_id) == encounter_id:
            texts.append(note.text)
    return texts
