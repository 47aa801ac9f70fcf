"""The FHIR-server source against a real FHIR server (no mocked HTTP)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx
import orjson
import pytest

from medfoundry.errors import InputError
from medfoundry.ingest.run import IngestConfig, run
from medfoundry.ingest.sources.server import ServerSource
from medfoundry.store.database import Store
from tests.integration.ingest.conftest import FhirServer
from tests.unit.ingest.test_run import records_of

BUNDLES = 5


def post_bundles(server: FhirServer, shared_data: Path) -> Counter[str]:
    """Posts the smallest real Synthea transaction bundles; returns the resource types created."""
    created: Counter[str] = Counter()
    headers = {"Authorization": f"Bearer {server.token}", "Content-Type": "application/fhir+json"}
    paths = sorted(
        (shared_data / "fhir" / "bundles-r4-synthea-v2.4").glob("*.json"), key=lambda p: p.stat().st_size
    )
    for path in paths[:BUNDLES]:
        response = httpx.post(server.url, content=path.read_bytes(), headers=headers, timeout=60)
        assert response.status_code == 200, response.text[:500]
        created.update(e["resource"]["resourceType"] for e in orjson.loads(path.read_bytes())["entry"])
    return created


@pytest.fixture(scope="module")
def loaded(fhir_server: FhirServer, shared_data: Path) -> Counter[str]:
    return post_bundles(fhir_server, shared_data)


def test_ingest_from_server_pages_through_patients_and_their_resources(
    store: Store, fhir_server: FhirServer, loaded: Counter[str]
) -> None:
    config = IngestConfig(fhir_url=fhir_server.url, token=fhir_server.token, page_size=2)  # forces paging
    result = run(store, config)
    assert result.patients == loaded["Patient"] == BUNDLES
    assert result.quarantined == 0 and result.unresolved_references == 0
    by_type = {t: c["kept"] for t, c in result.by_type.items()}
    clinical = {t: n for t, n in loaded.items() if t not in ("Organization", "Practitioner")}
    assert {t: by_type.get(t, 0) for t in clinical} == clinical  # every patient resource, across pages
    assert (
        by_type["Practitioner"] <= loaded["Practitioner"]
        and by_type["Organization"] <= loaded["Organization"]
    )
    records = records_of(store, result)
    for record in records.values():
        assert record.patient is not None
        assert all(
            r["subject"]["reference"] == f"Patient/{record.patient_id}"
            for r in record.resources.get("Encounter", [])
        )
    assert result.source == f"FHIR server {fhir_server.url}"


def test_server_has_no_everything_or_bulk_export_so_search_is_used(
    fhir_server: FhirServer, loaded: Counter[str]
) -> None:
    source = ServerSource(fhir_server.url, token=fhir_server.token, page_size=50)
    items = list(source)
    assert source.used_bulk is False  # medplum's router answers $export with 404
    assert source.everything is False  # ... and Patient/$everything too: per-type search
    assert sum(1 for item in items if item.resource["resourceType"] == "Patient") == BUNDLES


def test_wrong_token_is_a_clear_error(store: Store, fhir_server: FhirServer, loaded: Counter[str]) -> None:
    with pytest.raises(InputError, match="refused access"):
        run(store, IngestConfig(fhir_url=fhir_server.url, token="wrong"))


def test_bulk_export_kickoff_polling_and_download(
    store: Store, bulk_fhir_server: FhirServer, shared_data: Path
) -> None:
    loaded = post_bundles(bulk_fhir_server, shared_data)
    source = ServerSource(bulk_fhir_server.url, token=bulk_fhir_server.token)
    result = run(store, IngestConfig(fhir_url=bulk_fhir_server.url, token=bulk_fhir_server.token))
    assert result.patients == BUNDLES and result.quarantined == 0 and result.unresolved_references == 0
    assert {t: c["kept"] for t, c in result.by_type.items()} == dict(loaded)  # everything, via NDJSON files
    items = list(source)
    assert source.used_bulk is True and source.everything is None  # no search was needed
    assert len(items) == sum(loaded.values())
