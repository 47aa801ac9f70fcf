"""Reading a DICOM dataset version back: its instances, one at a time.

The public entry point for other stages (embedding, evaluation)::

    from medfoundry.imaging.dicom.store import iter_instances
    for instance in iter_instances(store, "chest-xray@2"):
        instance.dataset            # pydicom Dataset (header and undecoded pixel data)
        instance.pixels()           # numpy array, decoded now, not kept
        instance.study_uid, instance.series_uid, instance.sop_instance_uid
        instance.modality, instance.body_part, instance.view, instance.rows, instance.columns

Only one instance's bytes are held at a time. UIDs are the header's own (real ones for a
raw version, remapped ones for a de-identified version).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from medfoundry.dataset_versions import get_version
from medfoundry.errors import InputError
from medfoundry.imaging.dicom.read import DicomInstance, describe, parse
from medfoundry.imaging.dicom.tables import ImagingInstance
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion

DICOM_SOURCE_KINDS = ("dicom-files", "dicomweb", "dicom-deid")


def is_dicom_version(version: DatasetVersion) -> bool:
    return (version.meta or {}).get("source_kind") in DICOM_SOURCE_KINDS


def instance_rows(store: Store, version_id: str) -> list[ImagingInstance]:
    with store.sessions() as session:
        query = (
            select(ImagingInstance)
            .where(ImagingInstance.dataset_version_id == version_id)
            .order_by(ImagingInstance.ordinal)
        )
        return list(session.scalars(query))


def iter_instances(store: Store, dataset_version: str) -> Iterator[DicomInstance]:
    """Each instance of ``dataset_version`` (``NAME``, ``NAME@N`` or ``dsv_…``), in ingest order."""
    version = get_version(store, dataset_version)
    if not is_dicom_version(version):
        raise InputError(
            f"dataset version {version.id} is not a DICOM dataset",
            hint="ingest a DICOM folder or a DICOMweb server with 'medfoundry data ingest'",
        )
    for row in instance_rows(store, version.id):
        data = store.read_artifact(row.artifact_id)
        instance = describe(parse(data), data, f"{version.id}#{row.ordinal}")
        instance.artifact_id = row.artifact_id
        yield instance
