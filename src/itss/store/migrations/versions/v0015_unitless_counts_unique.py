"""The count of people without a unit at a level of a field is one row, which the database now
keeps unique: to both databases NULLs are distinct, so the unique constraint on (unit, field,
level) left those rows to the runs alone.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 11:30:00

Rows that are already twice are merged first, each count the sum of its rows, as every reader
has summed them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_standing_counts_unitless_field_level"
UNITLESS = "org_unit_id IS NULL"
SAME = f"d.{UNITLESS} AND d.field = standing_counts.field AND d.level = standing_counts.level"
FIRST = f"(SELECT MIN(d.id) FROM standing_counts d WHERE {SAME})"

MERGE = f"""
UPDATE standing_counts
SET people = (SELECT SUM(d.people) FROM standing_counts d WHERE {SAME})
WHERE {UNITLESS} AND id = {FIRST}
"""
DROP_MERGED = f"DELETE FROM standing_counts WHERE {UNITLESS} AND id > {FIRST}"


def upgrade() -> None:
    op.execute(MERGE)
    op.execute(DROP_MERGED)
    op.create_index(
        INDEX,
        "standing_counts",
        ["field", "level"],
        unique=True,
        sqlite_where=sa.text(UNITLESS),
        postgresql_where=sa.text(UNITLESS),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="standing_counts")
