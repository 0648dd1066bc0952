"""Schema versions: create, upgrade and verify the database with the packaged migrations.

Alembic is imported only by the commands that migrate: importing it costs most of a second,
and every other command only needs to read the schema revision the database is at.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from itss.store.database import Store, shown
from itss.store.errors import NotInitialisedError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision; a test checks it against the migrations themselves.
HEAD = "0015"
VERSION_TABLE = "alembic_version"


def _config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 - see the module's docstring

    # The stream given now: alembic's default is whatever sys.stdout was when alembic was
    # first imported, which an embedding program (or a test capturing output) may have closed.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextmanager
def _configured(store: Store) -> Iterator[Config]:
    """A config whose env.py migrates one connection, in one transaction."""
    config = _config()
    with (
        store.translated(),
        store.engine.connect() as connection,
        _sqlite_foreign_keys_off(connection),
        connection.begin(),
    ):
        config.attributes["connection"] = connection
        yield config
        _check_foreign_keys(connection)


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite alters a table by copying it, dropping it and renaming the copy; with foreign
    keys on, the drop would cascade into the tables that refer to it (SQLite's own advice:
    switch them off outside the transaction, check them before committing)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection  # not `execute`: that would BEGIN first
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise StoreError(f"the migration would break {len(broken)} references: {broken[:3]}")


def head() -> str:
    """The newest revision, as the migration scripts say."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None  # the package always ships at least one migration
    return found


def _tables(store: Store) -> list[str]:
    with store.translated(), store.engine.connect() as connection:
        return inspect(connection).get_table_names()


def current(store: Store) -> str | None:
    """The schema revision of the database, or None when it has no itss schema."""
    if VERSION_TABLE not in _tables(store):
        return None
    with store.translated(), store.engine.connect() as connection:
        return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def init(store: Store) -> str:
    """Create the schema in an empty database; refuse a database that has tables."""
    if _tables(store):
        found = current(store)
        what = f"an itss schema (revision {found})" if found else "tables of something else"
        raise StoreError(
            f"{shown(store.url)} already has {what}; "
            "use `itss db upgrade` to bring an itss database up to date"
        )
    return upgrade(store)


def upgrade(store: Store, to: str = "head") -> str:
    """Bring the schema up to revision `to` (default: this version of itss)."""
    from alembic import command  # noqa: PLC0415

    with _configured(store) as config:
        command.upgrade(config, to)
    return HEAD if to == "head" else to


def downgrade(store: Store, to: str) -> str:
    """Take the schema back to revision `to`, converting what the older schema cannot hold."""
    from alembic import command  # noqa: PLC0415

    with _configured(store) as config:
        command.downgrade(config, to)
    return to


def check(store: Store) -> None:
    """Raise if the models declare anything the migrated database does not have."""
    from alembic import command  # noqa: PLC0415

    with _configured(store) as config:
        command.check(config)


def require_current(store: Store) -> None:
    """Refuse to work on a database that is missing or behind this version of itss.

    A SQLite file that does not exist is refused before connecting, which would leave an
    empty file behind."""
    url = shown(store.url)
    if store.missing:
        raise NotInitialisedError(key="store.missing", values={"url": url})
    found = current(store)
    if found is None:
        raise NotInitialisedError(key="store.no_schema", values={"url": url})
    if found != HEAD:
        raise NotInitialisedError(
            key="store.behind", values={"url": url, "found": found, "head": HEAD}
        )
