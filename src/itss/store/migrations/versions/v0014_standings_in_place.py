"""A standing refers to an assessment of its own person, and is no longer indexed by it, so
that PostgreSQL updates standings in place at every run.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:00:00

The unique index on `standings.assessment_id` made each run's update of every standing a new
row version with an entry in each index, the old one left to vacuum. The foreign key on
(assessment_id, person_id) says more than that index did (an assessment stands for its own
person, so for one person at most) and needs no index on the standings' side. On PostgreSQL
the table is rewritten with room in each page for the next version of its rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL_FACTOR = 50
OLD_FK = "fk_standings_assessment_id_assessments"


def upgrade() -> None:
    op.create_index(
        op.f("ix_assessments_id_person_id"), "assessments", ["id", "person_id"], unique=True
    )
    with op.batch_alter_table("standings") as batch:
        batch.drop_constraint(op.f("uq_standings_assessment_id"), type_="unique")
        batch.drop_constraint(op.f(OLD_FK), type_="foreignkey")
        batch.create_foreign_key(
            op.f(OLD_FK), "assessments", ["assessment_id", "person_id"], ["id", "person_id"]
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE standings SET (fillfactor = {FILL_FACTOR})")
        # Rewritten now (CLUSTER may run in a transaction, VACUUM FULL may not): pages filled
        # before would have no room for the first run's new versions.
        op.execute("CLUSTER standings USING pk_standings")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE standings RESET (fillfactor)")
    with op.batch_alter_table("standings") as batch:
        batch.drop_constraint(op.f(OLD_FK), type_="foreignkey")
        batch.create_foreign_key(op.f(OLD_FK), "assessments", ["assessment_id"], ["id"])
        batch.create_unique_constraint(op.f("uq_standings_assessment_id"), ["assessment_id"])
    op.drop_index(op.f("ix_assessments_id_person_id"), table_name="assessments")
