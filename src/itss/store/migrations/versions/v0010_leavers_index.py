"""An index of the revisions that record a leave: every view leaves out the people who have
left, and without it each view read every revision to find the few who have (at 1.3 million
people, most of the time of a unit's skill map).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = sa.text("left_on IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        op.f("ix_person_revisions_left_on"),
        "person_revisions",
        ["left_on"],
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_person_revisions_left_on"), table_name="person_revisions")
