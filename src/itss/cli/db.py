"""`itss db init|upgrade|status`, and what every command that uses the database shares.

The database is `--db URL`, else ITSS_DATABASE_URL, else `itss.sqlite3` in the current
directory. A bare path is a SQLite file; `postgresql://...` uses psycopg 3.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from itss.cli.common import DbOption, LangOption, context, lang, t
from itss.services import database, organisation

app = typer.Typer(
    help="The organisation database: create it, bring it up to date, see what it holds.",
    no_args_is_help=True,
)
err = Console(stderr=True)

JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs", "-j", min=1, help="worker processes for assessment (default: CPU count)"
    ),
]
DEFAULT_JOBS = max(1, min(8, os.cpu_count() or 1))


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
def init_command(db: DbOption = None, language: LangOption = None) -> None:
    """Create the schema in a new (empty) database."""
    lang(language)
    with context(db) as ctx:
        done = database.init(ctx)
    typer.echo(t("cli.db.initialised", url=done.url, schema=done.after))


@app.command("upgrade")
def upgrade_command(db: DbOption = None, language: LangOption = None) -> None:
    """Bring an existing database's schema up to this version of itss."""
    lang(language)
    with context(db) as ctx:
        done = database.upgrade(ctx)
    if done.before == done.after:
        typer.echo(t("cli.db.current", url=done.url, schema=done.after))
    else:
        typer.echo(t("cli.db.upgraded", url=done.url, before=done.before or "—", schema=done.after))


@app.command("status")
def status_command(db: DbOption = None, language: LangOption = None) -> None:
    """What the database is and holds: schema, units, people, assessment runs."""
    lang(language)
    with context(db) as ctx:
        found = organisation.status(ctx)
    typer.echo(t("cli.status.database", url=found.url))
    if not found.exists:
        typer.echo(t("cli.status.missing"))
        raise typer.Exit(1)
    if not found.current:
        key = "cli.status.no_schema" if found.schema is None else "cli.status.behind"
        typer.echo(t(key, schema=found.schema, head=found.head))
        raise typer.Exit(1)
    typer.echo(t("cli.status.current", schema=found.schema))
    typer.echo(t("cli.status.counts", units=found.units, people=found.people, runs=found.runs))
    if found.latest_run is not None:
        run = found.latest_run
        typer.echo(
            t(
                "cli.status.latest",
                run=run.run_id,
                day=run.as_of,
                people=run.people,
                by=run.started_by,
                at=f"{run.started_at:%Y-%m-%d %H:%M}",
                framework=run.framework_version,
                policy=run.policy,
            )
        )
