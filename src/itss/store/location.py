"""Where a database is, known without importing SQLAlchemy (which takes a command a fifth
of a second to import): a command with no database starts without it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote


def absent_sqlite_file(value: str) -> bool:
    """Whether a database URL (or a bare path, a SQLite file) names a SQLite file that does
    not exist yet (connecting would create it), as `Store.missing` says of an opened store."""
    scheme, separator, rest = value.partition("://")
    if not separator:
        return not Path(value).exists()
    if not scheme.startswith("sqlite"):
        return False
    # sqlite:///relative or sqlite:////absolute, %-escapes decoded as SQLAlchemy does
    database = unquote(rest[1:].partition("?")[0])
    if database in ("", ":memory:"):
        return False
    return not Path(database).exists()
