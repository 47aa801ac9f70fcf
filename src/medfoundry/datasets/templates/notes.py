"""Note drafting: one encounter's facts (or a transcript) → a draft note in standard sections."""

from __future__ import annotations

import re
from collections.abc import Iterator

from medfoundry.datasets.templates import facts
from medfoundry.datasets.templates.base import Example, PerRecordTemplate, TaskConfig, chat
from medfoundry.datasets.templates.metrics import faithfulness, mean, rouge_l
from medfoundry.ingest.records import PatientRecord

SECTIONS = ("Chief Complaint", "HPI", "Assessment and Plan")
_HPI = re.compile(
    r"(?:HPI|HISTORY OF PRESENT ILLNESS|SUBJECTIVE)\s*:\s*(.+?)(?:\n\s*\n|\Z)", re.IGNORECASE | re.DOTALL
)


def encounter_facts(record: PatientRecord, encounter: dict[str, object]) -> str:
    encounter_id = str(encounter.get("id"))
    period = encounter.get("period") or {}
    reason = facts.display(((encounter.get("reasonCode") or [None]) or [None])[0])  # type: ignore[index]
    kind = facts.display(((encounter.get("type") or [None]) or [None])[0])  # type: ignore[index]
    return "\n".join(
        [
            f"Encounter date: {facts.day(period.get('start') if isinstance(period, dict) else None)}",
            f"Encounter type: {kind or 'not documented'}",
            f"Reason for visit: {reason or 'not documented'}",
            f"Vital signs: {facts.format_vitals(facts.vitals_for(record, encounter_id))}",
            f"Problem list: {', '.join(facts.conditions(record)) or 'none documented'}",
            f"Medications: {', '.join(facts.medications(record)) or 'none documented'}",
        ]
    )


def draft_note(record: PatientRecord, encounter: dict[str, object], notes: list[str]) -> str:
    reason = facts.display(((encounter.get("reasonCode") or [None]) or [None])[0])  # type: ignore[index]
    problems = ", ".join(facts.conditions(record)) or "no documented chronic problems"
    hpi_from_note = next((m.group(1).strip() for n in notes if (m := _HPI.search(n))), None)
    hpi = hpi_from_note or f"Patient seen for {reason or 'follow-up'}. History of {problems}."
    vitals = facts.format_vitals(facts.vitals_for(record, str(encounter.get("id"))))
    meds = ", ".join(facts.medications(record)) or "no active medications"
    return (
        f"Chief Complaint: {reason or 'follow-up visit'}\n\n"
        f"HPI: {hpi}\n\n"
        f"Assessment and Plan: {reason or 'Chronic conditions'} evaluated; vitals {vitals}. "
        f"Problems: {problems}. Continue {meds}."
    )


class NoteDrafting(PerRecordTemplate):
    name = "note-drafting"
    description = (
        "encounter facts (or transcript) → draft note with Chief Complaint, HPI, Assessment and Plan"
    )

    def record_examples(self, record: PatientRecord, options: TaskConfig) -> Iterator[Example]:
        terms = facts.conditions(record) + facts.medications(record)
        for encounter in facts.encounters(record)[-options.max_examples_per_patient :]:
            notes = facts.notes_for(record, str(encounter.get("id")))
            source = encounter_facts(record, encounter)
            prompt = (
                "Draft a clinical note (Chief Complaint, HPI, Assessment and Plan) for this encounter.\n\n"
            )
            yield Example(
                id=f"{record.patient_id}:note:{encounter.get('id')}",
                patient_id=record.patient_id,
                task=self.name,
                messages=chat(prompt + source, draft_note(record, encounter, notes)),
                source=source + "\n" + "\n".join(notes),
                meta={"terms": terms},
            )

    def score(self, predictions: list[str], examples: list[Example]) -> dict[str, float]:
        vocabulary = {term for e in examples for term in e.meta.get("terms", [])}
        pairs = list(zip(predictions, examples, strict=True))
        checks = [faithfulness(p, e.source, vocabulary) for p, e in pairs]
        claims = sum(c.claims for c in checks)
        has_sections = [all(f"{s}:" in p for s in SECTIONS) for p, _ in pairs]
        return {
            "rouge_l": mean([rouge_l(p, e.reference) for p, e in pairs]),
            "unsupported_claim_rate": sum(c.unsupported for c in checks) / claims if claims else 0.0,
            "sections_present": mean([float(x) for x in has_sections]),
        }
