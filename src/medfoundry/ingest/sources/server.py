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

# Resource type -> the search parameter naming its patient (``subject`` where the
# element is Reference(Patient|Group|...): it is cheaper than ``patient`` on many servers).
_BY_PATIENT = "AllergyIntolerance Claim Device ExplanationOfBenefit Immunization"
_BY_SUBJECT = (
    "CarePlan CareTeam Condition DiagnosticReport DocumentReference Encounter Goal ImagingStudy "
    "MedicationAdministration MedicationRequest MedicationStatement Observation Procedure ServiceRequest"
)
PATIENT_SEARCH: dict[str, str] = dict.fromkeys(_BY_PATIENT.split(), "patient") | dict.fromkeys(
    _BY_SUBJECT.split(), "subject"
)
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
        for url, bundle in self._bundles(client, f"{self.base}/Patient?_count={self.page_size}"):
            patients = list(_entries(url, bundle))
            yield from (Incoming(where, resource=patient) for where, patient in patients)
            pids = [p["id"] for _, p in patients if isinstance(p, dict) and isinstance(p.get("id"), str)]
            wanted: dict[str, None] = {}
            for item in self._resources_of(client, pids):
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

    def _resources_of(self, client: httpx.Client, pids: list[str]) -> Iterator[Incoming]:
        """One page of patients' resources: $everything per patient, else one search per type."""
        for pid in pids:
            if self.everything is False:
                break
            url = f"{self.base}/Patient/{pid}/$everything?_count={self.page_size}"
            first = client.get(url)
            if first.status_code in UNSUPPORTED and self.everything is None:
                logger.info("the server has no Patient/$everything; searching per resource type")
                self.everything = False
                break
            self.everything = True
            for page_url, bundle in self._bundles(client, url, first):
                for where, resource in _entries(page_url, bundle):
                    if not (
                        isinstance(resource, dict)
                        and resource.get("resourceType") == "Patient"
                        and resource.get("id") == pid
                    ):
                        yield Incoming(where, resource=resource)
        if self.everything is False and pids:
            refs = ",".join(f"Patient/{pid}" for pid in pids)  # OR search: one request per type per page
            for rtype, param in sorted(PATIENT_SEARCH.items()):
                url = f"{self.base}/{rtype}?{param}={refs}&_count={self.page_size}"
                for page_url, bundle in self._bundles(client, url, skip_unsupported=True):
                    yield from (Incoming(where, resource=r) for where, r in _entries(page_url, bundle))

    def _bundles(
        self,
        client: httpx.Client,
        url: str,
        first: httpx.Response | None = None,
        *,
        skip_unsupported: bool = False,
    ) -> Iterator[tuple[str, Any]]:
        """Each page (URL, Bundle) of a search, following ``next`` links."""
        next_url: str | None = url
        while next_url:
            response = first if first is not None else client.get(next_url)
            first = None
            if skip_unsupported and response.status_code in UNSUPPORTED:
                logger.info("search not supported by the server: %s", next_url.split("?")[0])
                return
            bundle = _json(response, next_url)
            yield next_url, bundle
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


def _entries(url: str, bundle: Any) -> Iterator[tuple[Where, Any]]:
    for index, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "OperationOutcome":
            continue
        yield Where(url, 1, f"$.entry[{index}].resource"), resource


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
