"""Where a database is, known without importing SQLAlchemy (which takes a command a fifth
of a second to import): a command with no database starts without it."""

from __future__ import annotations

from pathlib import Path


def absent_sqlite_file(value: str) -> bool:
    """Whether a database URL (or a bare path, a SQLite file) names a SQLite file that does
    not exist yet; `Store.missing` says the same of an opened store."""
    scheme, separator, rest = value.partition("://")
    if not separator:
        return not Path(value).exists()
    if not scheme.startswith("sqlite"):
        return False
    database = rest[1:].partition("?")[0]  # sqlite:///relative or sqlite:////absolute
    if database in ("", ":memory:") or database.startswith("file:"):
        return False
    return not Path(database).exists()
