"""``deid run`` on the shared Synthea export, ingested by the real ingest stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.dataset_versions import get_version
from medfoundry.deid.config import DeidConfig
from medfoundry.deid.run import run
from medfoundry.ingest.records import load_records
from medfoundry.ingest.run import IngestConfig
from medfoundry.ingest.run import run as ingest
from medfoundry.store.database import Store

runner = CliRunner()


@pytest.fixture
def raw_version(store: Store, shared_data: Path, tmp_path: Path) -> str:
    """Three of the ten-patient export's patients (all their resources and notes)."""
    source = shared_data / "fhir" / "bulk-ndjson-10-patients"
    subset = tmp_path / "subset"
    subset.mkdir()
    patients = [json.loads(line) for line in (source / "Patient.000.ndjson").read_text().splitlines()[:3]]
    keep = {p["id"] for p in patients}
    for path in source.glob("*.ndjson"):
        if path.name == "log.ndjson":
            continue
        shared = path.name.startswith(("Practitioner", "Organization", "Location"))
        lines = [line for line in path.read_text().splitlines() if shared or any(k in line for k in keep)]
        (subset / path.name).write_text("\n".join(lines) + "\n")
    return ingest(store, IngestConfig(source=subset, name="synthea3")).dataset_version


def test_run_writes_a_clean_version_with_report_and_secret_offsets(store: Store, raw_version: str) -> None:
    result = run(store, raw_version, DeidConfig(), executor="serial")
    assert result.scan["passed"] and result.patients == 3 and result.notes > 0
    version = get_version(store, result.dataset_version)
    assert version.kind == "deidentified" and version.meta["phi_scan"] == {"passed": True, "hits": 0}
    raw = list(load_records(store.open_artifact(get_version(store, raw_version).artifact_id)))
    output = store.read_artifact(version.artifact_id).decode()
    report = store.read_artifact(result.report_artifact).decode()
    for record in raw:
        patient = record.patient or {}
        for name in patient.get("name", []):
            for part in [*name.get("given", []), name.get("family", "")]:
                assert part not in output and part not in report
        for address in patient.get("address", []):
            assert address["line"][0] not in output
        assert record.patient_id not in output
    assert sum(json.loads(report)["counts"]["NAME"].values()) > 0
    offsets = [a for a in _artifacts(store) if a.kind == "deid-date-offsets"]
    assert offsets and offsets[0].phi and offsets[0].encrypted
    events = store.audit.tail(20, action="deid.run")
    assert events and events[0].object_id == version.id and "Okafor" not in json.dumps(events[0].details)


def _artifacts(store: Store) -> list:  # type: ignore[type-arg]
    from sqlalchemy import select

    from medfoundry.store.models import Artifact

    with store.sessions() as session:
        return list(session.scalars(select(Artifact)))


def test_processes_give_the_same_bytes_as_serial(store: Store, raw_version: str) -> None:
    serial = run(store, raw_version, DeidConfig(), executor="serial")
    parallel = run(store, raw_version, DeidConfig(), executor="processes", workers=2)
    first, second = (get_version(store, r.dataset_version) for r in (serial, parallel))
    assert first.content_hash == second.content_hash


def test_cli_run_and_scan(store: Store, raw_version: str) -> None:
    result = runner.invoke(app, ["deid", "run", raw_version, "--executor", "serial", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    clean = runner.invoke(app, ["deid", "scan", document["dataset_version"], "--json"])
    assert clean.exit_code == 0 and json.loads(clean.stdout)["passed"]
    leaky = runner.invoke(app, ["deid", "scan", raw_version, "--json"])
    assert leaky.exit_code == 9 and json.loads(leaky.stdout)["hit_count"] > 0
    strict = runner.invoke(
        app, ["deid", "run", raw_version, "--executor", "serial", "--config", "strict-year-only", "--json"]
    )
    assert strict.exit_code == 0, strict.output
