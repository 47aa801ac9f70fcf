"""The imaging index: studies, series and instances of each DICOM dataset version.

UIDs in a raw version's rows are the keyed remaps (``2.25.…``) of the real ones, so the
database (not encrypted) holds no real UID; they equal the UIDs of the de-identified copy
made with the same key. The instances themselves are encrypted artifacts.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from medfoundry.store.models import Base


class ImagingStudy(Base):
    __tablename__ = "imaging_studies"
    __table_args__ = (
        Index("ix_imaging_studies_version_uid", "dataset_version_id", "study_uid", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_version_id: Mapped[str] = mapped_column(ForeignKey("dataset_versions.id"))
    study_uid: Mapped[str] = mapped_column(String(64))
    modalities: Mapped[str] = mapped_column(String(128), default="")
    series_count: Mapped[int] = mapped_column(Integer, default=0)
    instance_count: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)


class ImagingSeries(Base):
    __tablename__ = "imaging_series"
    __table_args__ = (
        Index("ix_imaging_series_version_uid", "dataset_version_id", "series_uid", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_version_id: Mapped[str] = mapped_column(ForeignKey("dataset_versions.id"))
    study_uid: Mapped[str] = mapped_column(String(64))
    series_uid: Mapped[str] = mapped_column(String(64))
    modality: Mapped[str] = mapped_column(String(16), default="")
    body_part: Mapped[str] = mapped_column(String(64), default="")
    instance_count: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)


class ImagingInstance(Base):
    __tablename__ = "imaging_instances"
    __table_args__ = (
        Index("ix_imaging_instances_version_sop", "dataset_version_id", "sop_instance_uid", unique=True),
        Index("ix_imaging_instances_version_series", "dataset_version_id", "series_uid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_version_id: Mapped[str] = mapped_column(ForeignKey("dataset_versions.id"))
    study_uid: Mapped[str] = mapped_column(String(64))
    series_uid: Mapped[str] = mapped_column(String(64))
    sop_instance_uid: Mapped[str] = mapped_column(String(64))
    sop_class_uid: Mapped[str] = mapped_column(String(64), default="")
    modality: Mapped[str] = mapped_column(String(16), default="")
    body_part: Mapped[str] = mapped_column(String(64), default="")
    view: Mapped[str] = mapped_column(String(64), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    columns: Mapped[int] = mapped_column(Integer, default=0)
    frames: Mapped[int] = mapped_column(Integer, default=1)
    transfer_syntax: Mapped[str] = mapped_column(String(64), default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    artifact_id: Mapped[str] = mapped_column(ForeignKey("artifacts.id"))
    burned_in_risk: Mapped[str] = mapped_column(String(255), default="")
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
