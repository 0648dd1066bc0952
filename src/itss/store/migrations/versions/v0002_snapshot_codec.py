"""Snapshots name their compression: `snapshot` + `codec` (zlib before, zstd from now on).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 19:40:00

Existing rows keep their bytes and are marked zlib; nothing is recompressed on the way up.
Downgrading recompresses the zstd rows as zlib, since 0001 only knew zlib.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column("snapshot_zlib", new_column_name="snapshot")
        batch.add_column(
            sa.Column("codec", sa.String(length=8), nullable=False, server_default="zlib")
        )
        batch.create_check_constraint(
            op.f("ck_assessments_known_codec"), "codec IN ('zlib', 'zstd')"
        )
    # The default only labelled the rows that were there: new rows must say their codec.
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column("codec", server_default=None)


def downgrade() -> None:
    _recompress_zstd_as_zlib()
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint(op.f("ck_assessments_known_codec"), type_="check")
        batch.drop_column("codec")
        batch.alter_column("snapshot", new_column_name="snapshot_zlib")


def _recompress_zstd_as_zlib() -> None:
    import zstandard  # noqa: PLC0415 - only a downgrade needs it

    connection = op.get_bind()
    table = sa.table("assessments", sa.column("id"), sa.column("snapshot"), sa.column("codec"))
    decompress = zstandard.ZstdDecompressor().decompress
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, table.c.snapshot)
            .where(table.c.codec == "zstd", table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            table.update().where(table.c.id == sa.bindparam("row_id")),
            [
                {"row_id": i, "snapshot": zlib.compress(decompress(blob), 1), "codec": "zlib"}
                for i, blob in rows
            ],
        )
        last = rows[-1][0]
