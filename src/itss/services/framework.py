"""The loaded framework, browsed: categories, fields, levels and criteria by their ids."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itss.catalogue.catalogue import Catalogue, FieldLevel
from itss.catalogue.diff import FrameworkDiff, diff
from itss.catalogue.models import Category, Criterion, SpecialtyField, Text
from itss.errors import NotFoundError
from itss.io.framework import load_framework
from itss.io.template import write_template
from itss.services.context import Context


def categories(ctx: Context) -> list[Category]:
    return list(ctx.framework.categories.values())


def category(ctx: Context, category_id: str) -> Category:
    found = ctx.framework.categories.get(category_id)
    if found is None:
        raise NotFoundError(key="framework.unknown", values={"kind": "category", "id": category_id})
    return found


def field(ctx: Context, field_id: str) -> tuple[Category, SpecialtyField]:
    found = ctx.framework.fields.get(field_id)
    if found is None:
        raise NotFoundError(key="framework.unknown", values={"kind": "field", "id": field_id})
    return ctx.framework.category_of(field_id), found


def level(ctx: Context, field_id: str, number: int) -> FieldLevel:
    _, fld = field(ctx, field_id)
    found = ctx.framework.by_field[field_id].get(number)
    if found is None:
        values = {"kind": "level", "id": f"{field_id} L{number}"}
        raise NotFoundError(key="framework.unknown", values=values)
    return FieldLevel(fld, found)


def criterion(ctx: Context, criterion_id: str) -> Criterion:
    found = ctx.framework.criteria.get(criterion_id)
    if found is None:
        values = {"kind": "criterion", "id": criterion_id}
        raise NotFoundError(key="framework.unknown", values=values)
    return found


BUILTIN = "builtin"  # the name of the built-in framework where a command names a framework
ADOPTED = "adopted"  # the framework the organisation adopted (its database's)


def named(ctx: Context, name: str) -> Catalogue:
    """A framework by name: `builtin`, `adopted`, or a tailored framework file on top of the
    built-in framework, as adopting it would give (a company standard derived from ITSS
    says `replaces: [itsm]` for the categories it adapts)."""
    if name == BUILTIN:
        return load_framework(ctx.settings.framework_files)
    if name == ADOPTED:
        return ctx.framework
    return load_framework([*ctx.settings.framework_files, Path(name)])


def compare(ctx: Context, old: str, new: str) -> FrameworkDiff:
    """Every field and criterion added, removed or changed from framework `old` to `new`."""
    return diff(named(ctx, old), named(ctx, new))


@dataclass(frozen=True)
class Choices:
    """What an engagement in a field can name, in the source's words: the complexity items
    and expertise areas of its levels (each concept once, lowest level first) and the size
    measures its thresholds count."""

    complexity: list[tuple[str, Text]]
    areas: list[tuple[str, Text]]
    measures: list[str]


def choices(ctx: Context, field_id: str) -> Choices:
    field(ctx, field_id)
    found: dict[str, dict[str, Text]] = {"complexity": {}, "expertise": {}}
    measures: dict[str, None] = {}
    for number in sorted(ctx.framework.by_field[field_id]):
        for criterion in ctx.framework.by_field[field_id][number].criteria:
            _gather(criterion, criterion.section, found, measures)
    return Choices(
        list(found["complexity"].items()), list(found["expertise"].items()), list(measures)
    )


def _gather(
    criterion: Criterion, section: str, found: dict[str, dict[str, Text]], measures: dict[str, None]
) -> None:
    if criterion.concept and section in found:
        found[section].setdefault(criterion.concept, criterion.text)
    for rule in _rules(criterion.rule):
        if rule.get("kind") == "measure" and isinstance(rule.get("measure"), str):
            measures.setdefault(rule["measure"], None)
    for item in criterion.items:
        _gather(item, section, found, measures)


def _rules(rule: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A rule and the rules it holds (`all_of`/`any_of` hold several in `of`)."""
    if rule is None:
        return []
    inner = [r for r in rule.get("of") or [] if isinstance(r, dict)]
    return [rule, *(r for found in inner for r in _rules(found))]


def activity_types(ctx: Context) -> list[tuple[str, Text]]:
    """The kinds of professional contribution (papers, lectures, ...), in the source's words."""
    return [
        (concept, criteria[0].text)
        for concept, criteria in ctx.framework.concepts.items()
        if concept.startswith("activity.")
    ]


def areas(ctx: Context) -> list[tuple[str, list[tuple[str, Text]]]]:
    """The areas of expertise of every field, by field, in the source's words."""
    found = []
    for field_id in ctx.framework.fields:
        listed = choices(ctx, field_id).areas
        if listed:
            found.append((field_id, listed))
    return found


def exams(ctx: Context) -> list[str]:
    """The examinations the framework's rules ask for (the ids a qualification records)."""
    found: dict[str, None] = {}
    for criterion in ctx.framework.criteria.values():
        for rule in _rules(criterion.rule):
            if rule.get("kind") == "qualification" and isinstance(rule.get("exam"), str):
                found.setdefault(rule["exam"], None)
    return list(found)


def import_template(ctx: Context, path: Path) -> list[Path]:
    """An import template (.xlsx or .csv) for the framework in use: its sheets, and the
    lists to choose from."""
    return write_template(path, ctx.framework)
