from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.ingest.records import PatientRecord, load_records
from medfoundry.ingest.run import IngestConfig, run
from medfoundry.settings import Settings
from medfoundry.store.database import Store
from medfoundry.store.home import init_home
from medfoundry.synth import SynthOptions, write_bulk_ndjson


def _ingest(home: Path, source: Path) -> list[PatientRecord]:
    settings = Settings(home=home)
    init_home(settings)
    store = Store(settings)
    try:
        result = run(store, IngestConfig(source=source))
        version_artifact = store.get_artifact
        from medfoundry.dataset_versions import get_version

        version = get_version(store, result.dataset_version)
        assert version.artifact_id is not None and version_artifact(version.artifact_id)
        return list(load_records(store.open_artifact(version.artifact_id)))
    finally:
        store.close()


@pytest.fixture(scope="session")
def shared_records(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> list[PatientRecord]:
    """The shared Synthea Bulk export (13 patients, 1,215 notes), ingested for real."""
    return _ingest(tmp_path_factory.mktemp("home"), shared_data / "fhir" / "bulk-ndjson-10-patients")


@pytest.fixture(scope="session")
def synth_records(tmp_path_factory: pytest.TempPathFactory) -> list[PatientRecord]:
    """medfoundry's own generated export: has labelled ED encounters and vitals."""
    export = tmp_path_factory.mktemp("synth")
    write_bulk_ndjson(export, SynthOptions(patients=8, seed=3))
    return _ingest(tmp_path_factory.mktemp("home"), export)
