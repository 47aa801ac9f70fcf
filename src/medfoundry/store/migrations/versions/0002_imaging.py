"""imaging index: studies, series, instances of DICOM dataset versions

Revision ID: 0002_imaging
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_imaging"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imaging_studies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dataset_version_id", sa.String(length=40), nullable=False),
        sa.Column("study_uid", sa.String(length=64), nullable=False),
        sa.Column("modalities", sa.String(length=128), nullable=False),
        sa.Column("series_count", sa.Integer(), nullable=False),
        sa.Column("instance_count", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_imaging_studies_version_uid", "imaging_studies", ["dataset_version_id", "study_uid"], unique=True
    )
    op.create_table(
        "imaging_series",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dataset_version_id", sa.String(length=40), nullable=False),
        sa.Column("study_uid", sa.String(length=64), nullable=False),
        sa.Column("series_uid", sa.String(length=64), nullable=False),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("body_part", sa.String(length=64), nullable=False),
        sa.Column("instance_count", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_imaging_series_version_uid", "imaging_series", ["dataset_version_id", "series_uid"], unique=True
    )
    op.create_table(
        "imaging_instances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dataset_version_id", sa.String(length=40), nullable=False),
        sa.Column("study_uid", sa.String(length=64), nullable=False),
        sa.Column("series_uid", sa.String(length=64), nullable=False),
        sa.Column("sop_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("sop_class_uid", sa.String(length=64), nullable=False),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("body_part", sa.String(length=64), nullable=False),
        sa.Column("view", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("columns", sa.Integer(), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("transfer_syntax", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("artifact_id", sa.String(length=40), nullable=False),
        sa.Column("burned_in_risk", sa.String(length=255), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["artifact_id"], ["artifacts.id"]),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_imaging_instances_version_sop",
        "imaging_instances",
        ["dataset_version_id", "sop_instance_uid"],
        unique=True,
    )
    op.create_index(
        "ix_imaging_instances_version_series", "imaging_instances", ["dataset_version_id", "series_uid"]
    )


def downgrade() -> None:
    op.drop_index("ix_imaging_instances_version_series", table_name="imaging_instances")
    op.drop_index("ix_imaging_instances_version_sop", table_name="imaging_instances")
    op.drop_table("imaging_instances")
    op.drop_index("ix_imaging_series_version_uid", table_name="imaging_series")
    op.drop_table("imaging_series")
    op.drop_index("ix_imaging_studies_version_uid", table_name="imaging_studies")
    op.drop_table("imaging_studies")
