"""`itss person show|history`: one person's stored assessment and its history."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from itss.cli.assess import show
from itss.cli.common import DbOption, FrameworkOption, LangOption, context, lang, parse_day, t
from itss.services import assessments

app = typer.Typer(help="One person's stored assessments.", no_args_is_help=True)
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
        show(ctx.framework, found.assessment, chosen)


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
