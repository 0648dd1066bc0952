"""`itss assess FILE`: levels per field with the explanation, as a table or JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from itss.catalogue.catalogue import Catalogue
from itss.cli.common import FrameworkOption, LangOption, framework, lang, parse_day
from itss.cli.data import assess_everyone
from itss.cli.db import DEFAULT_JOBS, DbOption, JobsOption
from itss.engine.evaluate import Evaluator
from itss.engine.messages import render, word
from itss.engine.policy import DEFAULT_POLICY, Policy
from itss.engine.result import Assessment, FieldResult
from itss.engine.verdict import LevelVerdict, Status
from itss.io.documents import read_evidence, read_policy
from itss.io.report import report
from itss.settings import get_settings

console = Console()
STYLE = {
    Status.MET_BY_EVIDENCE: "green",
    Status.MET_BY_ATTESTATION: "green",
    Status.NEEDS_ATTESTATION: "yellow",
    Status.NOT_MET: "red",
}


def policy_from(path: Path | None, catalogue: Catalogue) -> Policy:
    chosen = path or get_settings().policy_file
    return read_policy(chosen, catalogue) if chosen else DEFAULT_POLICY


def assess_command(
    evidence_file: Annotated[
        Path | None, typer.Argument(help="evidence file, YAML or JSON (or --all)")
    ] = None,
    language: LangOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="assess as on this date")] = None,
    policy_file: Annotated[Path | None, typer.Option("--policy", help="policy file")] = None,
    all_fields: Annotated[bool, typer.Option("--all-fields", help="list every field")] = False,
    framework_files: FrameworkOption = None,
    everyone: Annotated[
        bool, typer.Option("--all", help="re-assess everyone in the database, as one run")
    ] = False,
    db: DbOption = None,
    jobs: JobsOption = DEFAULT_JOBS,
) -> None:
    """Assess one person's evidence: the level in each field, why, and what is missing.

    With --all, everyone in the database instead: one stored snapshot per person.
    """
    chosen = lang(language)
    day = parse_day(as_of)
    catalogue = framework(framework_files)
    evaluator = Evaluator(catalogue, policy_from(policy_file, catalogue))
    if everyone or evidence_file is None:
        if not everyone:
            raise typer.BadParameter("give an evidence file, or --all", param_hint="EVIDENCE_FILE")
        assess_everyone(db, catalogue, evaluator, day or dt.date.today(), jobs)
        return
    evidence = read_evidence(evidence_file, catalogue)
    result = evaluator.assess(evidence, day, all_fields=all_fields)
    if as_json:
        typer.echo(
            json.dumps(
                report(catalogue, result).model_dump(mode="json"), ensure_ascii=False, indent=1
            )
        )
        return
    show(catalogue, result, chosen)


def show(catalogue: Catalogue, result: Assessment, language: str) -> None:
    en = language == "en"
    console.print(
        f"[bold]{result.name}[/bold] ({result.person}) — "
        f"{'as of' if en else '基準日'} {result.as_of}, "
        f"framework {result.framework_version}, policy {result.policy}"
    )
    table = Table()
    for title in (
        ("field", "level", "provisional", "next") if en else ("専門分野", "レベル", "暫定", "次")
    ):
        table.add_column(title)
    for fr in result.fields:
        next_level = str(fr.next.level) if fr.next else "—"
        table.add_row(
            catalogue.fields[fr.field].name.get(language),
            str(fr.level or "—"),
            str(fr.provisional_level or "—"),
            next_level,
        )
    console.print(table)
    for fr in result.fields:
        _explain(catalogue, fr, language)


def _explain(catalogue: Catalogue, fr: FieldResult, language: str) -> None:
    name = catalogue.fields[fr.field].name.get(language)
    console.rule(f"{name} [dim]{fr.field}[/dim]")
    if fr.reached is not None:
        _level(catalogue, fr.reached, language)
    if fr.next is not None and fr.next is not fr.reached:
        _level(catalogue, fr.next, language)
    if any(s.claimed or s.attested for s in fr.skills):
        _skills(catalogue, fr, language)
    if fr.missing and fr.next is not None:
        number = fr.next.level
        title = f"To reach level {number}" if language == "en" else f"レベル{number}に必要なこと"
        console.print(f"[bold]{title}:[/bold]")
        for verdict in fr.missing:
            missing = render(verdict.missing, language, catalogue)
            console.print(f"  • {missing}  [dim]{verdict.criterion}[/dim]")


def _level(catalogue: Catalogue, level: LevelVerdict, language: str) -> None:
    table = Table(
        title=f"L{level.level}  {level.level_id}",
        title_justify="left",
        show_header=False,
        expand=True,
    )
    table.add_column("status", no_wrap=True)
    table.add_column("criterion", ratio=2)
    table.add_column("reason", ratio=3, style="dim")
    for verdict in level.criteria:
        style = STYLE[verdict.status]
        text = catalogue.criteria[verdict.criterion].text.get(language)
        short = text if len(text) <= 80 else text[:79] + "…"
        table.add_row(
            f"[{style}]{word(verdict.status, language)}[/{style}]",
            short,
            render(verdict.reason, language, catalogue),
        )
    console.print(table)


def _skills(catalogue: Catalogue, fr: FieldResult, language: str) -> None:
    en = language == "en"
    table = Table(title="Skill profile" if en else "スキルプロファイル", title_justify="left")
    for title in (
        ("skill item", "claimed", "attested", "knowledge items")
        if en
        else ("スキル項目", "申告", "確認", "知識項目")
    ):
        table.add_column(title)
    for skill in fr.skills:
        knowledge = ("; " if en else "、").join(k.text.get(language) for k in skill.knowledge[:4])
        more = f" (+{len(skill.knowledge) - 4})" if len(skill.knowledge) > 4 else ""
        table.add_row(
            catalogue.skill_items[skill.item].name.get(language),
            str(skill.claimed or "—"),
            str(skill.attested or "—"),
            knowledge + more,
        )
    console.print(table)
