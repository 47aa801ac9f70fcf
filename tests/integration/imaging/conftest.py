"""A real Orthanc (Debian's orthanc + orthanc-dicomweb) on loopback with authentication."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

DICOMWEB_PLUGIN = Path("/usr/share/orthanc/plugins/libOrthancDicomWeb.so")


@dataclass(frozen=True)
class OrthancServer:
    base: str  # http://127.0.0.1:PORT
    user: str
    password: str

    @property
    def dicomweb(self) -> str:
        """The DICOMweb root with Basic credentials in the URL (what --dicomweb takes)."""
        host = self.base.removeprefix("http://")
        return f"http://{self.user}:{self.password}@{host}/dicom-web"

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.base + path, auth=(self.user, self.password), timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _orthanc_binary() -> str | None:
    found = shutil.which("Orthanc") or shutil.which("Orthanc", path="/usr/sbin:/usr/bin")
    if found is None or not DICOMWEB_PLUGIN.exists():
        message = (
            "Orthanc with its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb)"
        )
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must run the DICOMweb tests against a real Orthanc")
        return None
    return found


@pytest.fixture(scope="session")
def orthanc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrthancServer]:
    binary = _orthanc_binary()
    if binary is None:
        pytest.skip("Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)")
    root = tmp_path_factory.mktemp("orthanc")
    port, password = _free_port(), secrets.token_urlsafe(16)
    config = {
        "Name": "medfoundry-test", "HttpPort": port, "RemoteAccessAllowed": False,
        "AuthenticationEnabled": True, "RegisteredUsers": {"medfoundry": password},
        "DicomServerEnabled": False, "StorageDirectory": str(root / "storage"), "IndexDirectory": str(root / "index"),
        "Plugins": [str(DICOMWEB_PLUGIN)], "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
        "HttpTimeout": 60, "StableAge": 1,
    }  # fmt: skip
    (root / "orthanc.json").write_text(json.dumps(config))
    log = (root / "orthanc.log").open("wb")
    process = subprocess.Popen([binary, str(root / "orthanc.json")], stdout=log, stderr=subprocess.STDOUT)
    server = OrthancServer(f"http://127.0.0.1:{port}", "medfoundry", password)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if server.get("/system").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Orthanc did not start: {(root / 'orthanc.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
