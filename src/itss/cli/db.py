"""`itss db init|upgrade|status`.

The database is `--db URL`, else ITSS_DATABASE_URL, else `itss.sqlite3` in the current
directory. A bare path is a SQLite file; `postgresql://...` uses psycopg 3.
"""

from __future__ import annotations

import typer

from itss.cli.common import DbOption, LangOption, context, lang, t
from itss.services import database, organisation

app = typer.Typer(
    help="The organisation database: create it, bring it up to date, see what it holds.",
    no_args_is_help=True,
)


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
