"""An index of the standings by unit: a unit's skill map now reads its people's standings,
and without it each read went through every standing.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_standings_org_unit_id"), "standings", ["org_unit_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_standings_org_unit_id"), table_name="standings")
