"""Runs name their engine version and may keep levels alone; approved reviews keep their
assessment explained.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 21:00:00

A run's rows may hold no snapshot: the verdicts are made again from the evidence revision,
the framework, the policy and the engine of the run when they are asked for. The runs that
were there were all made by engine version 1, with every snapshot. Going down is refused while
a row holds no snapshot: 0010 has nowhere to keep such an assessment.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODEC = "codec IN ('zlib', 'zstd')"


def upgrade() -> None:
    with op.batch_alter_table("assessment_runs") as batch:
        batch.add_column(
            sa.Column("engine_version", sa.String(16), nullable=False, server_default="1")
        )
    # The default only labelled the runs that were there: a new run must say its engine.
    with op.batch_alter_table("assessment_runs") as batch:
        batch.alter_column("engine_version", server_default=None)
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column("snapshot", existing_type=sa.LargeBinary(), nullable=True)
        batch.alter_column("codec", existing_type=sa.String(8), nullable=True)
        batch.create_check_constraint(
            op.f("ck_assessments_snapshot_with_codec"), "(snapshot IS NULL) = (codec IS NULL)"
        )
    _official_assessments()


def _official_assessments() -> None:
    op.create_table(
        "official_assessments",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("framework_version", sa.String(64), nullable=False),
        sa.Column("policy_name", sa.String(300), nullable=False),
        sa.Column("policy_readings", sa.JSON(), nullable=False),
        sa.Column("engine_version", sa.String(16), nullable=False),
        sa.Column("snapshot", sa.LargeBinary(), nullable=False),
        sa.Column("codec", sa.String(8), nullable=False),
        sa.CheckConstraint(CODEC, name=op.f("ck_official_assessments_known_codec")),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_official_assessments_review_id_reviews"),
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_official_assessments")),
    )


def downgrade() -> None:
    lean = op.get_bind().scalar(sa.text("SELECT COUNT(*) FROM assessments WHERE snapshot IS NULL"))
    if lean:
        raise RuntimeError(
            f"{lean} stored assessments keep their levels alone, which schema 0010 cannot hold"
        )
    op.drop_table("official_assessments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint(op.f("ck_assessments_snapshot_with_codec"), type_="check")
        batch.alter_column("codec", existing_type=sa.String(8), nullable=False)
        batch.alter_column("snapshot", existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table("assessment_runs") as batch:
        batch.drop_column("engine_version")
