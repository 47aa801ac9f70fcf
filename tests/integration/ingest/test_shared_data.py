"""All of the shared real FHIR data ingests with nothing quarantined and every note decoded."""

from __future__ import annotations

from pathlib import Path

import orjson

from medfoundry.ingest.run import IngestConfig, run
from medfoundry.store.database import Store
from tests.unit.ingest.test_run import records_of


def test_bulk_export_ingests_cleanly(store: Store, shared_data: Path) -> None:
    folder = shared_data / "fhir" / "bulk-ndjson-10-patients"
    expected = {p.name.split(".")[0]: len(p.read_bytes().splitlines()) for p in folder.glob("[A-Z]*.ndjson")}
    result = run(store, IngestConfig(source=folder))
    assert result.quarantined == 0 and result.unresolved_references == 0
    assert result.resources_read == result.resources_kept == sum(expected.values()) == 7160
    assert {t: c["kept"] for t, c in result.by_type.items()} == expected
    assert result.patients == expected["Patient"] == 13
    assert result.notes == result.notes_decoded == expected["DocumentReference"] == 1215
    records = records_of(store, result)
    assert all(note.text and note.text.strip() for r in records.values() for note in r.notes)
    assert sum(len(r.notes) for r in records.values()) == 1215


def test_all_bundles_ingest_cleanly(store: Store, shared_data: Path) -> None:
    folder = shared_data / "fhir" / "bundles-r4-synthea-v2.4"
    files = sorted(folder.glob("*.json"))
    entries = sum(len(orjson.loads(p.read_bytes())["entry"]) for p in files)
    result = run(store, IngestConfig(source=folder))
    assert len(files) == 38
    assert result.quarantined == 0 and result.unresolved_references == 0
    assert result.resources_read == result.resources_kept == entries == 4415
    assert result.patients == 38
    records = records_of(store, result)
    references = [
        ref for r in records.values() for rs in r.resources.values() for res in rs
        for ref in orjson.dumps(res).decode().split('"reference":"')[1:]
    ]  # fmt: skip
    assert references and not any(ref.startswith("urn:uuid:") for ref in references)
