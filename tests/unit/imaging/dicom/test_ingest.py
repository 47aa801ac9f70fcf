"""DICOM ingest: decoding, quarantine, the index, lazy reading, and the CLI from ingest to export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydicom
import pytest
from sqlalchemy import select

from medfoundry.imaging.dicom import read
from medfoundry.imaging.dicom.known import scan_header
from medfoundry.imaging.dicom.read import DicomInstance, Problem, check, dicom_files, read_instances
from medfoundry.imaging.dicom.store import iter_instances
from medfoundry.imaging.dicom.tables import ImagingInstance, ImagingSeries, ImagingStudy
from medfoundry.store.database import Store
from tests.unit.imaging.dicom.synthetic import cli_runner, fake_study, pydicom_test_files, write_study

SYNTAX_FILES = {  # transfer syntax family -> a pydicom test file in it
    "uncompressed": "CT_small.dcm",
    "RLE": "MR_small_RLE.dcm",
    "JPEG baseline": "SC_rgb_jpeg_dcmd.dcm",
    "JPEG extended": "JPGExtended.dcm",
    "JPEG-LS": "MR_small_jpeg_ls_lossless.dcm",
    "JPEG 2000": "MR_small_jp2klossless.dcm",
    "deflate": "image_dfl.dcm",
}


@pytest.fixture
def run_cli(monkeypatch, capsys):  # type: ignore[no-untyped-def]
    return cli_runner(monkeypatch, capsys)


def _test_file(name: str) -> Path:
    return next(p for p in pydicom_test_files() if p.name == name)


@pytest.mark.parametrize("family", sorted(SYNTAX_FILES))
def test_each_transfer_syntax_decodes(family: str) -> None:
    result = check(_test_file(SYNTAX_FILES[family]).read_bytes(), "f.dcm")
    assert isinstance(result, DicomInstance), result
    pixels = result.pixels()
    assert pixels.shape[-2:] == (result.rows, result.columns) or pixels.shape[-3:-1] == (
        result.rows,
        result.columns,
    )


def test_broken_files_are_quarantined_with_file_and_reason(tmp_path: Path) -> None:
    truncated = check(_test_file("MR_truncated.dcm").read_bytes(), "MR_truncated.dcm")
    assert isinstance(truncated, Problem)
    assert truncated.source == "MR_truncated.dcm" and "Explicit VR Little Endian" in truncated.reason
    garbage = tmp_path / "junk.dcm"
    garbage.write_bytes(b"\x00" * 128 + b"DICM" + b"\xff" * 50)
    problem = next(iter(read_instances([garbage])))
    assert isinstance(problem, Problem) and "junk.dcm" in problem.source
    lossy = check(_test_file("JPEG-lossy.dcm").read_bytes(), "JPEG-lossy.dcm")
    assert isinstance(lossy, Problem) and "JPEG" in lossy.transfer_syntax


def test_a_folder_is_read_one_instance_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _test_file("CT_small.dcm")
    for i in range(40):
        shutil.copy(source, tmp_path / f"{i:03d}.dcm")
    (tmp_path / "notes.txt").write_text("not dicom")
    opened: list[str] = []
    decoded: list[str] = []
    real_decode = read.decode_pixels
    real_read = Path.read_bytes

    def counting_read(self: Path) -> bytes:
        opened.append(self.name)
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", counting_read)
    monkeypatch.setattr(read, "decode_pixels", lambda ds: (decoded.append("x"), real_decode(ds))[1])
    items = read_instances(dicom_files(tmp_path), root=tmp_path)
    assert opened == []  # nothing is read before the first instance is asked for
    first = next(items)
    assert opened == ["000.dcm"] and len(decoded) == 1
    assert isinstance(first, DicomInstance)
    second = next(items)
    assert opened == ["000.dcm", "001.dcm"] and len(decoded) == 2
    assert not hasattr(first.dataset, "_pixel_array") or first.dataset._pixel_array is None
    assert sum(1 for _ in items) == 38  # the text file is not DICOM and is skipped
    assert isinstance(second, DicomInstance)


def test_ingest_deid_scan_export_from_the_cli(store: Store, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    study = fake_study(7, series=2, per_series=3)
    write_study(study, tmp_path / "in" / "study")
    shutil.copy(_test_file("MR_truncated.dcm"), tmp_path / "in" / "broken.dcm")

    ingested = run_cli("data", "ingest", str(tmp_path / "in"), "--name", "ct", "--json")
    assert ingested.code == 0, ingested.stderr
    doc = ingested.json()
    assert (doc["studies"], doc["series"], doc["instances"], doc["quarantined"]) == (1, 2, 6, 1)
    assert doc["problems"][0]["file"] == "broken.dcm" and "cannot be decoded" in doc["problems"][0]["reason"]
    with store.sessions() as session:
        rows = session.scalars(select(ImagingInstance)).all()
        assert {r.modality for r in rows} == {"CT"} and {r.body_part for r in rows} == {"CHEST"}
        assert all(r.study_uid.startswith("2.25.") and r.size_bytes > 0 for r in rows)
        assert session.scalars(select(ImagingSeries)).all()[0].instance_count == 3
        assert session.scalars(select(ImagingStudy)).one().series_count == 2
    raw = list(iter_instances(store, "ct"))
    assert [str(i.dataset.PatientName) for i in raw][:1] == [str(study.instances[0].PatientName)]
    for artifact in {r.artifact_id for r in rows}:
        assert store.get_artifact(artifact).encrypted

    assert run_cli("deid", "scan", "ct").code == 9  # raw data holds its identifiers
    deid = run_cli("deid", "run", "ct", "--json")
    assert deid.code == 0, deid.stderr
    assert deid.json()["instances"] == 6 and deid.json()["scan"]["passed"]
    assert run_cli("deid", "scan", "ct@2").code == 0

    refused = run_cli("data", "export", "ct@1", "-o", str(tmp_path / "out"))
    assert refused.code != 0 and "de-identified" in refused.stderr
    exported = run_cli("data", "export", "ct@2", "-o", str(tmp_path / "out"), "--json")
    assert exported.code == 0 and exported.json()["instances"] == 6
    files = sorted((tmp_path / "out").rglob("*.dcm"))
    assert (
        len(files) == 6 and len({f.parent for f in files}) == 2 and len({f.parent.parent for f in files}) == 1
    )
    for path in files:
        ds = pydicom.dcmread(path)
        assert ds.PatientIdentityRemoved == "YES" and scan_header(ds, study.known).passed
        ds.pixel_array  # noqa: B018 - the pixels survive
    assert run_cli("deid", "scan", str(tmp_path / "out")).code == 0


def test_no_header_value_reaches_the_logs(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from medfoundry.datasets.versions import get_version
    from medfoundry.deid.config import DeidConfig
    from medfoundry.imaging.dicom.deid_run import run_dicom_deid
    from medfoundry.imaging.dicom.ingest import ingest_path
    from medfoundry.imaging.dicom.profile import DicomDeidOptions

    study = fake_study(12, series=1, per_series=1)
    family = str(study.instances[0].PatientName).split("^")[0]
    study.instances[
        0
    ].FrameOfReferenceUID = f"1.2.{family}"  # not a valid UI: pydicom warns on read, quoting it
    write_study(study, tmp_path / "s")
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    result = ingest_path(store, tmp_path / "s", name="logs")
    run_dicom_deid(store, get_version(store, result.dataset_version), DeidConfig(), DicomDeidOptions())
    assert family not in caplog.text
