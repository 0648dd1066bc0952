"""`itss framework ...`: the catalogue at a glance, one indicator in detail, JSON export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.export import export
from itss.catalogue.models import Criterion, Level, Text
from itss.cli.common import ByOption, DbOption, FrameworkOption, LangOption, context, lang, t
from itss.cli.render import section_name
from itss.errors import CatalogueError
from itss.io.parsing import read_text
from itss.io.schemas import dumps
from itss.services import framework_files

app = typer.Typer(help="The ITSS framework catalogue.", no_args_is_help=True)
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


@app.command("export", help="The whole catalogue as JSON (see `itss framework schema`).")
def export_(
    fmt: Annotated[str, typer.Option("--format", help="json")] = "json",
    framework_files: FrameworkOption = None,
) -> None:
    if fmt != "json":
        raise typer.BadParameter(t("cli.framework.format", fmt=fmt), param_hint="--format")
    data = export(_framework(framework_files)).model_dump(mode="json", exclude_none=True)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1))


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
    lang(language)
    with context(db, by=by) as ctx:
        texts = [(path.name, read_text(path, CatalogueError)) for path in files or []]
        ids = [framework_files.upload(ctx, name, text.encode()).id for name, text in texts]
        adopted = framework_files.adopt(ctx, ids)
    typer.echo(t("cli.framework.adopted", version=adopted.version, files=len(ids)))


@app.command(help="The JSON Schema of `itss framework export`.")
def schema() -> None:
    typer.echo(dumps("catalogue"), nl=False)


__all__ = ["app"]
