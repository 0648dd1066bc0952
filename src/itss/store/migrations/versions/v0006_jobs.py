"""Background jobs (a run of everyone, an import) and the files uploaded for them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 08:25:11.725576
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _queue_schema() -> str:
    """procrastinate's own tables, types and functions (its version is pinned with itss)."""
    from procrastinate.schema import SchemaManager  # noqa: PLC0415 - PostgreSQL only

    return SchemaManager.get_schema()


def _raw(sql: str) -> None:
    """SQL sent to the server as it is, without parameters: its RAISE formats hold '%',
    which any parameter handling would take for placeholders."""
    cursor = op.get_bind().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(sql)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # On PostgreSQL the jobs run on procrastinate's queue, kept in the same database.
        _raw(_queue_schema())
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_by_account", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(state = 'failed') = (error IS NOT NULL)", name=op.f("ck_jobs_error_when_failed")
        ),
        sa.CheckConstraint(
            "kind IN ('assess_all', 'import_check', 'import_apply')",
            name=op.f("ck_jobs_known_kind"),
        ),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_jobs_known_state")
        ),
        sa.CheckConstraint("done >= 0 AND total >= 0", name=op.f("ck_jobs_progress_non_negative")),
        sa.ForeignKeyConstraint(
            ["created_by_account"],
            ["accounts.id"],
            name=op.f("fk_jobs_created_by_account_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(
        "ix_jobs_created_by_account_id", "jobs", ["created_by_account", "id"], unique=False
    )

    op.create_table(
        "job_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_files_job_id_jobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_files")),
        sa.UniqueConstraint("job_id", "name", name=op.f("uq_job_files_job_id_name")),
    )


_DROP_QUEUE = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$ DECLARE f record; BEGIN
  FOR f IN SELECT oid::regprocedure AS signature FROM pg_proc WHERE proname LIKE 'procrastinate%'
  LOOP EXECUTE 'DROP FUNCTION ' || f.signature || ' CASCADE'; END LOOP;
  -- The tables' own row types went with them: what is left are the queue's own types.
  FOR f IN SELECT typname FROM pg_type
    WHERE typname LIKE 'procrastinate%' AND typtype IN ('c', 'e')
  LOOP EXECUTE 'DROP TYPE IF EXISTS ' || quote_ident(f.typname) || ' CASCADE'; END LOOP;
END $$;
"""


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _raw(_DROP_QUEUE)
    op.drop_table("job_files")
    op.drop_index("ix_jobs_created_by_account_id", table_name="jobs")

    op.drop_table("jobs")
