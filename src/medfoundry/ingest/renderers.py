"""The built-in per-resource renderers (one short function per FHIR resource type), listed
by name in `medfoundry.ingest.render`'s table and imported only when a record is rendered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medfoundry.ingest.text import concept_text, first_concept, period_start, quantity_text


@dataclass(frozen=True)
class Line:
    """One timeline entry: when (ISO date or dateTime, '' if unknown), what kind, and text."""

    when: str
    label: str
    text: str


def _with(text: str, *extras: tuple[str, str]) -> str:
    parts = [f"{label} {value}" for label, value in extras if value]
    return text + (f" ({'; '.join(parts)})" if parts else "")


def encounter(r: dict[str, Any]) -> Line:
    kind = first_concept(r.get("type")) or str((r.get("class") or {}).get("code") or "encounter")
    return Line(
        period_start(r, "period"), "Encounter", _with(kind, ("reason:", first_concept(r.get("reasonCode"))))
    )


def condition(r: dict[str, Any]) -> Line:
    ended = r.get("abatementDateTime")
    text = _with(concept_text(r.get("code")), ("resolved", ended[:10] if isinstance(ended, str) else ""))
    return Line(period_start(r, "onsetDateTime", "onsetPeriod", "recordedDate"), "Condition", text)


def medication_request(r: dict[str, Any]) -> Line:
    drug = concept_text(r.get("medicationCodeableConcept")) or str(
        (r.get("medicationReference") or {}).get("display", "")
    )
    return Line(
        str(r.get("authoredOn") or ""),
        "Medication",
        _with(drug or "medication", ("status", str(r.get("status") or ""))),
    )


def procedure(r: dict[str, Any]) -> Line:
    reason = first_concept(r.get("reasonCode"))
    return Line(
        period_start(r, "performedDateTime", "performedPeriod"),
        "Procedure",
        _with(concept_text(r.get("code")), ("reason:", reason)),
    )


def observation(r: dict[str, Any]) -> Line:
    value = (
        quantity_text(r.get("valueQuantity"))
        or concept_text(r.get("valueCodeableConcept"))
        or str(r.get("valueString") or "")
    )
    if not value and r.get("component"):
        value = ", ".join(
            f"{concept_text(c.get('code'))} {quantity_text(c.get('valueQuantity'))}".strip()
            for c in r["component"]
            if isinstance(c, dict)
        )
    text = concept_text(r.get("code")) + (f": {value}" if value else "")
    return Line(period_start(r, "effectiveDateTime", "effectivePeriod", "issued"), "Observation", text)


def diagnostic_report(r: dict[str, Any]) -> Line:
    results = len(r.get("result") or [])
    return Line(
        period_start(r, "effectiveDateTime", "effectivePeriod", "issued"),
        "Report",
        _with(concept_text(r.get("code")), ("results:", str(results) if results else "")),
    )


def allergy(r: dict[str, Any]) -> Line:
    return Line(
        period_start(r, "onsetDateTime", "recordedDate"),
        "Allergy",
        _with(concept_text(r.get("code")), ("criticality", str(r.get("criticality") or ""))),
    )


def immunization(r: dict[str, Any]) -> Line:
    return Line(str(r.get("occurrenceDateTime") or ""), "Immunization", concept_text(r.get("vaccineCode")))


def care_plan(r: dict[str, Any]) -> Line:
    activities = sorted(
        {
            concept_text((a.get("detail") or {}).get("code"))
            for a in r.get("activity") or []
            if isinstance(a, dict)
        }
        - {""}
    )
    return Line(
        period_start(r, "period"),
        "Care plan",
        _with(first_concept(r.get("category")) or "care plan", ("activities:", ", ".join(activities))),
    )


def goal(r: dict[str, Any]) -> Line:
    return Line(str(r.get("startDate") or ""), "Goal", concept_text(r.get("description")))


def imaging_study(r: dict[str, Any]) -> Line:
    modality = ", ".join(
        sorted(
            {
                str(m.get("display") or m.get("code"))
                for s in r.get("series") or []
                for m in [s.get("modality") or {}]
            }
        )
    )
    return Line(str(r.get("started") or ""), "Imaging", modality or "imaging study")


def device(r: dict[str, Any]) -> Line:
    return Line(str(r.get("manufactureDate") or ""), "Device", concept_text(r.get("type")) or "device")


def document_reference(r: dict[str, Any]) -> Line:
    return Line(str(r.get("date") or ""), "Note", first_concept(r.get("type")) or "clinical note")
