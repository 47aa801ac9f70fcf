from __future__ import annotations

import re
from pathlib import Path

import pytest

from medfoundry.ingest.records import PatientRecord
from medfoundry.ingest.render import RENDERERS, render_record, timeline
from medfoundry.ingest.run import IngestConfig, read_records

BUNDLE = "bundles-r4-synthea-v2.4/Adalberto_Hartmann_44ec4447-9e2c-4eb9-bd4f-0bdb416b806e.json"


@pytest.fixture(scope="module")
def real_records(shared_data: Path) -> dict[str, PatientRecord]:
    """One real Synthea bundle and the real Bulk export, read as an import reads them."""
    fhir = shared_data / "fhir"
    found = list(read_records(IngestConfig(source=fhir / BUNDLE)))
    found += read_records(IngestConfig(source=fhir / "bulk-ndjson-10-patients"))
    return {record.patient_id: record for record in found}


def test_renderers_are_registered_per_resource_type() -> None:
    for rtype in ("Encounter", "Condition", "MedicationRequest", "Procedure", "Observation", "DiagnosticReport",
                  "AllergyIntolerance", "Immunization", "DocumentReference"):  # fmt: skip
        assert rtype in RENDERERS


def test_real_bundle_record_renders_codes_with_display_text(real_records: dict[str, PatientRecord]) -> None:
    record = real_records["ba18818d-faef-44cd-9744-b12d8973d402"]
    text = render_record(record)
    assert text.startswith("# Patient summary\n")
    assert "- Sex: male" in text and "- Born: 1949-11-29" in text
    assert "Appendicitis (SNOMED 74400008)" in text  # display text, with the code
    assert "Body Weight (LOINC 29463-7):" in text
    assert "## Timeline" in text
    dates = re.findall(r"^### (\d{4}-\d{2}-\d{2})$", text, flags=re.M)
    assert dates == sorted(dates) and len(dates) > 5


def test_rendering_is_deterministic_and_lists_every_timeline_resource(
    real_records: dict[str, PatientRecord],
) -> None:
    record = real_records["ba18818d-faef-44cd-9744-b12d8973d402"]
    shuffled = PatientRecord(
        record.patient_id, {k: list(reversed(v)) for k, v in reversed(record.resources.items())}, record.notes
    )
    assert render_record(record) == render_record(shuffled)
    renderable = sum(len(v) for k, v in record.resources.items() if k in RENDERERS)
    assert len(timeline(record)) == renderable


def test_real_bulk_record_renders_its_notes(real_records: dict[str, PatientRecord]) -> None:
    record = next(r for r in real_records.values() if len(r.notes) > 3 and "DocumentReference" in r.resources)
    text = render_record(record)
    assert "## Notes" in text
    assert text.count("### ") >= len(record.notes)
    first_note = sorted(record.notes, key=lambda n: (n.date or "", n.id))[0]
    assert first_note.text is not None and first_note.text.strip()[:40] in text
    assert "History and physical note (LOINC 34117-2)" in text or "Emergency department note" in text
