"""A FHIR server over HTTP: Bulk ``$export`` where offered, else search.

Search path: ``Patient`` search paged through ``next`` links, then each patient's
resources with ``Patient/$everything`` where the server has it (else one search per
resource type), then the practitioners, organizations, ... they reference.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from medfoundry.errors import InputError
from medfoundry.ingest.problems import Where
from medfoundry.ingest.references import SHARED_TYPES, iter_references
from medfoundry.ingest.sources import Incoming, lineage_id
from medfoundry.ingest.sources.bulk import bulk_export

logger = logging.getLogger(__name__)

PATIENT_SEARCH_TYPES = (
    "AllergyIntolerance", "CarePlan", "CareTeam", "Claim", "Condition", "Device", "DiagnosticReport",
    "DocumentReference", "Encounter", "ExplanationOfBenefit", "Goal", "ImagingStudy", "Immunization",
    "MedicationAdministration", "MedicationRequest", "MedicationStatement", "Observation", "Procedure",
    "ServiceRequest",
)  # fmt: skip
UNSUPPORTED = (400, 404, 405, 501)


class ServerSource:
    kind = "fhir-server"
    total_bytes: int | None = None

    def __init__(self, base_url: str, *, token: str | None = None, page_size: int = 100) -> None:
        self.base = base_url.rstrip("/")
        self.page_size = page_size
        self.headers = {"Accept": "application/fhir+json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.everything: bool | None = None  # learnt from the first patient
        self.used_bulk = False

    def describe(self) -> str:
        return f"FHIR server {self.base}"

    def lineage_id(self) -> str:
        return lineage_id(self.kind, self.base, self.base.split("://")[-1])

    def __iter__(self) -> Iterator[Incoming]:
        with httpx.Client(headers=self.headers, timeout=60.0) as client:
            with tempfile.TemporaryDirectory(prefix="medfoundry-bulk-") as tmp:
                exported = bulk_export(client, self.base, Path(tmp))
                if exported is not None:
                    self.used_bulk = True
                    yield from exported
                    return
            yield from self._search_path(client)

    def _search_path(self, client: httpx.Client) -> Iterator[Incoming]:
        seen_shared: set[str] = set()
        for where, patient in self._pages(client, f"{self.base}/Patient?_count={self.page_size}"):
            yield Incoming(where, resource=patient)
            pid = patient.get("id") if isinstance(patient, dict) else None
            if not isinstance(pid, str):
                continue
            wanted: dict[str, None] = {}
            for item in self._patient_resources(client, pid):
                for ref in iter_references(item.resource):
                    if ref["reference"].partition("/")[0] in SHARED_TYPES:
                        wanted[ref["reference"]] = None
                if isinstance(item.resource, dict) and item.resource.get("resourceType") in SHARED_TYPES:
                    seen_shared.add(f"{item.resource['resourceType']}/{item.resource.get('id')}")
                yield item
            for key in wanted:
                if key not in seen_shared:
                    seen_shared.add(key)
                    yield from self._read(client, key)

    def _patient_resources(self, client: httpx.Client, pid: str) -> Iterator[Incoming]:
        if self.everything is not False:
            url = f"{self.base}/Patient/{pid}/$everything?_count={self.page_size}"
            first = client.get(url)
            if first.status_code in UNSUPPORTED and self.everything is None:
                logger.info("the server has no Patient/$everything; searching per resource type")
                self.everything = False
            else:
                self.everything = True
                for where, resource in self._pages(client, url, first):
                    if not (resource.get("resourceType") == "Patient" and resource.get("id") == pid):
                        yield Incoming(where, resource=resource)
                return
        for rtype in PATIENT_SEARCH_TYPES:
            url = f"{self.base}/{rtype}?patient=Patient/{pid}&_count={self.page_size}"
            for where, resource in self._pages(client, url, skip_unsupported=True):
                yield Incoming(where, resource=resource)

    def _pages(
        self,
        client: httpx.Client,
        url: str,
        first: httpx.Response | None = None,
        *,
        skip_unsupported: bool = False,
    ) -> Iterator[tuple[Where, Any]]:
        """Each entry's resource of a search, following ``next`` links."""
        next_url: str | None = url
        while next_url:
            response = first if first is not None else client.get(next_url)
            first = None
            if skip_unsupported and response.status_code in UNSUPPORTED:
                logger.info("search not supported by the server: %s", next_url.split("?")[0])
                return
            bundle = _json(response, next_url)
            for index, entry in enumerate(bundle.get("entry") or []):
                resource = entry.get("resource") if isinstance(entry, dict) else None
                if isinstance(resource, dict) and resource.get("resourceType") == "OperationOutcome":
                    continue
                yield Where(next_url, 1, f"$.entry[{index}].resource"), resource
            next_url = next(
                (ln.get("url") for ln in bundle.get("link") or [] if ln.get("relation") == "next"), None
            )

    def _read(self, client: httpx.Client, key: str) -> Iterator[Incoming]:
        url = f"{self.base}/{key}"
        response = client.get(url)
        if response.status_code == 200:
            yield Incoming(Where(url, 1), resource=_json(response, url))
        else:
            logger.info(
                "could not read a referenced %s (HTTP %s)", key.partition("/")[0], response.status_code
            )


def _json(response: httpx.Response, url: str) -> Any:
    if response.status_code in (401, 403):
        raise InputError(f"{url}: the FHIR server refused access (HTTP {response.status_code})",
                         hint="pass a valid bearer token with --token")  # fmt: skip
    if response.status_code >= 400:
        raise InputError(f"{url}: the FHIR server answered HTTP {response.status_code}",
                         hint="check the URL with curl; the base URL ends before the resource type")  # fmt: skip
    try:
        return response.json()
    except ValueError as exc:
        raise InputError(f"{url}: the FHIR server's answer is not JSON") from exc
