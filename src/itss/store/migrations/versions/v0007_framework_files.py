"""Tailored framework files kept whole, and the organisation's adoptions of a framework.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 12:40:22.250472
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "framework_adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("adopted_by", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_adoptions")),
    )
    op.create_table(
        "framework_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=300), nullable=False),
        sa.CheckConstraint("name <> ''", name=op.f("ck_framework_files_name_not_blank")),
        sa.CheckConstraint("length(digest) = 64", name=op.f("ck_framework_files_digest_is_sha256")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_files")),
        sa.UniqueConstraint("digest", name=op.f("uq_framework_files_digest")),
    )


def downgrade() -> None:
    op.drop_table("framework_files")
    op.drop_table("framework_adoptions")
