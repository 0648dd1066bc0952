"""`itss targets add|list|gaps`: staffing targets and the gap against them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from itss.cli.common import (
    ByOption,
    DbOption,
    FrameworkOption,
    LangOption,
    UnitOption,
    context,
    lang,
    parse_day,
    required_day,
    t,
    today,
)
from itss.services import organisation
from itss.store.targets import TargetRecord

app = typer.Typer(help="Staffing targets and the gaps against them.", no_args_is_help=True)
console = Console()
OnOption = Annotated[str | None, typer.Option("--on", help="the day (default: today)")]


@app.command("add")
def add_command(
    unit: Annotated[str, typer.Argument(help="org unit code")],
    field: Annotated[str, typer.Argument(help="specialty field id")],
    level: Annotated[int, typer.Argument(min=1, max=7, help="level 1-7 (or above)")],
    wanted: Annotated[int, typer.Argument(min=0, help="how many people")],
    valid_from: Annotated[str, typer.Option("--from", help="from this date (YYYY-MM-DD)")],
    valid_to: Annotated[str | None, typer.Option("--to", help="until this date")] = None,
    db: DbOption = None,
    by: ByOption = None,
    framework_files: FrameworkOption = None,
    language: LangOption = None,
) -> None:
    """Want WANTED people at LEVEL or above in FIELD in UNIT (and the units below it)."""
    lang(language)
    start = required_day(valid_from, "--from")
    record = TargetRecord(unit, field, level, wanted, start, parse_day(valid_to, "--to"))
    with context(db, framework_files, by=by) as ctx:
        organisation.add_targets(ctx, [record])
    typer.echo(
        t("cli.targets.added", unit=unit, field=field, level=level, wanted=wanted, day=start)
    )


@app.command("list")
def list_command(on: OnOption = None, db: DbOption = None, language: LangOption = None) -> None:
    """The targets in force on a day."""
    lang(language)
    with context(db) as ctx:
        found = organisation.targets_on(ctx, parse_day(on, "--on") or today())
    table = Table()
    for title in (t("heading.unit"), t("heading.field"), t("heading.level")):
        table.add_column(title)
    for title in (t("heading.wanted"), t("heading.from"), t("heading.to")):
        table.add_column(title)
    for target in found:
        table.add_row(
            target.unit,
            target.field,
            str(target.level),
            str(target.wanted),
            str(target.valid_from),
            str(target.valid_to or ""),
        )
    console.print(table)


@app.command("gaps")
def gaps_command(
    on: OnOption = None,
    unit: UnitOption = None,
    db: DbOption = None,
    language: LangOption = None,
) -> None:
    """Each target in force against the people assessed at the level or above."""
    lang(language)
    day = parse_day(on, "--on") or today()
    with context(db) as ctx:
        found = organisation.gaps(ctx, day, unit=unit)
    table = Table(title=t("heading.gaps_on", day=day))
    for title in (t("heading.unit"), t("heading.field"), t("heading.level")):
        table.add_column(title)
    for title in (t("heading.wanted"), t("heading.have"), t("heading.missing")):
        table.add_column(title, justify="right")
    for gap in found:
        target = gap.target
        table.add_row(
            target.unit,
            target.field,
            str(target.level),
            str(target.wanted),
            str(gap.have),
            str(gap.missing),
        )
    console.print(table)
