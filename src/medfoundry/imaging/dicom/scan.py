"""``medfoundry deid scan`` for DICOM: every header string (sequences and file meta included)
searched for the identifiers of the source header.

A de-identified version is paired instance by instance with its raw ancestor (same order);
a raw version is scanned against itself (it fails, as raw data should); files and folders
are scanned against ``known`` identifiers, or for generic identifier shapes without them.
"""

from __future__ import annotations

from pathlib import Path

from medfoundry.deid.scan import ScanResult
from medfoundry.deid.scan_sources import raw_ancestor
from medfoundry.deid.spans import KnownPHI
from medfoundry.imaging.dicom.known import known_identifiers, scan_header, walk_strings
from medfoundry.imaging.dicom.read import Problem, dicom_files, read_instances
from medfoundry.imaging.dicom.store import iter_instances
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion


def scan_dicom_version(store: Store, version: DatasetVersion) -> ScanResult:
    raw = raw_ancestor(store, version)
    result = ScanResult()
    sources = iter_instances(store, raw.id) if raw is not None else None
    for number, instance in enumerate(iter_instances(store, version.id), start=1):
        source = next(sources, None) if sources is not None else None
        known = (
            known_identifiers(source.dataset) if source is not None else known_identifiers(instance.dataset)
        )
        result.merge(scan_header(instance.dataset, known, name=f"instance {number}"))
    return result


def scan_dicom_path(path: Path, known: KnownPHI | None) -> ScanResult:
    from medfoundry.deid.scan import scan_texts

    result = ScanResult()
    for item in read_instances(dicom_files(path), root=path if path.is_dir() else path.parent):
        if isinstance(item, Problem):
            continue
        texts = ((f"{item.source}{where}", text) for where, _, text in walk_strings(item.dataset))
        result.merge(scan_texts(texts, known=known))
    return result
