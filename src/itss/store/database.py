"""Connecting to the store: one engine per URL, sessions, transactions, conflict retries.

SQLite (a file, the default) and PostgreSQL (psycopg 3) go through the same code. SQLite
needs three things PostgreSQL does by itself: foreign keys switched on for every connection,
real transactions around reads as well as writes, and WAL so that readers never wait.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any, TypeVar

import orjson
from sqlalchemy import URL, Engine, Select, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from itss.store.errors import DatabaseUnavailableError, LostRaceError, StoreError

T = TypeVar("T")
Query = Select[*tuple[Any, ...]]  # a SELECT of any columns
SQLITE_BUSY_SECONDS = 30
# A lost race: PostgreSQL's serialization failure or deadlock, SQLite's locks (a writer that
# held the database, or a snapshot made stale by one), or a unique key of RACE_TABLES.
PG_CONFLICTS = frozenset({"40001", "40P01"})
PG_UNIQUE = "23505"
SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
SQLITE_UNIQUE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")
SNAPSHOT_TOKEN = re.compile(r"[0-9A-F]+(-[0-9A-F]+)+")  # what pg_export_snapshot() returns
BULK_WRITE = "itss_bulk_write"  # execution option: begin SQLite transactions IMMEDIATE
RACE_TABLES = frozenset({"people", "person_revisions", "org_units", "org_unit_revisions"})
# People a bulk writer must have written before it refreshes the planner's statistics itself.
LARGE_WRITE = 10_000


def parse_url(value: str) -> URL:
    """A SQLAlchemy URL; a bare path means a SQLite file, plain `postgresql` means psycopg 3."""
    try:
        url = make_url(value if "://" in value else f"sqlite:///{value}")
    except ArgumentError:
        raise DatabaseUnavailableError(key="store.bad_url", values={"url": value}) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return create_engine(url, connect_args={"application_name": "itss"}, **JSON_CODEC)
    except (NoSuchModuleError, ArgumentError) as exc:
        raise DatabaseUnavailableError(f"{shown(url)}: {exc}") from None


def json_text(value: Any) -> str:
    """A JSON column's value as text (what the database stores)."""
    return orjson.dumps(value).decode()


# orjson for JSON columns both ways: a whole organisation's evidence passes through them.
JSON_CODEC: dict[str, Any] = {"json_serializer": json_text, "json_deserializer": orjson.loads}


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}, **JSON_CODEC)
    event.listen(engine, "connect", _sqlite_connect)
    # pysqlite would only BEGIN before a write; our BEGIN makes reads part of the transaction.
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(conn: Any) -> None:
    # A bulk writer takes the write lock at once (IMMEDIATE), waiting up to the busy
    # timeout for another writer to finish: a deferred transaction that read first would
    # instead fail at its first write if another writer had committed meanwhile.
    immediate = conn.get_execution_options().get(BULK_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN (above) is the only one
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent if a process dies
    cursor.close()


def is_conflict(exc: DBAPIError) -> bool:
    """Whether the error means another writer got there first (so trying again may work)."""
    name = getattr(exc.orig, "sqlite_errorname", None)
    if name is not None:
        if str(name).startswith(SQLITE_BUSY):
            return True
        return str(name).startswith(SQLITE_UNIQUE) and _race_table(_sqlite_tables(exc))
    state = getattr(exc.orig, "sqlstate", None)
    if state == PG_UNIQUE:
        return _race_table({getattr(getattr(exc.orig, "diag", None), "table_name", None)})
    return state in PG_CONFLICTS


def _sqlite_tables(exc: DBAPIError) -> set[str | None]:
    """The tables in "UNIQUE constraint failed: people.ref" (SQLite names no constraint)."""
    _, _, columns = str(exc.orig).partition(": ")
    return {column.split(".")[0] for column in columns.split(", ")}


def _race_table(tables: set[str | None]) -> bool:
    # Only these unique keys are claimed by concurrent writers (a person's next revision
    # number, a new person or unit); any other violation is a mistake, not a race.
    return bool(tables & RACE_TABLES)


class Store:
    """The database at one URL: sessions, and transactions that retry lost races."""

    def __init__(self, url: str | URL) -> None:
        self.url = parse_url(url) if isinstance(url, str) else url
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Bulk writers (imports, assessment runs) queue for the write lock instead of racing.
        bulk = self.engine.execution_options(**{BULK_WRITE: True})
        self.bulk_sessions = sessionmaker(bulk, expire_on_commit=False)
        # SQLite's busy handler waits for the write lock by sleeping, up to 100 ms at a
        # time: many writers of one process (a server's) starved each other, and some
        # evidence edits took 4 s. They queue here instead and SQLite's own wait is left to
        # writers in other processes. Re-entrant: a writer may open a nested transaction.
        self._writers = threading.RLock() if self.url.get_backend_name() == "sqlite" else None

    @contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back otherwise.

        `bulk`: a long writer (an import, a run). On SQLite it waits for the write lock
        before it reads anything (up to SQLITE_BUSY_SECONDS), so that writers of disjoint
        data all succeed one after another instead of failing on a lock."""
        sessions = self.bulk_sessions if bulk else self.sessions
        queue = self._writers if bulk and self._writers is not None else nullcontext()
        with queue, self.translated(), sessions() as session, session.begin():
            yield session

    def run(self, work: Callable[[Session], T], *, attempts: int = 5) -> T:
        """`work`, a writer, in a transaction, run again from scratch when a concurrent
        writer won.

        On SQLite the transaction takes the write lock before it reads (as a bulk one does):
        a deferred one that read first would fail at its first write whenever another writer
        committed meanwhile, which many writers at once (a server's) make common. Only races
        the database detected are retried; a `ConflictError` that `work` raises itself (the
        caller's data is stale) is a verdict for the caller.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction(bulk=True) as session:
                    return work(session)
            except LostRaceError:
                if attempt == attempts:
                    raise
                time.sleep(random.uniform(0, 0.05 * attempt))
        raise AssertionError("unreachable")

    def settle(self, written: int, tables: Iterable[str]) -> None:
        """After a large bulk write (`written` people or more), refresh PostgreSQL's statistics
        of the tables it wrote, now rather than when autovacuum gets to them.

        Until then the planner believes the tables as they were: at 20,000 people, straight
        after a run, a skill map page took 30 ms instead of 13 (p95 under load 93 ms, against
        39). SQLite plans without statistics (no ANALYZE has ever run on its databases)."""
        if written < LARGE_WRITE or self.url.get_backend_name() != "postgresql":
            return
        names = ", ".join(f'"{name}"' for name in sorted(tables))
        # The write is committed: statistics it could not refresh (a role that may write but
        # not analyse) are autovacuum's to refresh later, not an error to report.
        with suppress(DBAPIError), self.engine.connect() as connection, connection.begin():
            connection.exec_driver_sql(f"ANALYZE {names}")

    @contextmanager
    def translated(self) -> Iterator[None]:
        """Driver errors as errors a user can read."""
        try:
            yield
        except DBAPIError as exc:
            raise self.error(exc) from None

    def error(self, exc: DBAPIError) -> StoreError:
        if is_conflict(exc):
            return LostRaceError(
                key="store.lost_race", values={"url": shown(self.url), "detail": _first_line(exc)}
            )
        if exc.connection_invalidated or _unreachable(exc):
            return DatabaseUnavailableError(
                key="store.unreachable",
                values={"url": shown(self.url), "detail": _first_line(exc)},
            )
        return StoreError(f"{shown(self.url)}: {_first_line(exc)}")

    def dispose(self) -> None:
        self.engine.dispose()

    @property
    def missing(self) -> bool:
        """Whether this is a SQLite file that does not exist yet (connecting would create it)."""
        if self.url.get_backend_name() != "sqlite" or not self.shareable:
            return False
        return not Path(str(self.url.database)).exists()

    @property
    def shareable(self) -> bool:
        """Whether other processes can open this database (an in-memory SQLite cannot)."""
        return self.url.get_backend_name() != "sqlite" or self.url.database not in (
            None,
            "",
            ":memory:",
        )

    @staticmethod
    def export_snapshot(session: Session) -> str | None:
        """A token with which other processes read exactly what `session` reads now.

        PostgreSQL exports the transaction's snapshot. SQLite needs none: a transaction that
        has written holds the only write lock, so nothing can change under the readers."""
        if session.connection().dialect.name != "postgresql":
            return None
        token: str = session.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        return token

    @contextmanager
    def reading(self, snapshot: str | None) -> Iterator[Session]:
        """A read-only transaction that sees the data as of `snapshot` (`export_snapshot`)."""
        with self.translated(), self.engine.connect() as connection:
            if snapshot is not None:
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin(), Session(bind=connection) as session:
                if snapshot is not None:
                    # SET TRANSACTION takes no bound values; the token is the server's own.
                    if not SNAPSHOT_TOKEN.fullmatch(snapshot):
                        raise ValueError(f"not a snapshot token: {snapshot!r}")
                    connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                yield session


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__


def _unreachable(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return "unable to open database" in text or "connection" in text
