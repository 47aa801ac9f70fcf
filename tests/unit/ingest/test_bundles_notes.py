from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

from medfoundry.ingest.run import IngestConfig, run
from medfoundry.store.database import Store
from tests.unit.ingest.conftest import condition, encounter, patient
from tests.unit.ingest.test_run import records_of


def transaction(entries: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": url, "resource": r, "request": {"method": "POST", "url": r["resourceType"]}}
            for url, r in entries
        ],
    }


def test_bundle_urn_uuid_references_resolve_inside_the_bundle(store: Store, tmp_path: Path) -> None:
    pat = {k: v for k, v in patient("ignored").items() if k != "id"}  # transaction entries may lack ids
    enc = encounter("e1", "x", "2020-01-02T10:00:00Z")
    enc["subject"] = {"reference": "urn:uuid:aaaa-1"}
    enc["participant"] = []
    cond = {
        **condition("c1", "x", "2020"),
        "subject": {"reference": "urn:uuid:aaaa-1"},
        "encounter": {"reference": "urn:uuid:bbbb-2"},
    }
    folder = tmp_path / "bundles"
    folder.mkdir()
    bundle = transaction([("urn:uuid:aaaa-1", pat), ("urn:uuid:bbbb-2", enc), ("urn:uuid:cccc-3", cond)])
    (folder / "one.json").write_text(json.dumps(bundle, indent=2))
    result = run(store, IngestConfig(source=folder))
    assert (result.patients, result.resources_kept, result.quarantined) == (1, 3, 0)
    record = records_of(store, result)["aaaa-1"]
    assert record.resources["Condition"][0]["encounter"]["reference"] == "Encounter/e1"
    assert record.resources["Encounter"][0]["subject"]["reference"] == "Patient/aaaa-1"


def test_bundle_errors_name_file_line_and_entry_path(store: Store, tmp_path: Path) -> None:
    bad = {**condition("c1", "p1", "2020"), "onsetDateTime": "soon"}
    folder = tmp_path / "bundles"
    folder.mkdir()
    good_file = folder / "a.json"
    good_file.write_text(
        json.dumps(transaction([("urn:uuid:p1", patient("p1")), ("urn:uuid:c1", bad)]), indent=2)
    )
    (folder / "b.json").write_text('{"resourceType": "Bundle", "type": "transaction", "entry": [')
    (folder / "c.json").write_text(json.dumps({"resourceType": "Patient", "id": "p"}))
    result = run(store, IngestConfig(source=folder, format="bundle"))
    assert result.quarantined == 3 and result.resources_kept == 1
    assert result.quarantine is not None
    problems = [
        orjson.loads(x)["problems"][0]
        for x in store.read_artifact(result.quarantine["artifact"]).splitlines()
    ]
    first = problems[0]
    line_of_entry = first["line"]
    assert first["file"] == str(good_file) and first["path"] == "$.entry[1].resource.onsetDateTime"
    assert (
        good_file.read_text().splitlines()[line_of_entry - 1].strip().startswith('"fullUrl": "urn:uuid:c1"')
    )
    assert problems[1]["file"].endswith("b.json") and problems[1]["reason"].startswith("invalid JSON")
    assert problems[2]["file"].endswith("c.json") and "not a FHIR Bundle" in problems[2]["reason"]


def test_notes_jsonl_with_column_mapping(store: Store, tmp_path: Path) -> None:
    from medfoundry.ingest.sources.notes_files import NoteColumns

    path = tmp_path / "notes.jsonl"
    rows = [
        {"mrn": "A1", "body": "Chest pain since morning.", "when": "2024-01-02", "nid": "n1"},
        {"mrn": "A2", "body": "Follow-up visit.", "when": "2024-02-03", "nid": "n2"},
        {"mrn": "A1", "body": ""},
        {"mrn": "A1", "body": "Discharged.", "when": "2024-01-05", "nid": "n3"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    columns = NoteColumns(text="body", patient="mrn", date="when", id="nid")
    result = run(store, IngestConfig(source=path, columns=columns))
    assert (result.patients, result.notes, result.quarantined) == (2, 3, 1)
    records = records_of(store, result)
    assert [n.id for n in records["A1"].notes] == ["n1", "n3"]
    assert records["A1"].notes[0].date == "2024-01-02"
    assert result.quarantine is not None and result.quarantine["by_reason"] == {
        "missing or empty column 'body'": 1
    }


def test_notes_csv(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('patient_id,text,title\nP1,"Line one\nline two",Consult\nP2,Short note,\n')
    result = run(store, IngestConfig(source=path))
    assert (result.patients, result.notes, result.quarantined) == (2, 2, 0)
    note = records_of(store, result)["P1"].notes[0]
    assert note.text == "Line one\nline two" and note.title == "Consult" and note.source == "notes.csv:2"
    assert records_of(store, result)["P2"].notes[0].source == "notes.csv:4"
