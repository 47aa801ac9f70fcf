"""Creating and finding dataset versions.

Every stage that produces data (ingest, de-identification, dataset building) ends
by calling ``create_version``: the artifact is already stored, so a version row
appears only once its data is complete — an interrupted stage leaves no version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from medfoundry.audit import lineage
from medfoundry.errors import NotFound
from medfoundry.ids import new_id
from medfoundry.store.database import Store
from medfoundry.store.models import Artifact, Dataset, DatasetVersion
from medfoundry.version import code_version

VERSION_KINDS = ("raw", "deidentified", "task")


def create_version(
    store: Store,
    *,
    dataset_name: str,
    kind: str,
    artifact: Artifact,
    source: str,
    counts: dict[str, Any],
    parents: list[tuple[str, str]] | None = None,
    meta: dict[str, Any] | None = None,
) -> DatasetVersion:
    """Register ``artifact`` as the next version of ``dataset_name`` (created if new)."""
    if kind not in VERSION_KINDS:
        raise ValueError(f"unknown dataset version kind {kind!r}")
    with store.session() as session:
        dataset = session.scalars(select(Dataset).where(Dataset.name == dataset_name)).first()
        if dataset is None:
            dataset = Dataset(id=new_id("dataset"), name=dataset_name)
            session.add(dataset)
            session.flush()
        latest = session.scalar(
            select(func.max(DatasetVersion.version)).where(DatasetVersion.dataset_id == dataset.id)
        )
        version = DatasetVersion(
            id=new_id("dataset_version"),
            dataset_id=dataset.id,
            version=(latest or 0) + 1,
            kind=kind,
            content_hash=artifact.sha256,
            phi=artifact.phi,
            artifact_id=artifact.id,
            source=source,
            counts=counts,
            meta=meta or {},
            code_version=code_version(),
        )
        session.add(version)
    lineage.record(store, version.id, [(artifact.id, "data"), *(parents or [])])
    store.audit.append(
        "dataset_version.create",
        "dataset_version",
        version.id,
        {"dataset": dataset_name, "version": version.version, "kind": kind, "sha256": artifact.sha256},
    )
    return version


def get_version(store: Store, ref: str) -> DatasetVersion:
    """Find a version by id (``dsv_...``), ``NAME`` (latest) or ``NAME@N``."""
    with store.sessions() as session:
        if ref.startswith("dsv_"):
            found = session.get(DatasetVersion, ref)
        else:
            name, _, number = ref.partition("@")
            query = (
                select(DatasetVersion)
                .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
                .where(Dataset.name == name)
            )
            if number:
                if not number.isdigit():
                    raise NotFound(f"'{ref}': the version after '@' must be a number, e.g. {name}@2")
                query = query.where(DatasetVersion.version == int(number))
            found = session.scalars(query.order_by(DatasetVersion.version.desc()).limit(1)).first()
    if found is None:
        raise NotFound(f"no dataset version '{ref}'", hint="list them with 'medfoundry data list'")
    return found


def dataset_name(store: Store, version: DatasetVersion) -> str:
    with store.sessions() as session:
        dataset = session.get(Dataset, version.dataset_id)
    return dataset.name if dataset else version.dataset_id


def list_versions(store: Store, *, limit: int = 100) -> list[tuple[str, DatasetVersion]]:
    with store.sessions() as session:
        rows = session.execute(
            select(Dataset.name, DatasetVersion)
            .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
            .order_by(DatasetVersion.created_at.desc())
            .limit(limit)
        ).all()
    return [(name, version) for name, version in rows]
