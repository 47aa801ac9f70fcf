"""The imaging index on both databases, and DICOMweb Bearer-token authentication."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from medfoundry.errors import InputError
from medfoundry.imaging.dicom.dicomweb import DicomwebPeer
from medfoundry.imaging.dicom.ingest import ingest_path
from medfoundry.imaging.dicom.store import iter_instances
from medfoundry.imaging.dicom.tables import ImagingInstance, ImagingSeries, ImagingStudy
from medfoundry.store.database import Store
from tests.unit.imaging.dicom.synthetic import fake_study, write_study

TOKEN = "t0k-for-tests"


def test_index_on_each_database(any_store: Store, tmp_path: Path) -> None:
    study = fake_study(21, series=3, per_series=2)
    write_study(study, tmp_path / "study")
    result = ingest_path(any_store, tmp_path / "study", name="mr")
    assert (result.studies, result.series, result.instances) == (1, 3, 6)
    with any_store.sessions() as session:
        for table, expected in ((ImagingStudy, 1), (ImagingSeries, 3), (ImagingInstance, 6)):
            count = session.scalar(
                select(func.count())
                .select_from(table)
                .where(table.dataset_version_id == result.dataset_version)
            )
            assert count == expected
    uids = [i.sop_instance_uid for i in iter_instances(any_store, result.dataset_version)]
    assert uids == [
        str(ds.SOPInstanceUID) for ds in study.instances
    ]  # ingest order, real UIDs from the artifacts


class _TokenServer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        ok = self.headers.get("Authorization") == f"Bearer {TOKEN}"
        body = json.dumps([] if ok else {"error": "unauthorized"}).encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/dicom+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def token_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _TokenServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/dicom-web"
    server.shutdown()
    server.server_close()


def test_bearer_token_is_sent_and_refusal_says_what_to_check(token_server: str) -> None:
    assert DicomwebPeer(token_server, token=TOKEN).studies() == []
    with pytest.raises(InputError) as refused:
        DicomwebPeer(token_server, token="wrong").studies()
    assert "HTTP 401" in str(refused.value) and "--token" in (refused.value.hint or "")
    assert "wrong" not in str(refused.value)


@pytest.mark.slow
def test_credentials_never_appear_in_messages() -> None:
    peer = DicomwebPeer("http://someone:s3cret@127.0.0.1:9/dicom-web")
    assert "s3cret" not in peer.url
    with pytest.raises(InputError) as unreachable:
        peer.studies()
    assert "s3cret" not in str(unreachable.value) and "127.0.0.1:9" in str(unreachable.value)


def _part(ds) -> bytes:  # type: ignore[no-untyped-def]
    import io

    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()[132:]  # as Orthanc 1.10 sends it: no preamble, no DICM


def test_wado_parts_without_preamble_and_a_missing_instance() -> None:
    study = fake_study(31, series=1, per_series=2)
    first, second = study.instances
    study_uid, series_uid = str(first.StudyInstanceUID), str(first.SeriesInstanceUID)
    boundary = "b0undary"

    class Server(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path, status, kind, body = self.path.split("?")[0], 200, "application/dicom+json", b""
            if path.endswith("/studies"):
                body = json.dumps([{"0020000D": {"vr": "UI", "Value": [study_uid]}}]).encode()
            elif path.endswith(f"/studies/{study_uid}/instances"):
                body = json.dumps([
                    {"0020000E": {"vr": "UI", "Value": [series_uid]}, "00080018": {"vr": "UI", "Value": [str(d.SOPInstanceUID)]}}
                    for d in (first, second)
                ]).encode()  # fmt: skip
            elif path.endswith(str(first.SOPInstanceUID)):
                kind = f'multipart/related; type="application/dicom"; boundary={boundary}'
                body = (f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode() + _part(first)
                        + f"\r\n--{boundary}--\r\n".encode())  # fmt: skip
            else:
                status = 404
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        items = list(DicomwebPeer(f"http://127.0.0.1:{server.server_port}/dicom-web").read())
    finally:
        server.shutdown()
        server.server_close()
    instance, problem = items
    assert instance.sop_instance_uid == str(first.SOPInstanceUID) and instance.pixels().shape == (8, 8)
    assert problem.source.endswith("study 1 instance 2") and "HTTP 404" in problem.reason
