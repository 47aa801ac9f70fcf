from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from medfoundry.audit import lineage
from medfoundry.dataset_versions import get_version, list_versions
from medfoundry.ingest.records import PatientRecord, load_records
from medfoundry.ingest.run import IngestConfig, IngestResult, run
from medfoundry.stage import StageEvent
from medfoundry.store.database import Store
from medfoundry.store.models import AuditEvent
from tests.unit.ingest.conftest import condition, patient, write_ndjson


def records_of(store: Store, result: IngestResult) -> dict[str, PatientRecord]:
    version = get_version(store, result.dataset_version)
    return {r.patient_id: r for r in load_records(store.open_artifact(version.artifact_id))}


def test_ndjson_export_groups_per_patient_and_resolves_conditional_references(
    any_store: Store, small_export: Path
) -> None:
    result = run(any_store, IngestConfig(source=small_export))
    assert (result.patients, result.resources_read, result.resources_kept, result.quarantined) == (
        2,
        10,
        10,
        0,
    )
    assert (result.notes, result.notes_decoded) == (2, 2)
    assert result.dataset == "export"
    records = records_of(any_store, result)
    p1 = records["p1"]
    assert p1.patient is not None and p1.patient["name"][0]["given"] == ["Ada"]
    assert [r["id"] for r in p1.resources["Encounter"]] == ["e1"]
    ref = p1.resources["Encounter"][0]["participant"][0]["individual"]["reference"]
    assert ref == "Practitioner/pr-111"  # resolved by identifier
    assert [r["id"] for r in p1.resources["Practitioner"]] == ["pr-111"]  # attached shared resource
    assert p1.notes[0].text == "Ada has a cough."
    assert result.unresolved_references == 0


def test_version_artifact_lineage_and_audit(any_store: Store, small_export: Path) -> None:
    result = run(any_store, IngestConfig(source=small_export, name="ward-7"))
    version = get_version(any_store, "ward-7@1")
    assert version.id == result.dataset_version and version.kind == "raw"
    artifact = any_store.get_artifact(version.artifact_id)
    assert artifact.phi and artifact.encrypted
    on_disk = (any_store.settings.artifacts_dir / artifact.relpath).read_bytes()
    assert b"Ada" not in on_disk  # encrypted at rest
    assert version.counts["resources_kept"] == 10 and version.counts["by_type"]["Patient"]["read"] == 2
    parents = {node.id for node in lineage.show(any_store, version.id).parents}
    assert any(p.startswith("source:fhir-ndjson/export#") and len(p) <= 64 for p in parents)
    with any_store.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "ingest.import")).all()
    assert [e.object_id for e in events] == [version.id]
    assert "Ada" not in json.dumps(events[0].details)


def test_bad_lines_are_quarantined_with_file_line_and_path(
    store: Store, small_export: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad_date = {**condition("c9", "p1", "2019"), "onsetDateTime": "Ada's birthday"}
    cond_file = write_ndjson(
        small_export,
        "Condition",
        [condition("c1", "p1", "2019-06-01"), b"{not json", bad_date, {"resourceType": "MedicationOrder"}],
    )
    result = run(store, IngestConfig(source=small_export))
    assert result.quarantined == 3
    assert result.resources_kept == result.resources_read - 3
    assert result.by_type["Condition"] == {"read": 2, "kept": 1, "quarantined": 1}
    quarantine = result.quarantine
    assert quarantine is not None and quarantine["count"] == 3
    entries = [orjson.loads(line) for line in store.read_artifact(quarantine["artifact"]).splitlines()]
    where = [(e["problems"][0]["file"], e["problems"][0]["line"], e["problems"][0]["path"]) for e in entries]
    assert where == [
        (str(cond_file), 2, "$"),
        (str(cond_file), 3, "$.onsetDateTime"),
        (str(cond_file), 4, "$.resourceType"),
    ]
    assert "DSTU2" in entries[2]["problems"][0]["reason"]
    assert entries[1]["input"].startswith('{"resourceType":"Condition"')  # the original line, for repair
    assert store.get_artifact(quarantine["artifact"]).encrypted
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert f"{cond_file}:3: $.onsetDateTime" in messages
    assert "birthday" not in messages  # no values in logs


def test_interrupted_import_leaves_no_dataset_version(store: Store, small_export: Path) -> None:
    write_ndjson(small_export, "Condition", [condition(f"c{i}", "p1", "2019") for i in range(5000)])

    def interrupt(event: StageEvent) -> None:
        assert event.stage == "ingest" and event.unit == "bytes"
        if event.values["resources"] >= 2000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(store, IngestConfig(source=small_export), on_event=interrupt)
    assert list_versions(store) == []
    leftovers = [p for p in store.settings.artifacts_dir.rglob("*") if p.is_file()]
    assert leftovers == []


def test_strict_mode_quarantines_what_r4b_models_reject(store: Store, small_export: Path) -> None:
    pytest.importorskip("fhir.resources")
    write_ndjson(small_export, "Patient", [patient("p1"), {**patient("p2"), "gender": 5}])
    assert run(store, IngestConfig(source=small_export)).quarantined == 0  # structural check lets it through
    result = run(store, IngestConfig(source=small_export, strict=True))
    assert result.quarantined == 1 and result.quarantine is not None
    (entry,) = [
        orjson.loads(line) for line in store.read_artifact(result.quarantine["artifact"]).splitlines()
    ]
    assert entry["problems"][0]["path"] == "$.gender" and entry["problems"][0]["line"] == 2


def test_orphan_resource_without_patient_link_is_quarantined(store: Store, small_export: Path) -> None:
    orphan = {k: v for k, v in condition("c5", "p1", "2019").items() if k != "subject"}
    write_ndjson(small_export, "Condition", [orphan])
    result = run(store, IngestConfig(source=small_export))
    assert result.quarantined == 1


def test_import_is_deterministic(store: Store, small_export: Path) -> None:
    first = run(store, IngestConfig(source=small_export))
    second = run(store, IngestConfig(source=small_export))
    assert first.sha256 == second.sha256 and second.version == 2
