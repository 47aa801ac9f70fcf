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


def test_credentials_never_appear_in_messages() -> None:
    peer = DicomwebPeer("http://someone:s3cret@127.0.0.1:9/dicom-web")
    assert "s3cret" not in peer.url
    with pytest.raises(InputError) as unreachable:
        peer.studies()
    assert "s3cret" not in str(unreachable.value) and "127.0.0.1:9" in str(unreachable.value)
