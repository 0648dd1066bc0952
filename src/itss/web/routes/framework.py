"""The framework browser: categories, fields, and each level's indicator laid out as the
source lays it out, with the source file and line of every criterion."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from itss.services import framework
from itss.web.session import SignedIn

router = APIRouter(prefix="/framework", include_in_schema=False)
Id = Annotated[str, Path(min_length=1, max_length=200)]
Number = Annotated[int, Path(ge=1, le=7)]


@router.get("")
def categories(page: SignedIn) -> HTMLResponse:
    return page.render("framework/index.html", categories=framework.categories(page.ctx))


@router.get("/fields/{field_id}")
def field(field_id: Id, page: SignedIn) -> HTMLResponse:
    category, found = framework.field(page.ctx, field_id)
    return page.render("framework/field.html", category=category, field=found)


@router.get("/fields/{field_id}/levels/{number}")
def level(field_id: Id, number: Number, page: SignedIn) -> HTMLResponse:
    found = framework.level(page.ctx, field_id, number)
    category = page.ctx.framework.category_of(field_id)
    # The source's order: its sections one after the other, each criterion in place.
    sections = [(s, list(c)) for s, c in groupby(found.level.criteria, key=lambda c: c.section)]
    return page.render(
        "framework/level.html",
        category=category,
        field=found.field,
        level=found.level,
        sections=sections,
    )
