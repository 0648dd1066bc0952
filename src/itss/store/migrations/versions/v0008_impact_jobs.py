"""An impact report is a background job too.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 13:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "kind IN ('assess_all', 'import_check', 'import_apply')"
AFTER = "kind IN ('assess_all', 'import_check', 'import_apply', 'impact')"


def _kinds(condition: str) -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint(op.f("ck_jobs_known_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_jobs_known_kind"), condition)


def upgrade() -> None:
    _kinds(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM job_files WHERE job_id IN (SELECT id FROM jobs WHERE kind = 'impact')")
    op.execute("DELETE FROM jobs WHERE kind = 'impact'")
    _kinds(BEFORE)
