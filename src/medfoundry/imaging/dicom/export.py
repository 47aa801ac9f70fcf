"""``medfoundry data export``: a de-identified DICOM version as Part 10 files, or STOW-RS to a server."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from medfoundry.dataset_versions import get_version
from medfoundry.errors import InputError, PHILeakError
from medfoundry.imaging.dicom.store import instance_rows, is_dicom_version, iter_instances
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion


@dataclass
class ExportResult:
    dataset_version: str
    instances: int
    destination: str
    burned_in_risk: int = 0  # instances flagged at risk of burned-in text and not OCR-cleaned

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _exportable(store: Store, ref: str) -> DatasetVersion:
    version = get_version(store, ref)
    if not is_dicom_version(version):
        raise InputError(
            f"dataset version {version.id} is not a DICOM dataset", hint="export works on DICOM versions"
        )
    if version.kind != "deidentified":
        raise InputError(
            f"dataset version {version.id} is '{version.kind}': export writes de-identified DICOM only",
            hint=f"run 'medfoundry deid run {ref}' and export its result",
        )
    if version.phi:
        raise PHILeakError(
            f"dataset version {version.id} failed its residual-PHI scan, so it is not exported",
            hint=f"see 'medfoundry deid scan {version.id}'",
        )
    return version


def unreviewed_risk(store: Store, version: DatasetVersion) -> int:
    """Instances at risk of burned-in text in a version made without the OCR pass."""
    if ((version.meta or {}).get("options") or {}).get("ocr"):
        return 0
    return sum(1 for row in instance_rows(store, version.id) if row.burned_in_risk)


def export_files(store: Store, ref: str, out_dir: Path) -> ExportResult:
    """``OUT/<study>/<series>/<instance>.dcm`` (remapped UIDs); each file written atomically."""
    version = _exportable(store, ref)
    count = 0
    for instance in iter_instances(store, version.id):
        folder = out_dir / instance.study_uid / instance.series_uid
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{instance.sop_instance_uid}.dcm"
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(instance.data)
        os.replace(partial, target)
        count += 1
    store.audit.append("data.export", "dataset_version", version.id, {"instances": count, "format": "dicom"})
    return ExportResult(version.id, count, str(out_dir), unreviewed_risk(store, version))


def export_dicomweb(store: Store, ref: str, url: str, *, token: str | None = None) -> ExportResult:
    """STOW-RS every instance to a DICOMweb server."""
    from medfoundry.imaging.dicom.dicomweb import DicomwebPeer

    version = _exportable(store, ref)
    peer = DicomwebPeer(url, token=token)
    count = peer.store(instance.dataset for instance in iter_instances(store, version.id))
    store.audit.append(
        "data.export", "dataset_version", version.id, {"instances": count, "format": "dicomweb"}
    )
    return ExportResult(version.id, count, peer.url, unreviewed_risk(store, version))
