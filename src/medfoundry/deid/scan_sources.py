"""Scanning stored dataset versions and files (``medfoundry deid scan DATASET|PATH``).

A de-identified version is scanned patient by patient against the known identifiers
of the same patient in the raw version it came from (found through lineage). Any
other version (a task dataset) is scanned against every patient's identifiers of its
raw ancestor. A file is scanned against ``known`` if given, else for generic shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from medfoundry.dataset_versions import get_version
from medfoundry.deid.operators import pseudonym
from medfoundry.deid.patient import known_from_record
from medfoundry.deid.records import text_fields
from medfoundry.deid.scan import ScanResult, scan_texts
from medfoundry.deid.spans import KnownPHI
from medfoundry.errors import InputError
from medfoundry.ingest.records import PatientRecord, load_records
from medfoundry.jsonl import parse_jsonl_chunks
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion, LineageEdge


def artifact_of(version: DatasetVersion) -> str:
    if not version.artifact_id:
        raise InputError(f"dataset version {version.id} has no data artifact")
    return version.artifact_id


def raw_ancestor(store: Store, version: DatasetVersion) -> DatasetVersion | None:
    """The nearest 'raw' dataset version among ``version``'s ancestors (or itself)."""
    queue, seen = [version.id], set()
    with store.sessions() as session:
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            row = session.get(DatasetVersion, current)
            if row is not None and row.kind == "raw":
                return row
            edges = session.scalars(select(LineageEdge).where(LineageEdge.child_id == current)).all()
            queue.extend(e.parent_id for e in edges if e.parent_type == "dataset_version")
    return None


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _jsonl(chunks: Iterable[bytes], name: str) -> Iterator[tuple[int, Any]]:
    return parse_jsonl_chunks(chunks, name)


def _items(document: Any, where: str) -> list[tuple[str, str]]:
    if (
        isinstance(document, dict)
        and "patient_id" in document
        and ("resources" in document or "notes" in document)
    ):
        return text_fields(PatientRecord.from_dict(document))
    return list(_strings(document, where))


def scan_dataset(store: Store, ref: str) -> ScanResult:
    version = get_version(store, ref)
    raw = raw_ancestor(store, version)
    if raw is None:
        return scan_chunks(store.open_artifact(artifact_of(version)), version.id, known=None)
    known = {r.patient_id: known_from_record(r) for r in load_records(store.open_artifact(artifact_of(raw)))}
    if version.kind in ("raw", "deidentified"):
        by_output_id = dict(known)
        if version.kind == "deidentified" and store.key is not None:
            by_output_id = {pseudonym(store.key, pid, length=32): k for pid, k in known.items()}
        result = ScanResult()
        for record in load_records(store.open_artifact(artifact_of(version))):
            result.merge(
                scan_texts(text_fields(record), known=by_output_id.get(record.patient_id, KnownPHI()))
            )
        return result
    union = KnownPHI()
    for patient_known in known.values():
        union = union.merged(patient_known)
    return scan_chunks(store.open_artifact(artifact_of(version)), version.id, known=union)


def scan_chunks(chunks: Iterable[bytes], name: str, *, known: KnownPHI | None) -> ScanResult:
    result = ScanResult()
    for number, document in _jsonl(chunks, name):
        result.merge(scan_texts(_items(document, f"{name}:{number}"), known=known))
    return result


def scan_path(path: Path, *, known: KnownPHI | None = None) -> ScanResult:
    if not path.exists():
        raise InputError(
            f"no file at {path}", hint="give a JSONL file or a dataset version (NAME, NAME@N, dsv_...)"
        )

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as handle:
            while piece := handle.read(1 << 20):
                yield piece

    return scan_chunks(chunks(), path.name, known=known)
