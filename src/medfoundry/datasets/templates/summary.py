"""Patient summary: the rendered record → a concise clinician-facing summary."""

from __future__ import annotations

from collections.abc import Iterator

from medfoundry.datasets.templates import facts
from medfoundry.datasets.templates.base import Example, PerRecordTemplate, TaskConfig, chat, clip
from medfoundry.datasets.templates.metrics import faithfulness, mean, rouge_l
from medfoundry.ingest.records import PatientRecord

DISCHARGE_SUMMARY_LOINC = "18842-5"
INSTRUCTION = "Write a concise summary of this patient's record for a clinician.\n\n"


def _user_summaries(record: PatientRecord) -> list[str]:
    """Discharge summaries written by the user's clinicians, when the record has them."""
    wanted = {
        str(doc.get("id"))
        for doc in record.resources.get("DocumentReference", [])
        if any(c.get("code") == DISCHARGE_SUMMARY_LOINC for c in (doc.get("type") or {}).get("coding", []))
    }
    return [n.text for n in record.notes if n.text and n.source.split("/")[-1].split("#")[0] in wanted]


def structured_summary(record: PatientRecord) -> str:
    """A summary rendered from the structured data: the target when no summary was written."""
    visits = facts.encounters(record)
    lines = [
        f"Active problems: {', '.join(facts.conditions(record, active_only=True)) or 'none documented'}.",
        f"Active medications: {', '.join(facts.medications(record, active_only=True)) or 'none documented'}.",
        f"Allergies: {', '.join(facts.allergies(record)) or 'none documented'}.",
    ]
    if visits:
        last = visits[-1]
        reason = facts.display((last.get("reasonCode") or [None])[0]) or facts.display(
            (last.get("type") or [None])[0]
        )
        lines.append(
            f"Most recent encounter: {facts.day(last.get('period', {}).get('start'))}"
            f" ({reason or 'reason not documented'})."
        )
        vitals = facts.vitals_for(record, str(last.get("id")))
        if vitals:
            lines.append(f"Latest vitals: {facts.format_vitals(vitals)}.")
    return "\n".join(lines)


def _source(record: PatientRecord, limit: int) -> str:
    from medfoundry.ingest.render import render_record

    return clip(render_record(record, notes=False), limit)


class PatientSummary(PerRecordTemplate):
    name = "patient-summary"
    description = "FHIR record rendered as text → concise clinician-facing summary (faithfulness + ROUGE-L)"

    def record_examples(self, record: PatientRecord, options: TaskConfig) -> Iterator[Example]:
        source = _source(record, options.max_source_chars)
        written = _user_summaries(record)
        targets = written or [structured_summary(record)]
        terms = facts.conditions(record) + facts.medications(record)
        for index, target in enumerate(targets[: options.max_examples_per_patient]):
            yield Example(
                id=f"{record.patient_id}:summary:{index}",
                patient_id=record.patient_id,
                task=self.name,
                messages=chat(INSTRUCTION + source, target),
                source=source,
                meta={"target": "user-summary" if written else "structured", "terms": terms},
            )

    def score(self, predictions: list[str], examples: list[Example]) -> dict[str, float]:
        # Terms of every record in the set: a drug copied from another patient is caught too.
        vocabulary = {term for e in examples for term in e.meta.get("terms", [])}
        checks = [faithfulness(p, e.source, vocabulary) for p, e in zip(predictions, examples, strict=True)]
        claims = sum(c.claims for c in checks)
        return {
            "rouge_l": mean([rouge_l(p, e.reference) for p, e in zip(predictions, examples, strict=True)]),
            "unsupported_claim_rate": sum(c.unsupported for c in checks) / claims if claims else 0.0,
            "claims": float(claims),
        }
