"""The organisation's views: skill map, level distribution, staffing targets and gaps."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, status

from itss.api.deps import Ctx
from itss.api.schemas import (
    GapOut,
    Limit,
    Page,
    Paging,
    SkillRowOut,
    TargetIn,
    TrendPointOut,
    paged,
)
from itss.services import organisation
from itss.store.targets import TargetRecord

router = APIRouter(prefix="/api", tags=["organisation"])
Unit = Annotated[str | None, Query(max_length=100, description="this unit and those below")]
Day = Annotated[dt.date | None, Query(description="as on this day (default: today)")]


@router.get("/skill-map", operation_id="getSkillMap")
def skill_map(
    ctx: Ctx,
    *,
    unit: Unit = None,
    on: Day = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[Limit, Query()] = 100,
    sort: Annotated[
        str | None, Query(max_length=200, description="a field: highest level in it first")
    ] = None,
) -> Page[SkillRowOut]:
    """People x fields: the level (and provisional level) in each, from the latest runs; by
    person, or by the level in one field (`sort`)."""
    total, rows = organisation.skill_map_page(
        ctx, day=on, unit=unit, offset=offset, limit=limit, by_field=sort
    )
    items = [SkillRowOut(**vars(r)) for r in rows]
    return Page(total=total, offset=offset, limit=limit, items=items)


@router.get("/distribution", operation_id="getDistribution")
def distribution(ctx: Ctx, unit: Unit = None, on: Day = None) -> dict[str, dict[int, int]]:
    """How many people are at each level, by field (from the skill map of the day)."""
    return organisation.level_distribution(ctx, day=on, unit=unit)


@router.get("/trend", operation_id="getTrend")
def trend(
    ctx: Ctx,
    unit: Unit = None,
    field: Annotated[str | None, Query(max_length=200, description="one field")] = None,
) -> list[TrendPointOut]:
    """People per level, by field, at each stored run, oldest first: the trend over years
    (one point per run: not paged)."""
    return [TrendPointOut(**vars(p)) for p in organisation.trend(ctx, unit=unit, field=field)]


@router.get("/targets", operation_id="listTargets")
def list_targets(ctx: Ctx, paging: Annotated[Paging, Query()], on: Day = None) -> Page[TargetIn]:
    found = organisation.targets_on(ctx, on or dt.date.today())
    return paged([TargetIn(**vars(t)) for t in found], paging)


@router.post("/targets", operation_id="createTarget", status_code=status.HTTP_201_CREATED)
def create_target(body: TargetIn, ctx: Ctx) -> TargetIn:
    organisation.add_targets(ctx, [TargetRecord(**body.model_dump())])
    return body


@router.get("/gaps", operation_id="getGaps")
def gaps(
    ctx: Ctx, paging: Annotated[Paging, Query()], on: Day = None, unit: Unit = None
) -> Page[GapOut]:
    """Each target in force (of `unit` and the units below it) against the people assessed
    at its level or above."""
    found = [
        GapOut(
            unit=g.target.unit,
            field=g.target.field,
            level=g.target.level,
            wanted=g.target.wanted,
            have=g.have,
            short=g.missing,
        )
        for g in organisation.gaps(ctx, on or dt.date.today(), unit=unit)
    ]
    return paged(found, paging)
