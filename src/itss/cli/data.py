"""`itss import` and `itss export skillmap|evidence`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer

from itss.cli.common import (
    ByOption,
    DbOption,
    FrameworkOption,
    LangOption,
    context,
    lang,
    parse_day,
    t,
)
from itss.cli.db import bulk_memory, progress
from itss.io.batch import ImportRejectedError
from itss.services import transfer
from itss.store.imports import ImportSummary

export_app = typer.Typer(
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


def _written(paths: list[Path]) -> None:
    for path in paths:
        typer.echo(t("cli.wrote", path=path))


def import_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="CSV or .xlsx files, applied together: all of them or nothing"),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="write an empty import template (.xlsx or .csv) instead"),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="only check the files: report problems, write nothing")
    ] = False,
    db: DbOption = None,
    by: ByOption = None,
    framework_files: FrameworkOption = None,
    language: LangOption = None,
) -> None:
    """Import org units, people and their evidence, all or nothing.

    If any row is wrong, every problem is listed (sheet, row, column) and nothing changes.
    """
    lang(language)
    if template is not None and files:
        raise typer.BadParameter(t("cli.import.files_and_template"), param_hint="FILES")
    with context(db, framework_files, by=by) as ctx:
        if template is not None:
            _written(transfer.template(ctx, template))
            return
        if not files:
            raise typer.BadParameter(t("cli.import.nothing"), param_hint="FILES")
        with bulk_memory():
            read = transfer.read_import(ctx, files)
            if check:
                _checked(transfer.check_import(ctx, read))
                return
            with progress("import", len(read.batch.people_refs())) as advance:
                summary = transfer.apply_import(ctx, read, progress=advance)
    _imported(summary)


def _checked(found: transfer.ImportCheck) -> None:
    if not found.ok:
        raise ImportRejectedError(found.problems)
    typer.echo(t("cli.import.checked", rows=len(found.batch)))


def _imported(summary: ImportSummary) -> None:
    typer.echo(
        t(
            "cli.import.done",
            rows=summary.rows,
            created=summary.people.created,
            revised=summary.people.revised,
            unchanged=summary.people.unchanged,
            units_created=summary.units.created,
            units_revised=summary.units.revised,
        )
    )


@export_app.command("skillmap")
def skillmap_command(
    output: OutputOption,
    fmt: FormatOption = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="levels as assessed on this date (default: latest)"),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="only this org unit and the units below it")
    ] = None,
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
        written = transfer.export_skillmap(
            ctx,
            target,
            day=parse_day(as_of),
            unit=unit,
            lang=lang(language),
            provisional=provisional,
        )
    _written(written)


@export_app.command("evidence")
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
        _written(transfer.export_evidence(ctx, target, at=moment))


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
