"""`itss person ...`: one person's evidence (record, leave, rejoin), stored assessment and
history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from itss.cli.assess import show
from itss.cli.common import (
    ByOption,
    DbOption,
    FrameworkOption,
    LangOption,
    context,
    lang,
    parse_day,
    required_day,
    t,
)
from itss.services import assessments
from itss.services import people as people_service

app = typer.Typer(
    help="One person: record their evidence, a leave, their stored assessment and history.",
    no_args_is_help=True,
)
console = Console()
RefArgument = Annotated[str, typer.Argument(help="the person's id (person_id)")]


@app.command("show")
def show_command(
    ref: RefArgument,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="the assessment in force on this date (default: latest)"),
    ] = None,
    language: LangOption = None,
    db: DbOption = None,
    framework_files: FrameworkOption = None,
) -> None:
    """The person's stored assessment, explained exactly as it was made."""
    chosen = lang(language)
    with context(db, framework_files) as ctx:
        found = assessments.stored(ctx, ref, parse_day(as_of))
        stamp = t(
            "cli.person.stored",
            run=found.run_id,
            revision=found.revision,
            at=f"{found.assessed_at:%Y-%m-%d %H:%M}",
            by=found.assessed_by,
        )
        console.print(f"[dim]{stamp}[/dim]")
        show(found.framework, found.assessment, chosen)


@app.command("history")
def history_command(
    ref: RefArgument,
    language: LangOption = None,
    db: DbOption = None,
    framework_files: FrameworkOption = None,
) -> None:
    """Every stored assessment of the person: the level in each field, run by run."""
    chosen = lang(language)
    with context(db, framework_files) as ctx:
        lines = assessments.history(ctx, ref)
        fields = [f for f in ctx.framework.fields if any(f in line.levels for line in lines)]
        names = {f: ctx.framework.fields[f].name.get(chosen) for f in fields}
    table = Table(title=ref, title_justify="left")
    for key in ("heading.run", "heading.as_of", "heading.revision"):
        table.add_column(t(key))
    for fid in fields:
        table.add_column(names[fid], justify="center", overflow="fold")
    for line in lines:
        cells = [_level(line.levels.get(f)) for f in fields]
        table.add_row(str(line.run_id), str(line.as_of), str(line.revision), *cells)
    console.print(table)
    if not lines:
        typer.echo(t("cli.person.no_history"))


def _level(found: tuple[int, int] | None) -> str:
    if found is None:
        return ""
    level, provisional = found
    return str(level) if provisional == level else f"{level} ({provisional})"


@app.command("record")
def record_command(
    evidence_file: Annotated[Path, typer.Argument(help="the person's evidence file (YAML/JSON)")],
    unit: Annotated[str | None, typer.Option("--unit", help="their org unit code")] = None,
    expect: Annotated[
        int | None,
        typer.Option(
            "--expect", min=0, help="the revision you last read: refused if it changed since"
        ),
    ] = None,
    language: LangOption = None,
    db: DbOption = None,
    by: ByOption = None,
    framework_files: FrameworkOption = None,
) -> None:
    """Record (or replace) a person's whole evidence from a file, as a new revision."""
    lang(language)
    with context(db, framework_files, by=by) as ctx:
        revision = people_service.record_file(ctx, evidence_file, unit, expected=expect)
    typer.echo(t("cli.person.recorded", revision=revision))


@app.command("leave")
def leave_command(
    ref: RefArgument,
    on: Annotated[str, typer.Option("--on", help="the day they left (YYYY-MM-DD)")],
    language: LangOption = None,
    db: DbOption = None,
    by: ByOption = None,
) -> None:
    """Record that a person left: later runs skip them, views leave them out from that day."""
    lang(language)
    day = required_day(on, "--on")
    with context(db, by=by) as ctx:
        revision = people_service.leave(ctx, ref, day)
    typer.echo(t("cli.person.left", ref=ref, day=day, revision=revision))


@app.command("rejoin")
def rejoin_command(
    ref: RefArgument, language: LangOption = None, db: DbOption = None, by: ByOption = None
) -> None:
    """Undo a leave: the person is assessed and shown again."""
    lang(language)
    with context(db, by=by) as ctx:
        revision = people_service.rejoin(ctx, ref)
    typer.echo(t("cli.person.rejoined", ref=ref, revision=revision))
