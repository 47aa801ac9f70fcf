"""human review: review_tasks and review_decisions

Revision ID: 0003_review
Revises: 0002_imaging
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_review"
down_revision = "0002_imaging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_tasks",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_ref", sa.String(length=128), nullable=False),
        sa.Column("deployment_id", sa.String(length=40), nullable=True),
        sa.Column("deployment_name", sa.String(length=128), nullable=True),
        sa.Column("model_id", sa.String(length=40), nullable=True),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("routed_by", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewers_required", sa.Integer(), nullable=False),
        sa.Column("reviews_done", sa.Integer(), nullable=False),
        sa.Column("content_artifact_id", sa.String(length=40), nullable=False),
        sa.Column("final_artifact_id", sa.String(length=40), nullable=True),
        sa.Column("output_sha256", sa.String(length=64), nullable=False),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["content_artifact_id"], ["artifacts.id"]),
        sa.ForeignKeyConstraint(["final_artifact_id"], ["artifacts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_review_tasks_status_created", ["status", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_tasks_deployment_id"), ["deployment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_tasks_model_id"), ["model_id"], unique=False)
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.String(length=40), nullable=False),
        sa.Column("reviewer", sa.String(length=128), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("edit_artifact_id", sa.String(length=40), nullable=True),
        sa.Column("edit_distance", sa.Integer(), nullable=False),
        sa.Column("edit_ratio", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["edit_artifact_id"], ["artifacts.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["review_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "reviewer"),
    )
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_decisions_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decisions_task_id"))
    op.drop_table("review_decisions")
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_tasks_model_id"))
        batch_op.drop_index(batch_op.f("ix_review_tasks_deployment_id"))
        batch_op.drop_index("ix_review_tasks_status_created")
    op.drop_table("review_tasks")
