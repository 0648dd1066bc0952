"""A fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL is the server named by ITSS_TEST_POSTGRES_URL (a role that may CREATE DATABASE).
Without it the PostgreSQL variants are skipped on a developer's machine, but fail in CI
(CI=true): a suite that skips itself into green there proves nothing.

Each test gets its own database: for SQLite a copy of a migrated file, for PostgreSQL a
`CREATE DATABASE ... TEMPLATE` of a database migrated once per session.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from itss.store import migrate
from itss.store.change import Change
from itss.store.database import Store, parse_url
from itss.store.models import Base

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def _postgres_url() -> URL:
    value = os.environ.get("ITSS_TEST_POSTGRES_URL")
    if not value:
        if os.environ.get("CI") == "true":
            pytest.fail("ITSS_TEST_POSTGRES_URL is not set: CI must run the PostgreSQL tests")
        pytest.skip("ITSS_TEST_POSTGRES_URL is not set (PostgreSQL tests skipped locally)")
    return parse_url(value)


class Postgres:
    """Creates and drops databases on the test server."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        self.template: str | None = None

    def create(self, template: str | None = None) -> URL:
        name = f"itss_test_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return self.url.set(database=name)

    def drop(self, url: URL) -> None:
        """Drop a test database once its last session has gone.

        Not WITH (FORCE): that refuses to end an autovacuum worker it finds there, while a
        plain DROP ends such workers itself. A session of a killed test process may take a
        moment to go, so "being accessed by other users" is waited out.
        """
        statement = text(f'DROP DATABASE IF EXISTS "{url.database}"')
        for attempt in range(50):
            try:
                with self.admin.connect() as connection:
                    connection.execute(statement)
                return
            except OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.2)

    def migrated_template(self) -> str:
        if self.template is None:
            url = self.create()
            store = Store(url)
            migrate.init(store)
            store.dispose()
            self.template = str(url.database)
        return self.template


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres(_postgres_url())
    yield server
    if server.template is not None:
        server.drop(server.url.set(database=server.template))
    server.admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "itss.sqlite3"
    store = Store(f"sqlite:///{path}")
    migrate.init(store)
    with store.engine.connect() as connection:  # fold the WAL into the file before copying
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _sqlite_url(tmp_path: Path, template: Path | None) -> URL:
    path = tmp_path / f"{uuid.uuid4().hex[:8]}.sqlite3"
    if template is not None:
        shutil.copy(template, path)
    return parse_url(f"sqlite:///{path}")


def _fresh(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, migrated: bool
) -> Iterator[URL]:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template") if migrated else None
        yield _sqlite_url(tmp_path, template)
        return
    server: Postgres = request.getfixturevalue("postgres")
    url = server.create(server.migrated_template() if migrated else None)
    yield url
    server.drop(url)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[URL]:
    """A new database with the current schema."""
    yield from _fresh(request, backend, tmp_path, migrated=True)


@pytest.fixture
def other_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[URL]:
    """A second new database with the current schema, on the same backend."""
    yield from _fresh(request, backend, tmp_path, migrated=True)


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[URL]:
    """A new database with nothing in it."""
    yield from _fresh(request, backend, tmp_path, migrated=False)


@pytest.fixture
def store(database_url: URL) -> Iterator[Store]:
    opened = Store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def session(store: Store) -> Iterator[Session]:
    """One transaction for the whole test, rolled back at the end."""
    with store.sessions() as opened, opened.begin():
        yield opened
        opened.rollback()


@pytest.fixture
def url_text(database_url: URL) -> str:
    """The URL as a command line takes it (password included)."""
    return database_url.render_as_string(hide_password=False)


@dataclass(frozen=True)
class Staff:
    """Who does what in these tests: the roles matter for what gets recorded."""

    alice: Change  # an engineer recording her own evidence
    bob: Change  # her manager, who attests criteria
    charlie: Change  # the HR office, importing spreadsheets


@pytest.fixture
def staff() -> Staff:
    return Staff(
        Change("alice", "self-service"),
        Change("bob", "review"),
        Change("charlie", "import: hr.xlsx"),
    )


def content(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in key order: to compare a database before and after."""
    tables = {}
    with store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            tables[table.name] = [tuple(row) for row in connection.execute(query)]
    return tables


def planned_rows(store: Store, table: str) -> int:
    """The rows the planner believes `table` has: PostgreSQL's estimate, -1 if the table was
    never analysed (a test's few rows are too few for autovacuum to do it meanwhile); SQLite,
    which plans without statistics, -1 as long as no statistics table exists (else 0)."""
    with store.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            query = text("SELECT reltuples FROM pg_class WHERE relname = :table")
            return int(session.scalar(query, {"table": table}))
        stats = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
        return 0 if session.scalar(text(stats)) else -1
