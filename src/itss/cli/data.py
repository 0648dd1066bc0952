"""`itss import`, `itss export skillmap|evidence`, and `itss assess --all`'s database run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from itss.catalogue.catalogue import Catalogue
from itss.cli.common import FrameworkOption, framework, parse_day
from itss.cli.db import ByOption, DbOption, bulk_memory, progress, ready_store, who
from itss.engine.evaluate import Evaluator
from itss.io.exporter import SkillLine, write_evidence, write_skillmap, write_template
from itss.io.importer import read_import
from itss.store import assessing, imports, org, people, views
from itss.store.assessing import RunSummary
from itss.store.change import Change

console = Console()
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
        typer.echo(f"wrote {path}")


def import_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="CSV or .xlsx files, applied together: all of them or nothing"),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="write an empty import template (.xlsx or .csv) instead"),
    ] = None,
    db: DbOption = None,
    by: ByOption = None,
    framework_files: FrameworkOption = None,
) -> None:
    """Import org units, people and their evidence, all or nothing.

    If any row is wrong, every problem is listed (sheet, row, column) and nothing changes.
    """
    catalogue = framework(framework_files)
    if template is not None:
        _written(write_template(template, catalogue))
        return
    if not files:
        raise typer.BadParameter(
            "give the files to import (or --template FILE)", param_hint="FILES"
        )
    change = Change(who(by), f"import: {', '.join(f.name for f in files)}"[:500])
    with ready_store(db) as store, bulk_memory():
        batch, problems = read_import(files, catalogue)
        with progress("import", len(batch.people_refs())) as advance:
            summary = store.run(
                lambda s: imports.apply(s, batch, change, problems=problems, progress=advance)
            )
    _imported(summary)


def _imported(summary: imports.ImportSummary) -> None:
    typer.echo(
        f"imported {summary.rows} rows: {summary.people.created} new people, "
        f"{summary.people.revised} changed, {summary.people.unchanged} unchanged; "
        f"{summary.units.created} new org units, {summary.units.revised} changed"
    )


def assess_everyone(
    db: str | None,
    catalogue: Catalogue,
    evaluator: Evaluator,
    as_of: dt.date,
    jobs: int,
    by: str | None = None,
) -> RunSummary:
    """Re-assess everyone in the database as one run, in one transaction."""
    change = Change(who(by), "assess --all")
    with ready_store(db) as store, bulk_memory():
        with store.transaction() as session:
            total = people.count(session)
        with progress("assess", total) as advance:
            summary = assessing.assess_all(
                store, evaluator, as_of, change, jobs=jobs, progress=advance
            )
    console.print(
        f"assessed {summary.people} people as of {as_of} (run {summary.run_id}, "
        f"framework {catalogue.version}, policy {summary.policy})"
    )
    return summary


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
    db: DbOption = None,
    framework_files: FrameworkOption = None,
) -> None:
    """People x fields with the level in each cell."""
    target = _with_format(output, fmt)
    catalogue = framework(framework_files)
    with ready_store(db) as store, store.transaction() as session:
        rows = views.skill_map(session, day=parse_day(as_of), unit=unit)
    lines: list[SkillLine] = [
        (r.ref, r.name, r.org_unit, {f: lv for f, (lv, _) in r.levels.items()}) for r in rows
    ]
    extra = sorted({f for r in rows for f in r.levels} - set(catalogue.fields))
    _written(write_skillmap(target, lines, catalogue, extra))


@export_app.command("evidence")
def evidence_command(
    output: OutputOption,
    fmt: FormatOption = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="the evidence as recorded on this date (default: now)"),
    ] = None,
    db: DbOption = None,
) -> None:
    """Org units, people and every item of their evidence; it can be imported again."""
    target = _with_format(output, fmt)
    moment = _moment(at)
    with ready_store(db) as store, store.transaction() as session:
        units = [vars(u) for u in org.tree(session, at=moment).values()]
        everyone = ((r.evidence, r.org_unit) for r in people.records(session, at=moment))
        _written(write_evidence(target, units, everyone))


def _with_format(output: Path, fmt: Format | None) -> Path:
    """The output path, given the suffix of `--format` when it has none."""
    if fmt is None or output.suffix.lower() == f".{fmt}":
        return output
    if output.suffix:
        raise typer.BadParameter(f"{output} does not end in .{fmt}", param_hint="--output")
    return output.with_suffix(f".{fmt}")


def _moment(value: str | None) -> dt.datetime | None:
    """The end of the given day, UTC: everything recorded on that day counts."""
    day = parse_day(value, "--at")
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
