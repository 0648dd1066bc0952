"""Organisation units: read by the skills office, admins and managers (their own units);
created, renamed and moved by admins, each change naming the revision it was based on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from itss.api.deps import Ctx
from itss.api.etags import IfMatch, etag, expected
from itss.api.schemas import Page, Paging, UnitIn, UnitOut, paged
from itss.services import units
from itss.store.org import UnitRecord

router = APIRouter(prefix="/api/units", tags=["units"])
Code = Annotated[str, Path(min_length=1, max_length=100)]


def _out(unit: UnitRecord) -> UnitOut:
    return UnitOut(**vars(unit))


@router.get("", operation_id="listUnits")
def list_units(ctx: Ctx, paging: Annotated[Paging, Query()]) -> Page[UnitOut]:
    """The units you may see, by code, each with its parent."""
    return paged([_out(u) for u in units.listing(ctx)], paging)


@router.get("/{code}", operation_id="getUnit")
def get_unit(code: Code, ctx: Ctx, response: Response) -> UnitOut:
    found = units.get(ctx, code)
    response.headers["ETag"] = etag(found.revision)
    return _out(found.unit)


@router.put(
    "/{code}",
    operation_id="saveUnit",
    responses={201: {"model": UnitOut, "description": "created"}},
)
def save_unit(
    code: Code, body: UnitIn, ctx: Ctx, response: Response, if_match: IfMatch = None
) -> UnitOut:
    """Create a unit (If-Match: "0") or rename or move one (If-Match: its ETag); admins."""
    unit = UnitRecord(code, body.name, body.name_en, body.parent)
    saved, created = units.save(ctx, unit, expected=expected(if_match))
    response.headers["ETag"] = etag(saved.revision)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return _out(saved.unit)
