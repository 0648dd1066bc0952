"""Exports: CSV streamed as it is made; .xlsx, a zip whose index comes last, made in a
temporary folder (as openpyxl makes every sheet), sent, then removed."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from itss.api.deps import Ctx, Lang
from itss.services import transfer

router = APIRouter(prefix="/api/exports", tags=["exports"])
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Unit = Annotated[str | None, Query(max_length=100, description="this unit and those below")]


def _xlsx(stem: str, write: Callable[[Path], list[Path]]) -> FileResponse:
    """The workbook `write` makes at the path it is given, sent as `stem`.xlsx, then removed."""
    folder = Path(tempfile.mkdtemp(prefix="itss-export-"))
    name = f"{stem}.xlsx"
    try:
        [path] = write(folder / name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    cleanup = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
    return FileResponse(path, media_type=XLSX, filename=name, background=cleanup)


@router.get(
    "/skillmap.csv",
    operation_id="exportSkillMap",
    response_class=StreamingResponse,
    responses={200: {"content": {CSV: {}}, "description": "the skill map as CSV"}},
)
def skill_map(
    ctx: Ctx,
    lang: Lang,
    unit: Unit = None,
    on: dt.date | None = None,
    provisional: bool = False,
) -> StreamingResponse:
    """People x fields, the level in each cell, field names in the language asked for; with
    `provisional`, each field's provisional level beside it. The same file as
    `itss export skillmap`."""
    lines = transfer.skillmap_csv(ctx, day=on, unit=unit, lang=lang, provisional=provisional)
    headers = {"Content-Disposition": 'attachment; filename="skillmap.csv"'}
    return StreamingResponse(lines, media_type=CSV, headers=headers)


@router.get(
    "/skillmap.xlsx",
    operation_id="exportSkillMapWorkbook",
    response_class=FileResponse,
    responses={200: {"content": {XLSX: {}}, "description": "the skill map as .xlsx"}},
)
def skill_map_workbook(
    ctx: Ctx, lang: Lang, unit: Unit = None, on: dt.date | None = None, provisional: bool = False
) -> FileResponse:
    """The skill map as a workbook: the header and the people's columns stay in view and
    every column filters. The same file as `itss export skillmap --format xlsx`."""

    def write(path: Path) -> list[Path]:
        return transfer.export_skillmap(
            ctx, path, day=on, unit=unit, lang=lang, provisional=provisional
        )

    return _xlsx("skillmap", write)


@router.get(
    "/evidence.xlsx",
    operation_id="exportEvidence",
    response_class=FileResponse,
    responses={200: {"content": {XLSX: {}}, "description": "units, people and evidence"}},
)
def evidence_workbook(
    ctx: Ctx, at: Annotated[dt.date | None, Query(description="as recorded by then")] = None
) -> FileResponse:
    """Org units, people and every item of their evidence, one sheet each: a file that
    `POST /api/imports` takes back. The same file as `itss export evidence`."""
    moment = None if at is None else transfer.end_of(at)
    return _xlsx("evidence", lambda path: transfer.export_evidence(ctx, path, at=moment))
