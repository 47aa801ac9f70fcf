"""ED triage: presenting complaint and vitals → ESI acuity 1-5 with a one-line reason."""

from __future__ import annotations

import re
from collections.abc import Iterator

from medfoundry.datasets.templates import facts
from medfoundry.datasets.templates.base import Example, PerRecordTemplate, TaskConfig, chat
from medfoundry.ingest.records import PatientRecord

_ESI = re.compile(r"\bESI\s*[:\-]?\s*([1-5])\b", re.IGNORECASE)
LEVELS = ("1", "2", "3", "4", "5")


def esi_label(encounter: dict[str, object]) -> str | None:
    """The labelled acuity: an ESI code in Encounter.priority, as the user's ED system records it."""
    priority = encounter.get("priority")
    if not isinstance(priority, dict):
        return None
    for coding in priority.get("coding", []):
        code, system = str(coding.get("code", "")), str(coding.get("system", "")).lower()
        is_esi = (
            "severity-index" in system or "esi" in system or str(coding.get("display", "")).startswith("ESI")
        )
        if is_esi and code in LEVELS:
            return code
    return None


def parse_esi(text: str) -> str | None:
    match = _ESI.search(text)
    return match.group(1) if match else None


class EDTriage(PerRecordTemplate):
    name = "ed-triage"
    description = "presenting complaint + vitals → ESI level 1-5 with a one-line reason (labelled encounters)"

    def record_examples(self, record: PatientRecord, options: TaskConfig) -> Iterator[Example]:
        for encounter in facts.encounters(record):
            label = esi_label(encounter)
            if label is None:
                continue
            complaint = (
                facts.display(((encounter.get("reasonCode") or [None]) or [None])[0]) or "not documented"
            )
            vitals = facts.format_vitals(facts.vitals_for(record, str(encounter.get("id"))))
            prompt = f"Assign an Emergency Severity Index level.\nPresenting complaint: {complaint}\nVitals: {vitals}"
            reason = f"{complaint} with vitals {vitals}"
            yield Example(
                id=f"{record.patient_id}:triage:{encounter.get('id')}",
                patient_id=record.patient_id,
                task=self.name,
                messages=chat(prompt, f"ESI {label}: {reason}."),
                source=prompt,
                meta={"label": label},
            )

    def score(self, predictions: list[str], examples: list[Example]) -> dict[str, float]:
        gold = [e.meta["label"] for e in examples]
        predicted = [parse_esi(p) for p in predictions]
        n = len(gold) or 1
        f1s = []
        for level in LEVELS:
            tp = sum(p == g == level for p, g in zip(predicted, gold, strict=True))
            fp = sum(p == level != g for p, g in zip(predicted, gold, strict=True))
            fn = sum(g == level != p for p, g in zip(predicted, gold, strict=True))
            if tp + fp + fn:
                f1s.append(2 * tp / (2 * tp + fp + fn))
        under = sum(p is not None and int(p) > int(g) for p, g in zip(predicted, gold, strict=True))
        return {
            "accuracy": sum(p == g for p, g in zip(predicted, gold, strict=True)) / n,
            "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
            "under_triage_rate": under / n,
            "unparsed_rate": sum(p is None for p in predicted) / n,
        }
