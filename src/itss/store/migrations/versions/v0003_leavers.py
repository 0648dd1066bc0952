"""People who leave: a person revision may say on which day the person left.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 05:20:00

A nullable column: every existing revision is of someone who has not left.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("person_revisions", sa.Column("left_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person_revisions") as batch:
        batch.drop_column("left_on")
