"""`itss db init|upgrade`, and what every command that uses the database shares.

The database is `--db URL`, else ITSS_DATABASE_URL, else `itss.sqlite3` in the current
directory. A bare path is a SQLite file; `postgresql://...` uses psycopg 3.
"""

from __future__ import annotations

import gc
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from itss.settings import get_settings
from itss.store import migrate
from itss.store.database import Store, shown

app = typer.Typer(
    help="The organisation database: create it, bring it up to date.", no_args_is_help=True
)
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="database URL or SQLite file (default: ITSS_DATABASE_URL, else "
        "sqlite:///itss.sqlite3)",
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="who makes the change, recorded with it (default: your user name)",
        show_default=False,
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs", "-j", min=1, help="worker processes for assessment (default: CPU count)"
    ),
]
DEFAULT_JOBS = max(1, min(8, os.cpu_count() or 1))


@contextmanager
def open_store(db: str | None) -> Iterator[Store]:
    """The database of `--db`, the environment or the default; closed afterwards."""
    store = Store(db or get_settings().database_url)
    try:
        yield store
    finally:
        store.dispose()


@contextmanager
def ready_store(db: str | None) -> Iterator[Store]:
    """The database, refused unless it has this version's schema; closed afterwards."""
    with open_store(db) as store:
        migrate.require_current(store)
        yield store


@contextmanager
def bulk_memory() -> Iterator[None]:
    """The cyclic garbage collector off for a bulk command.

    An import or a run holds hundreds of thousands of small objects with no reference
    cycles; the collector would walk them again and again, which costs ~40% of the time.
    """
    gc.disable()
    try:
        yield
    finally:
        # Everything allocated meanwhile is still the youngest generation: re-enabled as it
        # is, the collector's next pass would walk all of it (~0.2 s) just before the
        # command drops it. Frozen, it is left to reference counting.
        gc.freeze()
        gc.enable()


def who(by: str | None) -> str:
    return by or os.environ.get("ITSS_USER") or getpass.getuser()


@contextmanager
def progress(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; plain lines otherwise (logs of scheduled jobs)."""
    if not err.is_terminal:
        done = [0]

        def line(advance: int) -> None:
            done[0] += advance
            print(f"{description}: {done[0]}/{total}", file=sys.stderr, flush=True)

        yield line
        return
    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(description, total=total)
        yield lambda advance: bar.advance(task, advance)


@app.command("init")
def init_command(db: DbOption = None) -> None:
    """Create the schema in a new (empty) database."""
    with open_store(db) as store:
        revision = migrate.init(store)
    typer.echo(f"initialised {shown(store.url)} (schema {revision})")


@app.command("upgrade")
def upgrade_command(db: DbOption = None) -> None:
    """Bring an existing database's schema up to this version of itss."""
    with open_store(db) as store:
        before = migrate.current(store)
        revision = migrate.upgrade(store)
    change = "already at" if before == revision else f"upgraded from {before or 'nothing'} to"
    typer.echo(f"{shown(store.url)}: {change} schema {revision}")
