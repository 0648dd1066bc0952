"""The loaded framework, browsed: categories, fields, levels and criteria by their ids."""

from __future__ import annotations

from itss.catalogue.catalogue import FieldLevel
from itss.catalogue.models import Category, Criterion, SpecialtyField
from itss.errors import NotFoundError
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
