"""`itss export skillmap|evidence`: to CSV or .xlsx, streamed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer

from itss.cli.common import (
    DbOption,
    FrameworkOption,
    LangOption,
    UnitOption,
    context,
    lang,
    parse_day,
    t,
    written,
)
from itss.services import transfer

app = typer.Typer(
    help="Write the skill map or everyone's evidence to CSV or .xlsx.", no_args_is_help=True
)
Format = Literal["csv", "xlsx"]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", help="csv or xlsx (default: the output file's suffix)", show_default=False
    ),
]
OutputOption = Annotated[Path, typer.Option("--output", "-o", help="the file to write")]


@app.command("skillmap")
def skillmap_command(
    output: OutputOption,
    fmt: FormatOption = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="levels as assessed on this date (default: latest)"),
    ] = None,
    unit: UnitOption = None,
    provisional: Annotated[
        bool,
        typer.Option("--provisional", help="also the provisional level of each field"),
    ] = False,
    language: LangOption = None,
    db: DbOption = None,
    framework_files: FrameworkOption = None,
) -> None:
    """People x fields with the level in each cell."""
    target = _with_format(output, fmt)
    with context(db, framework_files) as ctx:
        paths = transfer.export_skillmap(
            ctx,
            target,
            day=parse_day(as_of),
            unit=unit,
            lang=lang(language),
            provisional=provisional,
        )
    written(paths)


@app.command("evidence")
def evidence_command(
    output: OutputOption,
    fmt: FormatOption = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="the evidence as recorded on this date (default: now)"),
    ] = None,
    db: DbOption = None,
    language: LangOption = None,
) -> None:
    """Org units, people and every item of their evidence; it can be imported again."""
    lang(language)
    target = _with_format(output, fmt)
    moment = _moment(at)
    with context(db) as ctx:
        written(transfer.export_evidence(ctx, target, at=moment))


def _with_format(output: Path, fmt: Format | None) -> Path:
    """The output path, given the suffix of `--format` when it has none."""
    if fmt is None or output.suffix.lower() == f".{fmt}":
        return output
    if output.suffix:
        raise typer.BadParameter(
            t("cli.output.suffix", path=output, fmt=fmt), param_hint="--output"
        )
    return output.with_suffix(f".{fmt}")


def _moment(value: str | None) -> dt.datetime | None:
    """The end of the given day, UTC: everything recorded on that day counts."""
    day = parse_day(value, "--at")
    return None if day is None else transfer.end_of(day)
