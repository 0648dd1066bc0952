"""Writing many rows at once, the fastest way each backend offers, in the caller's transaction.

SQLite: one `executemany` of a Core INSERT (SQLAlchemy converts the values). PostgreSQL:
`COPY ... FROM STDIN` through psycopg, which is several times faster than the pipelined
INSERTs psycopg's executemany sends; SQLAlchemy has no COPY, so the few values that need it
(JSON) are serialised here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import JSON, Connection, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from itss.store.models import Base


def bulk_insert(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts keyed by column name, all with the same keys) into the table."""
    table = cast(Table, model.__table__)
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows)
    else:
        connection.execute(insert(table), list(rows))


def _copy(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    import psycopg  # noqa: PLC0415 - only PostgreSQL needs it, and it is slow to import

    names = list(rows[0])
    as_json = [isinstance(table.c[name].type, JSON) for name in names]
    quote = connection.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[n]) if j else row[n]
                        for n, j in zip(names, as_json, strict=True)
                    ]
                )
    except psycopg.Error as exc:
        # The driver's own error, wrapped as SQLAlchemy wraps it: callers see one kind.
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
