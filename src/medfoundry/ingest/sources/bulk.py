"""Bulk Data ``$export``: kick-off, polling (202 + Content-Location, X-Progress), download.

Returns ``None`` when the server does not offer ``$export`` so the caller can search.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from medfoundry.errors import InputError
from medfoundry.ingest.sources import Incoming
from medfoundry.ingest.sources.ndjson import NdjsonSource

logger = logging.getLogger(__name__)
MAX_WAIT_S = 3600.0


def bulk_export(client: httpx.Client, base: str, folder: Path) -> Iterator[Incoming] | None:
    kickoff = client.get(
        f"{base}/Patient/$export",
        headers={"Accept": "application/fhir+json", "Prefer": "respond-async"},
        params={"_outputFormat": "application/fhir+ndjson"},
    )
    location = kickoff.headers.get("Content-Location")
    if kickoff.status_code != 202 or not location:
        logger.info("the server does not offer Bulk $export (HTTP %s); using search", kickoff.status_code)
        return None
    manifest = _poll(client, location)
    downloaded = 0
    for number, output in enumerate(manifest.get("output") or []):
        rtype, url = output.get("type"), output.get("url")
        if isinstance(rtype, str) and isinstance(url, str):
            _download(client, url, folder / f"{rtype}.{number:03d}.ndjson")
            downloaded += 1
    return iter(NdjsonSource(folder)) if downloaded else iter(())


def _poll(client: httpx.Client, location: str) -> dict[str, Any]:
    started = time.monotonic()
    while time.monotonic() - started < MAX_WAIT_S:
        status = client.get(location)
        if status.status_code == 200:
            return dict(status.json())
        if status.status_code != 202:
            raise InputError(f"{location}: Bulk $export failed (HTTP {status.status_code})")
        logger.info("bulk export in progress: %s", status.headers.get("X-Progress", "?"))
        time.sleep(_retry_after(status.headers.get("Retry-After")))
    raise InputError(f"{location}: Bulk $export did not finish within {MAX_WAIT_S:.0f} s")


def _download(client: httpx.Client, url: str, target: Path) -> None:
    with client.stream("GET", url, headers={"Accept": "application/fhir+ndjson"}) as response:
        if response.status_code != 200:
            raise InputError(f"{url}: downloading a Bulk $export file failed (HTTP {response.status_code})")
        with target.open("wb") as out:
            for piece in response.iter_bytes():
                out.write(piece)


def _retry_after(value: str | None) -> float:
    try:
        return min(max(float(value or 1), 0.1), 30.0)
    except ValueError:  # an HTTP date: poll again soon
        return 1.0
