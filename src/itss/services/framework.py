"""The loaded framework, browsed: categories, fields, levels and criteria by their ids."""

from __future__ import annotations

from pathlib import Path

from itss.catalogue.catalogue import Catalogue, FieldLevel
from itss.catalogue.diff import FrameworkDiff, diff
from itss.catalogue.models import Category, Criterion, SpecialtyField
from itss.errors import NotFoundError
from itss.io.framework import load_framework
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
