"""A real FHIR server on loopback: medplum's in-memory router (tests/fhir_server/)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER_DIR = Path(__file__).resolve().parents[2] / "fhir_server"
TOKEN = "test-token-not-a-secret"


@dataclass
class FhirServer:
    url: str
    token: str


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the FHIR test server cannot start in CI: {reason}")
    pytest.skip(reason)


@contextmanager
def _running_server(*extra: str) -> Iterator[FhirServer]:
    """Starts ``node server.mjs`` on a free loopback port (port 0), stops it afterwards."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed (Node 20+ runs the FHIR test server)")
    if not (SERVER_DIR / "node_modules" / "@medplum" / "fhir-router").is_dir():
        _unavailable(f"run 'npm ci' in {SERVER_DIR} (scripts/test.sh does it)")
    process = subprocess.Popen(
        [str(node), "server.mjs", "--port", "0", "--token", TOKEN, *extra],
        cwd=SERVER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "listening http://127.0.0.1:PORT/fhir/R4"
        if not line.startswith("listening "):
            stderr = process.stderr.read() if process.stderr else ""
            pytest.fail(f"the FHIR test server did not start: {line!r} {stderr[-2000:]}")
        yield FhirServer(url=line.split()[1], token=TOKEN)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def fhir_server() -> Iterator[FhirServer]:
    """Medplum's router as it is: no $everything, no $export."""
    with _running_server() as server:
        yield server


@pytest.fixture(scope="module")
def bulk_fhir_server() -> Iterator[FhirServer]:
    """The same server with the script's Bulk Data $export enabled (--bulk-export)."""
    with _running_server("--bulk-export") as server:
        yield server
