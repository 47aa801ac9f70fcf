"""A DICOMweb peer: QIDO-RS search and WADO-RS retrieval for ingest, STOW-RS for export.

Authentication: ``token`` is sent as a Bearer token; ``user:password@`` in the URL is
sent as HTTP Basic (Orthanc's ``RegisteredUsers``). Credentials never appear in
descriptions, errors or lineage.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from pydicom import dcmread, dcmwrite
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

from medfoundry.errors import DependencyMissing, InputError
from medfoundry.imaging.dicom.read import PREAMBLE, DicomInstance, Problem, check

STUDY_UID = "0020000D"
SERIES_UID = "0020000E"
SOP_UID = "00080018"
MULTIPART_DICOM = 'multipart/related; type="application/dicom"'


def public_url(url: str) -> str:
    """``url`` without its user:password part."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def _tag_value(item: dict, tag: str) -> str:  # type: ignore[type-arg]
    values = (item.get(tag) or {}).get("Value") or [""]
    return str(values[0])


class DicomwebPeer:
    """One DICOMweb server (its base URL, e.g. ``http://host:8042/dicom-web``)."""

    def __init__(self, url: str, *, token: str | None = None, timeout: float = 60.0) -> None:
        try:
            import requests
            from dicomweb_client.api import DICOMwebClient
        except ImportError as exc:
            raise DependencyMissing("dicomweb-client", extra="imaging", feature="DICOMweb") from exc
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(
                f"--dicomweb: '{public_url(url)}' is not an http(s) URL",
                hint="e.g. http://host:8042/dicom-web",
            )
        self.url = public_url(url)
        session = requests.Session()
        if parts.username:
            session.auth = (parts.username, parts.password or "")
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        self._timeout = timeout
        self._client = DICOMwebClient(url=self.url, session=session)
        # a few quick retries on 429/408/503/504 and dropped connections (its default waits up to ~30 s)
        self._client.set_http_retry_params(max_attempts=3, wait_exponential_multiplier=200)

    def _call(self, what: str, function, *args, **kwargs):  # type: ignore[no-untyped-def]
        import requests

        try:
            return function(*args, **kwargs)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else "?"
            hint = (
                "check --token, or user:password in the URL"
                if status in (401, 403)
                else "check the URL and that the server has DICOMweb enabled"
            )
            raise InputError(f"DICOMweb {what} at {self.url} failed: HTTP {status}", hint=hint) from None
        except requests.RequestException as exc:
            raise InputError(
                f"DICOMweb {what} at {self.url} failed: {type(exc).__name__}",
                hint="is the server running and reachable?",
            ) from None

    def studies(self) -> list[str]:
        """QIDO-RS: every study's UID."""
        found = self._call("study search (QIDO-RS)", self._client.search_for_studies)
        return [_tag_value(item, STUDY_UID) for item in found]

    def instances_of(self, study_uid: str) -> list[tuple[str, str]]:
        """QIDO-RS: (series UID, SOP instance UID) of each instance of a study."""
        found = self._call(
            "instance search (QIDO-RS)", self._client.search_for_instances, study_instance_uid=study_uid
        )
        return [(_tag_value(item, SERIES_UID), _tag_value(item, SOP_UID)) for item in found]

    def retrieve(self, study_uid: str, series_uid: str, sop_uid: str) -> bytes:
        """WADO-RS: one instance as Part 10 bytes, in the transfer syntax the server stores."""
        response = self._call(
            "instance retrieval (WADO-RS)",
            self._get,
            f"/studies/{study_uid}/series/{series_uid}/instances/{sop_uid}",
            accept=f"{MULTIPART_DICOM}; transfer-syntax=*",
        )
        parts = multipart_parts(response.content, response.headers.get("Content-Type", ""))
        if len(parts) != 1:
            raise InputError(
                f"DICOMweb instance retrieval at {self.url}: expected one part, got {len(parts)}"
            )
        return as_part10(parts[0])

    def _get(self, path: str, *, accept: str):  # type: ignore[no-untyped-def]
        response = self._client._session.get(
            self.url + path, headers={"Accept": accept}, timeout=self._timeout
        )
        response.raise_for_status()
        return response

    def read(self, study_uids: Iterable[str] | None = None) -> Iterator[DicomInstance | Problem]:
        """Every instance of the chosen (default: all) studies, retrieved and checked one at a time."""
        for study_number, study_uid in enumerate(study_uids or self.studies(), start=1):
            for number, (series_uid, sop_uid) in enumerate(self.instances_of(study_uid), start=1):
                where = f"{self.url} study {study_number} instance {number}"
                try:
                    data = self.retrieve(study_uid, series_uid, sop_uid)
                except InputError as exc:  # one instance the server cannot send: quarantined, the rest go on
                    yield Problem(where, exc.message)
                    continue
                yield check(data, where)

    def store(self, datasets: Iterable[Dataset]) -> int:
        """STOW-RS the datasets (one request each, so memory holds one); returns how many."""
        count = 0
        for ds in datasets:
            self._call("store (STOW-RS)", self._client.store_instances, datasets=[ds])
            count += 1
        return count


def multipart_parts(body: bytes, content_type: str) -> list[bytes]:
    """The bodies of a ``multipart/related`` response."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise InputError(f"DICOMweb response is not multipart (Content-Type {content_type!r})")
    delimiter = b"--" + match.group(1).encode()
    parts = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        header_end = chunk.find(b"\r\n\r\n")
        if header_end != -1:
            parts.append(chunk[header_end + 4 :].removesuffix(b"\r\n"))
    return parts


def as_part10(data: bytes) -> bytes:
    """A Part 10 file: servers (Orthanc 1.10) may send the file meta group without preamble and DICM."""
    if data[PREAMBLE : PREAMBLE + 4] == b"DICM":
        return data
    if data[:2] == b"\x02\x00":
        return b"\x00" * PREAMBLE + b"DICM" + data
    return to_part10(dcmread(io.BytesIO(data), force=True))


def to_part10(ds: Dataset) -> bytes:
    """``ds`` as a Part 10 file; missing file meta elements are filled from the dataset."""
    meta = getattr(ds, "file_meta", None) or FileMetaDataset()
    if not meta.get("MediaStorageSOPClassUID") and "SOPClassUID" in ds:
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
    if not meta.get("MediaStorageSOPInstanceUID") and "SOPInstanceUID" in ds:
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    if not meta.get("TransferSyntaxUID"):
        implicit = getattr(ds, "is_implicit_VR", None) or getattr(ds, "original_encoding", (None,))[0]
        meta.TransferSyntaxUID = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
    ds.file_meta = meta
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()
