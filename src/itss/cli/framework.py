"""`itss framework ...`: the catalogue at a glance, one indicator in detail, JSON export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.diff import CriterionChange, FrameworkDiff
from itss.catalogue.export import export
from itss.catalogue.models import Criterion, Level, Text
from itss.cli.common import (
    ByOption,
    DbOption,
    FrameworkOption,
    LangOption,
    UnitOption,
    context,
    lang,
    parse_day,
    t,
)
from itss.cli.render import section_name
from itss.errors import CatalogueError
from itss.io.case import case_package, framework_document
from itss.io.exporter import write_table
from itss.io.framework import load_framework
from itss.io.parsing import parse, read_text
from itss.io.schemas import dumps
from itss.services import framework

if TYPE_CHECKING:
    from itss.services import impact

app = typer.Typer(help="The ITSS framework catalogue.", no_args_is_help=True)
CHANGE_WORDS = {"added": "change.added", "removed": "change.removed", "changed": "change.changed"}
console = Console()


def _t(text: Text | None, language: str) -> str:
    if text is None:
        return ""
    mark = (
        " †"
        if (language == "en" and text.en_unofficial) or (language == "ja" and text.ja_unofficial)
        else ""
    )
    return text.get(language) + mark


def _framework(files: list[Path] | None, db: str | None = None) -> Catalogue:
    """The built-in framework, or the one the database's organisation adopted, plus `files`."""
    with context(db, framework_files=files) as ctx:
        return ctx.framework


@app.command("list", help="Categories, their fields and the levels each field has.")
def list_(
    framework_files: FrameworkOption = None, db: DbOption = None, language: LangOption = None
) -> None:
    catalogue, chosen = _framework(framework_files, db), lang(language)
    table = Table(title="ITSS", show_lines=False)
    # Fold long names rather than cut them: a narrow terminal still shows every word.
    table.add_column(t("heading.category"), overflow="fold")
    table.add_column(t("heading.field"), overflow="fold")
    table.add_column("id", overflow="fold")
    for number in range(1, 8):
        table.add_column(f"L{number}", justify="center")
    for category in catalogue.categories.values():
        for index, fld in enumerate(category.fields):
            marks = ["■" if n in fld.levels else "" for n in range(1, 8)]
            label = f"{_t(category.name, chosen)} ({category.edition})" if index == 0 else ""
            table.add_row(label, _t(fld.name, chosen), fld.id, *marks)
    console.print(table)
    console.print(t("cli.framework.legend", version=catalogue.version))


@app.command(help="One category's indicators, or one field's, laid out readably.")
def show(
    category: Annotated[str, typer.Argument(help="category id, e.g. itsm")],
    field: Annotated[str | None, typer.Argument(help="field id or its last part")] = None,
    level: Annotated[int | None, typer.Option("--level", min=1, max=7)] = None,
    framework_files: FrameworkOption = None,
    language: LangOption = None,
) -> None:
    catalogue, chosen = _framework(framework_files), lang(language)
    if category not in catalogue.categories:
        known = ", ".join(catalogue.categories)
        raise typer.BadParameter(
            t("cli.framework.unknown_category", category=category, known=known),
            param_hint="CATEGORY",
        )
    for fid in _fields(catalogue, category, field):
        for field_level in catalogue.field_levels(fid):
            if level is None or field_level.level.level == level:
                console.print(_level_tree(catalogue, fid, field_level.level, chosen))


def _fields(catalogue: Catalogue, category: str, field: str | None) -> list[str]:
    ids = [f.id for f in catalogue.categories[category].fields]
    if field is None:
        return ids
    matches = [i for i in ids if field in (i, i.split(".")[-1])]
    if not matches:
        raise typer.BadParameter(
            t("cli.framework.unknown_field", field=field, category=category, known=", ".join(ids)),
            param_hint="FIELD",
        )
    return matches


def _level_tree(catalogue: Catalogue, field_id: str, level: Level, language: str) -> Tree:
    name = _t(catalogue.fields[field_id].name, language)
    key = "cli.framework.level_common" if level.common_to else "cli.framework.level"
    tree = Tree(f"[bold]{name} — {t(key, level=level.level)}[/bold]  [dim]{level.id}[/dim]")
    for criterion in level.criteria:
        _criterion_node(tree, criterion, language)
    return tree


def _criterion_node(parent: Tree, criterion: Criterion, language: str) -> None:
    section = section_name(criterion.section, language)
    flags = []
    if criterion.attestation or (criterion.rule or {}).get("kind") == "attested":
        flags.append(t("cli.framework.attestation"))
    if criterion.informational:
        flags.append(t("cli.framework.info"))
    flag = f" [yellow]({t('list.separator').join(flags)})[/yellow]" if flags else ""
    label = (
        f"[cyan]{section}[/cyan]{flag} {_t(criterion.text, language)}"
        if not criterion.concept
        else f"☐ {_t(criterion.text, language)}"
    )
    # Evidence names a checklist item by its concept (the same item at every level).
    ident = f"{criterion.concept}  ({criterion.id})" if criterion.concept else criterion.id
    node = parent.add(f"{label}  [dim]{ident}[/dim]")
    for item in criterion.items:
        _criterion_node(node, item, language)


@app.command("export")
def export_(
    fmt: Annotated[str, typer.Option("--format", help="json or case (1EdTech CASE 1.1)")] = "json",
    changed: Annotated[
        str | None,
        typer.Option(
            "--changed",
            help="CASE: the last change, e.g. 2026-04-01T00:00:00+09:00 (default: now, UTC)",
        ),
    ] = None,
    framework_files: FrameworkOption = None,
    db: DbOption = None,
) -> None:
    """The whole catalogue as JSON (see `itss framework schema`), or as a CASE 1.1 package."""
    if fmt not in ("json", "case"):
        raise typer.BadParameter(t("cli.framework.format", fmt=fmt), param_hint="--format")
    catalogue = _framework(framework_files, db)
    if fmt == "case":
        data = case_package(catalogue, _moment(changed))
    else:
        data = export(catalogue).model_dump(mode="json", exclude_none=True)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1))


@app.command("import")
def import_command(
    package: Annotated[Path, typer.Argument(help="a CASE 1.1 package (JSON) written by itss")],
    output: Annotated[Path, typer.Option("--output", "-o", help="the framework file to write")],
) -> None:
    """A CASE package as a framework file (YAML): load it, adopt it, or compare it."""
    parsed = parse(read_text(package, CatalogueError), str(package), CatalogueError)
    document = framework_document(parsed, str(package))
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    load_framework(texts=[(f"{output.stem}.yaml", text)], include_builtin=False)  # or refused
    partial = output.with_name(f".{output.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)  # whole or not at all
    typer.echo(t("cli.wrote", path=output))


def _moment(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise typer.BadParameter(t("cli.framework.changed", value=value), param_hint="--changed")
    return moment


@app.command("adopt")
def adopt_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="tailored framework files, in loading order (none: the built-in)"),
    ] = None,
    db: DbOption = None,
    by: ByOption = None,
    language: LangOption = None,
) -> None:
    """Make the framework of these files the organisation's: kept in its database, recorded,
    and used by every assessment from now on (earlier ones keep their version)."""
    # Imported here, as in `impact`: the other commands need no store (see itss.cli.main).
    from itss.services import framework_files  # noqa: PLC0415

    lang(language)
    with context(db, by=by) as ctx:
        texts = [(path.name, read_text(path, CatalogueError)) for path in files or []]
        ids = [framework_files.upload(ctx, name, text.encode()).id for name, text in texts]
        adopted = framework_files.adopt(ctx, ids)
    typer.echo(t("cli.framework.adopted", version=adopted.version, files=len(ids)))


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="`builtin`, `adopted` or a framework file")],
    new: Annotated[str, typer.Argument(help="`builtin`, `adopted` or a framework file")],
    as_json: Annotated[bool, typer.Option("--json", help="as JSON")] = False,
    db: DbOption = None,
    language: LangOption = None,
) -> None:
    """What changed from framework OLD to NEW: fields and criteria added, removed and
    changed (texts, thresholds, counts, rules), by field and level."""
    chosen = lang(language)
    with context(db) as ctx:
        found = framework.compare(ctx, old, new)
    if as_json:
        typer.echo(json.dumps(_diff_json(found), ensure_ascii=False, indent=1))
        return
    console.print(t("cli.framework.diff_versions", old=found.old_version, new=found.new_version))
    if found.empty:
        console.print(t("cli.framework.no_changes"))
    if found.fields:
        console.print(_fields_table(found, chosen))
    if found.criteria:
        console.print(_criteria_table(found, chosen))


def _rule(rule: dict[str, object] | None) -> str:
    return json.dumps(rule, ensure_ascii=False, sort_keys=True) if rule else "-"


def _detail(change: CriterionChange, language: str) -> str:
    """What a person reads of one change: the text, or each changed part as old → new."""
    if change.old is None or change.new is None:
        shown = change.new or change.old
        return _t(shown.text, language) if shown else ""
    before, after = change.old, change.new
    parts = {
        "text.ja": (before.text.ja, after.text.ja),
        "text.en": (before.text.en or "", after.text.en or ""),
        "rule": (_rule(before.rule), _rule(after.rule)),
        "section": (str(before.section), str(after.section)),
        "items": (", ".join(i.id for i in before.items), ", ".join(i.id for i in after.items)),
    }
    return "\n".join(
        f"{part}: {parts[part][0]} → {parts[part][1]}" for part in change.parts if part in parts
    )


def _fields_table(found: FrameworkDiff, language: str) -> Table:
    table = Table(show_lines=True)
    for heading in ("heading.change", "heading.field", "heading.what", "heading.detail"):
        table.add_column(t(heading), overflow="fold")
    for change in found.fields:
        names = [_t(f.name, language) for f in (change.old, change.new) if f is not None]
        detail = " → ".join(dict.fromkeys(names))
        if "succeeds" in change.parts and change.new is not None:
            detail += "\nsucceeds: " + ", ".join(change.new.succeeds)
        table.add_row(t(CHANGE_WORDS[change.change]), change.field, ", ".join(change.parts), detail)
    return table


def _criteria_table(found: FrameworkDiff, language: str) -> Table:
    table = Table(show_lines=True)
    headings = ("heading.field", "heading.level", "heading.change", "heading.criterion")
    for heading in (*headings, "heading.what", "heading.detail"):
        table.add_column(t(heading), overflow="fold")
    for change in found.criteria:
        table.add_row(
            change.owner,
            str(change.level),
            t(CHANGE_WORDS[change.change]),
            change.criterion,
            ", ".join(change.parts),
            _detail(change, language),
        )
    return table


def _diff_json(found: FrameworkDiff) -> dict[str, object]:
    def dumped(entry: BaseModel | None) -> object:
        return entry.model_dump(mode="json", exclude_none=True) if entry is not None else None

    return {
        "old_version": found.old_version,
        "new_version": found.new_version,
        "fields": [
            {
                "field": c.field,
                "change": c.change,
                "parts": list(c.parts),
                "old": dumped(c.old),
                "new": dumped(c.new),
            }
            for c in found.fields
        ],
        "criteria": [
            {
                "criterion": c.criterion,
                "field": c.owner,
                "level": c.level,
                "change": c.change,
                "parts": list(c.parts),
                "old": dumped(c.old),
                "new": dumped(c.new),
            }
            for c in found.criteria
        ],
    }


@app.command("impact")
def impact_command(
    new: Annotated[str, typer.Argument(help="`builtin`, `adopted` or a framework file")],
    policy: Annotated[
        Path | None, typer.Option("--policy", help="a policy file (default: the one in use)")
    ] = None,
    unit: UnitOption = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="default: today")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="as JSON")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="a .csv or .xlsx file to write")
    ] = None,
    db: DbOption = None,
    language: LangOption = None,
) -> None:
    """Who would change level, in which field, up or down, and by which criterion, if the
    organisation used framework NEW (or another policy). Nothing is written."""
    from itss.services import impact  # noqa: PLC0415

    chosen = lang(language)
    day = parse_day(as_of) or dt.date.today()
    with context(db) as ctx:
        found = impact.of_named(ctx, new, policy=policy, unit=unit, as_of=day)
    header, rows = impact.table(found, chosen)
    if output is not None:
        for path in write_table(output, "impact", header, rows):
            typer.echo(t("cli.wrote", path=path))
    elif as_json:
        typer.echo(json.dumps(impact.as_dict(found), ensure_ascii=False, indent=1))
    else:
        console.print(_impact_summary(found))
        table = Table(show_lines=True)
        for heading in header:
            table.add_column(heading, overflow="fold")
        for cells in rows:
            table.add_row(*(str(c) for c in cells))
        console.print(table)


def _impact_summary(found: impact.Impact) -> str:
    up = sum(1 for c in found.changes if c.up)
    return t(
        "cli.framework.impact_summary",
        people=found.people,
        day=found.as_of,
        before=found.before.version,
        before_policy=found.before_policy,
        after=found.after.version,
        after_policy=found.after_policy,
        changes=len(found.changes),
        up=up,
        down=len(found.changes) - up,
    )


@app.command(help="The JSON Schema of `itss framework export`.")
def schema() -> None:
    typer.echo(dumps("catalogue"), nl=False)


__all__ = ["app"]
