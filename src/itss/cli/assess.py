"""`itss assess FILE` and `itss assess --all`: levels per field with the explanation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from itss.catalogue.catalogue import Catalogue
from itss.cli.bulk import DEFAULT_JOBS, JobsOption, progress
from itss.cli.common import (
    DbOption,
    FrameworkOption,
    LangOption,
    context,
    lang,
    parse_day,
    t,
    today,
)
from itss.cli.render import distribution_table, run_line, section_name
from itss.engine.result import Assessment, FieldResult
from itss.engine.verdict import LevelVerdict, Status
from itss.i18n.render import render, status_word
from itss.io.report import report
from itss.services import evidence_files

if TYPE_CHECKING:
    from itss.services.assessments import RunReport

console = Console()
STYLE = {
    Status.MET_BY_EVIDENCE: "green",
    Status.MET_BY_ATTESTATION: "green",
    Status.NEEDS_ATTESTATION: "yellow",
    Status.NOT_MET: "red",
}


def assess_command(
    evidence_file: Annotated[
        Path | None, typer.Argument(help="evidence file, YAML or JSON (or --all)")
    ] = None,
    language: LangOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="assess as on this date (default: today)")
    ] = None,
    policy_file: Annotated[Path | None, typer.Option("--policy", help="policy file")] = None,
    all_fields: Annotated[bool, typer.Option("--all-fields", help="list every field")] = False,
    framework_files: FrameworkOption = None,
    everyone: Annotated[
        bool, typer.Option("--all", help="re-assess everyone in the database, as one run")
    ] = False,
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="with --all: only this org unit and the units below it"),
    ] = None,
    db: DbOption = None,
    jobs: JobsOption = DEFAULT_JOBS,
    explained: Annotated[
        bool,
        typer.Option(
            "--explained",
            help="with --all: keep every explained verdict, not only the levels (slower; "
            "kept verdicts stay readable whatever version of the engine reads them)",
        ),
    ] = False,
) -> None:
    """Assess one person's evidence: the level in each field, why, and what is missing.

    With --all, everyone in the database instead: one stored assessment per person, and how
    many people reached each level in each field and org unit. A stored assessment keeps
    the levels; its verdicts are made again, exactly, when it is read (--explained: kept).
    """
    _refuse_contradictions(evidence_file, everyone, all_fields)
    for name, given in (("--unit", unit is not None), ("--explained", explained)):
        if given and not everyone:
            raise typer.BadParameter(t("cli.assess.needs_all", option=name), param_hint=name)
    chosen = lang(language)
    day = parse_day(as_of) or today()
    with context(db, framework_files, policy=policy_file) as ctx:
        if everyone:
            # Imported here: assessing a file needs no store (see itss.cli.main).
            from itss.services import assessments  # noqa: PLC0415

            total = assessments.people_count(ctx, unit)
            with progress("assess", total) as advance:
                done = assessments.assess_everyone(
                    ctx, day, unit=unit, jobs=jobs, progress=advance, explained=explained
                )
            _run_report(ctx.framework, done, chosen, as_json)
            return
        assert evidence_file is not None  # checked above
        result = evidence_files.assess_file(ctx, evidence_file, day, all_fields=all_fields)
        if as_json:
            typer.echo(
                json.dumps(
                    report(ctx.framework, result).model_dump(mode="json"),
                    ensure_ascii=False,
                    indent=1,
                )
            )
            return
        show(ctx.framework, result, chosen)


def _refuse_contradictions(evidence_file: Path | None, everyone: bool, all_fields: bool) -> None:
    if everyone and evidence_file is not None:
        raise typer.BadParameter(t("cli.assess.file_and_all"), param_hint="EVIDENCE_FILE")
    if everyone and all_fields:
        raise typer.BadParameter(t("cli.assess.all_fields_and_all"), param_hint="--all-fields")
    if not everyone and evidence_file is None:
        raise typer.BadParameter(t("cli.assess.nothing"), param_hint="EVIDENCE_FILE")


# A table per org unit reads well for a company's few units; a nation's 20,000 would bury the
# summary under hundreds of thousands of lines (and took half a minute to print).
UNIT_TABLES = 20


def _run_report(catalogue: Catalogue, done: RunReport, language: str, as_json: bool) -> None:
    if as_json:
        run = done.run
        summary = {
            "run": run.run_id,
            "as_of": run.as_of.isoformat(),
            "framework_version": run.framework_version,
            "policy": run.policy,
            "people": run.people,
            "by_field": {f: dict(sorted(c.items())) for f, c in sorted(done.by_field.items())},
            "by_unit": {
                unit or "": {f: dict(sorted(c.items())) for f, c in sorted(fields.items())}
                for unit, fields in sorted(done.by_unit.items(), key=lambda u: u[0] or "")
            },
        }
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    run_line(done.run)
    distribution_table(catalogue, done.by_field, language)
    units = sorted(done.by_unit.items(), key=lambda u: u[0] or "")
    if len(units) > UNIT_TABLES:
        typer.echo(t("cli.assess.units_many", count=len(units)))
        return
    for unit, fields in units:
        title = unit or t("cli.unit.none")
        distribution_table(catalogue, fields, language, title=title, every_field=False)


def show(catalogue: Catalogue, result: Assessment, language: str) -> None:
    console.print(
        t(
            "cli.assess.header",
            name=f"[bold]{result.name}[/bold]",
            person=result.person,
            day=result.as_of,
            framework=result.framework_version,
            policy=result.policy,
        )
    )
    table = Table()
    for key in ("heading.field", "heading.level", "heading.provisional", "heading.next"):
        table.add_column(t(key))
    for fr in result.fields:
        table.add_row(
            catalogue.fields[fr.field].name.get(language),
            _number(fr.level),
            _number(fr.provisional_level),
            _number(fr.next.level if fr.next else 0),
        )
    console.print(table)
    shown: set[str] = set()
    for fr in result.fields:
        _explain(catalogue, fr, language, shown)


def _number(level: int) -> str:
    return str(level) if level else "—"


def _explain(catalogue: Catalogue, fr: FieldResult, language: str, shown: set[str]) -> None:
    name = catalogue.fields[fr.field].name.get(language)
    console.rule(f"{name} [dim]{fr.field}[/dim]")
    for level in (fr.reached, fr.next if fr.next is not fr.reached else None):
        if level is not None:
            _level(catalogue, level, language, shown)
    if any(s.claimed or s.attested for s in fr.skills):
        _skills(catalogue, fr, language)
    _steps(catalogue, fr, language)


def _steps(catalogue: Catalogue, fr: FieldResult, language: str) -> None:
    """What to do next: the highest level within reach first, then the one above it."""
    for index, step in enumerate(fr.steps):
        if not step.missing:
            continue
        if step.attestations_only:
            title = t("cli.next.attestations", count=len(step.missing), level=step.level)
        elif index:
            title = t("cli.next.then", level=step.level)
        else:
            title = t("cli.next.reach", level=step.level)
        table = Table(title=title, title_justify="left", show_header=False, expand=True)
        table.add_column("", no_wrap=True)
        # Folded, not cut: Japanese has no spaces to wrap at, and every word must show.
        table.add_column("what", ratio=4, overflow="fold")
        table.add_column("criterion", style="dim", ratio=1, overflow="fold")
        for verdict in step.missing:
            table.add_row("•", render(verdict.missing, language, catalogue), verdict.criterion)
        console.print(table)


def _level(catalogue: Catalogue, level: LevelVerdict, language: str, shown: set[str]) -> None:
    """A level's verdicts, whole texts wrapped; a level common to several fields once."""
    if level.level_id in shown:
        console.print(f"[dim]L{level.level}  {level.level_id}: {t('cli.see_above')}[/dim]")
        return
    shown.add(level.level_id)
    table = Table(title=f"L{level.level}  {level.level_id}", title_justify="left", expand=True)
    for key, options in (
        ("heading.status", {"no_wrap": True}),
        ("heading.section", {"no_wrap": True}),
        ("heading.criterion", {"ratio": 3, "overflow": "fold"}),
        ("heading.reason", {"ratio": 3, "style": "dim", "overflow": "fold"}),
    ):
        table.add_column(t(key), **options)
    for verdict in level.criteria:
        style = STYLE[verdict.status]
        criterion = catalogue.criteria[verdict.criterion]
        section = section_name(criterion.section, language)
        table.add_row(
            f"[{style}]{status_word(verdict.status, language)}[/{style}]",
            section,
            criterion.text.get(language),
            render(verdict.reason, language, catalogue),
        )
    console.print(table)


def _skills(catalogue: Catalogue, fr: FieldResult, language: str) -> None:
    table = Table(title=t("heading.skill_profile"), title_justify="left")
    for key in ("heading.skill_item", "heading.claimed", "heading.attested", "heading.knowledge"):
        table.add_column(t(key), overflow="fold")
    for skill in fr.skills:
        knowledge = t("list.separator").join(k.text.get(language) for k in skill.knowledge[:4])
        more = f" (+{len(skill.knowledge) - 4})" if len(skill.knowledge) > 4 else ""
        table.add_row(
            catalogue.skill_items[skill.item].name.get(language),
            str(skill.claimed or "—"),
            str(skill.attested or "—"),
            knowledge + more,
        )
    console.print(table)
