"""Each person's standing assessment and how many people stand at each level, kept as runs
are stored: the whole organisation's distribution and the gaps against every target read
these instead of looking for everyone's latest assessment among all of them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 23:00:00

The tables are filled from the assessments already stored: each person's latest by as-of
date, then by run (as the views have always chosen it), and its levels counted by the unit
that assessment saw the person in.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STANDINGS = """
INSERT INTO standings (person_id, assessment_id, as_of, org_unit_id)
SELECT a.person_id, a.id, r.as_of, pr.org_unit_id
FROM assessments a
JOIN assessment_runs r ON r.id = a.run_id
JOIN person_revisions pr ON pr.id = a.revision_id
WHERE NOT EXISTS (
    SELECT 1 FROM assessments b JOIN assessment_runs br ON br.id = b.run_id
    WHERE b.person_id = a.person_id
    AND (br.as_of > r.as_of OR (br.as_of = r.as_of AND b.run_id > a.run_id))
)
"""

COUNTS = """
INSERT INTO standing_counts (org_unit_id, field, level, people)
SELECT s.org_unit_id, l.field, l.level, COUNT(*)
FROM standings s JOIN assessment_levels l ON l.assessment_id = s.assessment_id
GROUP BY s.org_unit_id, l.field, l.level
"""


def upgrade() -> None:
    _standings()
    _standing_counts()
    op.execute(STANDINGS)
    op.execute(COUNTS)


def _standings() -> None:
    op.create_table(
        "standings",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_standings_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_standings_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_standings_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_standings")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_standings_assessment_id")),
    )


def _standing_counts() -> None:
    op.create_table(
        "standing_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.CheckConstraint("level BETWEEN 0 AND 7", name=op.f("ck_standing_counts_level_range")),
        sa.CheckConstraint("people > 0", name=op.f("ck_standing_counts_people_positive")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_standing_counts_org_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standing_counts")),
        sa.UniqueConstraint(
            "org_unit_id", "field", "level", name=op.f("uq_standing_counts_org_unit_id_field_level")
        ),
    )


def downgrade() -> None:
    op.drop_table("standing_counts")
    op.drop_table("standings")
