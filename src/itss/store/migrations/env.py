"""Alembic's entry point: migrate the connection `itss` hands over, or the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from itss.settings import get_settings
from itss.store.database import Store
from itss.store.models import Base


def _ours(name: str | None, kind: str, _parent: object) -> bool:
    """Not the job queue's tables (procrastinate's, on PostgreSQL): its own schema, created by
    migration 0006 and compared by nobody here."""
    return not (kind == "table" and (name or "").startswith("procrastinate_"))


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_name=_ours,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    store = Store(url)
    with store.engine.begin() as fresh:
        _migrate(fresh)
    store.dispose()


if context.is_offline_mode():
    raise SystemExit("itss migrations run online only: give a database URL")
_run()
