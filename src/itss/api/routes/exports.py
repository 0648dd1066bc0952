"""Exports, streamed as they are made (never written to a file first)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from itss.api.deps import Ctx, Lang
from itss.services import transfer

router = APIRouter(prefix="/api/exports", tags=["exports"])
CSV = "text/csv; charset=utf-8"


@router.get(
    "/skillmap.csv",
    operation_id="exportSkillMap",
    response_class=StreamingResponse,
    responses={200: {"content": {CSV: {}}, "description": "the skill map as CSV"}},
)
def skill_map(
    ctx: Ctx,
    lang: Lang,
    unit: Annotated[str | None, Query(max_length=100)] = None,
    on: dt.date | None = None,
    provisional: bool = False,
) -> StreamingResponse:
    """People x fields, the level in each cell, field names in the language asked for; with
    `provisional`, each field's provisional level beside it. The same file as
    `itss export skillmap`."""
    lines = transfer.skillmap_csv(ctx, day=on, unit=unit, lang=lang, provisional=provisional)
    headers = {"Content-Disposition": 'attachment; filename="skillmap.csv"'}
    return StreamingResponse(lines, media_type=CSV, headers=headers)
