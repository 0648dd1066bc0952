"""`itss import`: files checked, then applied all or nothing; or a template to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from itss.cli.bulk import progress
from itss.cli.common import (
    ByOption,
    DbOption,
    FrameworkOption,
    LangOption,
    context,
    lang,
    t,
    written,
)
from itss.io.batch import ImportRejectedError
from itss.services import framework

if TYPE_CHECKING:
    from itss.services import transfer
    from itss.store.imports import ImportSummary


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
            written(framework.import_template(ctx, template))
            return
        # Imported here: the store it needs is not imported for a template (see itss.cli.main).
        from itss.services import transfer  # noqa: PLC0415

        if not files:
            raise typer.BadParameter(t("cli.import.nothing"), param_hint="FILES")
        with transfer.read_import(ctx, files) as read:
            if check:
                _checked(transfer.check_import(ctx, read))
                return
            with progress("import", read.batch.people_count()) as advance:
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
