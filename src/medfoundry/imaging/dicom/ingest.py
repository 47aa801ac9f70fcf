"""DICOM ingest: a Part 10 file or folder, or a DICOMweb server, into a ``raw`` dataset version.

Instances are read, decoded and stored one at a time (encrypted: they are PHI); broken
files are quarantined with the file and the reason; Study/Series/Instance rows index the
version (with keyed UID remaps, so the database holds no real UID).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from medfoundry.errors import InputError, StoreError
from medfoundry.imaging.dicom.read import DicomInstance, Problem, dicom_files, read_instances
from medfoundry.imaging.dicom.writer import VersionWriter
from medfoundry.ingest.sources import lineage_id
from medfoundry.store.database import Store

MAX_REPORTED_PROBLEMS = 100


@dataclass
class DicomIngestResult:
    dataset_version: str
    dataset: str
    version: int
    source: str
    studies: int
    series: int
    instances: int
    size_bytes: int
    quarantined: int
    by_modality: dict[str, int] = field(default_factory=dict)
    burned_in_risk: int = 0
    quarantine: dict[str, Any] | None = None
    problems: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _require_key(store: Store) -> bytes:
    if store.key is None:
        raise StoreError(
            "DICOM ingest needs the project key (instances are PHI and stored encrypted)",
            hint="run 'medfoundry init' or set MEDFOUNDRY_KEY",
        )
    return store.key


def _name_from(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "dicom"


def ingest_items(
    store: Store,
    items: Iterable[DicomInstance | Problem],
    *,
    name: str,
    source_kind: str,
    source: str,
    lineage: str,
    progress: Callable[[int], None] | None = None,
) -> DicomIngestResult:
    """Store every instance of ``items`` and create the version (the core of both sources)."""
    writer = VersionWriter(store, phi=True, uid_key=_require_key(store))
    for count, item in enumerate(items, start=1):
        if isinstance(item, Problem):
            writer.problems.append(item)
        else:
            writer.add(item)
        if progress:
            progress(count)
    if not writer.rows:
        reasons = "; ".join(f"{p.source}: {p.reason}" for p in writer.problems[:3])
        raise InputError(f"{source}: no readable DICOM instance" + (f" ({reasons})" if reasons else ""))
    quarantine = writer.quarantine_artifact(name)
    version = writer.finish(
        name=name, kind="raw", source=source, parents=[(lineage, "source")],
        meta={"source_kind": source_kind, "quarantine": quarantine},
    )  # fmt: skip
    counts = writer.counts()
    store.audit.append(
        "ingest.import", "dataset_version", version.id,
        {"dataset": name, "source_kind": source_kind, **{k: v for k, v in counts.items() if k != "by_modality"}},
    )  # fmt: skip
    return DicomIngestResult(
        dataset_version=version.id, dataset=name, version=version.version, source=source,
        studies=counts["studies"], series=counts["series"], instances=counts["instances"],
        size_bytes=counts["size_bytes"], quarantined=counts["quarantined"], by_modality=counts["by_modality"],
        burned_in_risk=counts["burned_in_risk"], quarantine=quarantine,
        problems=[p.to_dict() for p in writer.problems[:MAX_REPORTED_PROBLEMS]],
    )  # fmt: skip


def ingest_path(
    store: Store, path: Path, *, name: str | None = None, progress: Callable[[int], None] | None = None
) -> DicomIngestResult:
    """A Part 10 file or a folder of them (recursively; other files are ignored)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    root = path if path.is_dir() else path.parent
    dataset = name or _name_from((path if path.is_dir() else path.parent).resolve().name)
    return ingest_items(
        store, read_instances(dicom_files(path), root=root), name=dataset, source_kind="dicom-files",
        source=f"DICOM Part 10 files at {path}", lineage=lineage_id("dicom-files", str(path.resolve()), path.name), progress=progress,
    )  # fmt: skip


def ingest_dicomweb(
    store: Store,
    url: str,
    *,
    token: str | None = None,
    name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> DicomIngestResult:
    """Every study of a DICOMweb server (QIDO-RS search, WADO-RS retrieval)."""
    from medfoundry.imaging.dicom.dicomweb import DicomwebPeer

    peer = DicomwebPeer(url, token=token)
    host = re.sub(r"^https?://", "", peer.url).split("/")[0]
    return ingest_items(
        store, peer.read(), name=name or _name_from(f"dicomweb-{host}"), source_kind="dicomweb",
        source=peer.url, lineage=lineage_id("dicomweb", peer.url, host), progress=progress,
    )  # fmt: skip
