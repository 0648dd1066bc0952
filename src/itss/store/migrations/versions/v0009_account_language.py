"""Each account remembers the language its person chose for the pages.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:51:28.703863
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("lang", sa.String(length=2), nullable=True))
        batch.create_check_constraint(
            op.f("ck_accounts_known_lang"), "lang IS NULL OR lang IN ('ja', 'en')"
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint(op.f("ck_accounts_known_lang"), type_="check")
        batch.drop_column("lang")
