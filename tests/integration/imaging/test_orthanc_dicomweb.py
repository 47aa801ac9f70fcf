"""Against a real Orthanc: ingest with --dicomweb, de-identify, STOW-RS back, read with WADO-RS."""

from __future__ import annotations

import io

import pydicom
import pytest

from medfoundry.imaging.dicom.deidentify import DicomDeidentifier
from medfoundry.imaging.dicom.dicomweb import DicomwebPeer
from medfoundry.imaging.dicom.fastpath import deidentify_bytes
from medfoundry.imaging.dicom.known import known_identifiers, scan_header
from medfoundry.imaging.dicom.read import parse
from medfoundry.store.database import Store
from tests.integration.imaging.conftest import OrthancServer
from tests.unit.imaging.dicom.synthetic import cli_runner, fake_study, pydicom_test_files


@pytest.fixture
def run_cli(monkeypatch, capsys):  # type: ignore[no-untyped-def]
    return cli_runner(monkeypatch, capsys)


def _study_uids(server: OrthancServer) -> set[str]:
    studies = server.get("/dicom-web/studies").json()
    return {item["0020000D"]["Value"][0] for item in studies}


def test_unauthenticated_requests_are_refused(orthanc: OrthancServer) -> None:
    import httpx

    assert httpx.get(orthanc.base + "/dicom-web/studies", timeout=10).status_code == 401


def test_ingest_deidentify_stow_and_wado_round_trip(orthanc: OrthancServer, store: Store, run_cli) -> None:  # type: ignore[no-untyped-def]
    study = fake_study(seed=16, series=2, per_series=2)
    peer = DicomwebPeer(orthanc.dicomweb)
    assert peer.store(study.instances) == 4
    original_uid = str(study.instances[0].StudyInstanceUID)

    ingested = run_cli("data", "ingest", "--dicomweb", orthanc.dicomweb, "--name", "pacs", "--json")
    assert ingested.code == 0, ingested.stderr
    assert ingested.json()["instances"] >= 4 and ingested.json()["quarantined"] == 0
    assert orthanc.password not in ingested.stdout + ingested.stderr

    deid = run_cli("deid", "run", "pacs", "--json")
    assert deid.code == 0, deid.stderr
    assert deid.json()["scan"]["passed"] is True
    assert run_cli("deid", "scan", deid.json()["dataset_version"]).code == 0

    before = _study_uids(orthanc)
    pushed = run_cli(
        "data", "export", deid.json()["dataset_version"], "--dicomweb", orthanc.dicomweb, "--json"
    )
    assert pushed.code == 0, pushed.stderr
    new_studies = _study_uids(orthanc) - before
    assert new_studies and all(uid.startswith("2.25.") for uid in new_studies)

    # WADO-RS: each de-identified instance of the remapped study, read back from Orthanc
    remapped = [uid for uid in new_studies if peer.instances_of(uid) and len(peer.instances_of(uid)) == 4]
    assert len(remapped) == 1, "the 4-instance study keeps its structure under one remapped Study UID"
    series_seen = set()
    for series_uid, sop_uid in peer.instances_of(remapped[0]):
        back = parse(peer.retrieve(remapped[0], series_uid, sop_uid))
        assert back.PatientIdentityRemoved == "YES"
        assert scan_header(back, study.known).passed
        assert str(back.StudyInstanceUID) != original_uid
        series_seen.add(str(back.SeriesInstanceUID))
    assert len(series_seen) == study.series


def test_orthanc_accepts_every_deidentified_pydicom_test_file(orthanc: OrthancServer) -> None:
    """What deid run writes (the byte path, or pydicom's for other encodings), for every test file with SOP UIDs."""
    deidentifier = DicomDeidentifier(b"\x01" * 32)
    peer = DicomwebPeer(orthanc.dicomweb)
    outputs = []
    for path in pydicom_test_files():
        try:
            original = pydicom.dcmread(path)
        except Exception:
            continue  # not Part 10 (no DICM prefix): ingest does not take these files
        if not all(k in original for k in ("SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID")):
            continue  # Orthanc requires the three UIDs; ingest quarantines such files
        data = deidentify_bytes(path.read_bytes(), deidentifier)
        out = parse(data)
        assert scan_header(out, known_identifiers(original)).passed, path.name
        outputs.append((path.name, pydicom.dcmread(io.BytesIO(data))))
    assert len(outputs) >= 60
    for name, ds in outputs:
        assert peer.store([ds]) == 1, name
