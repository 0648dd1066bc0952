"""Long work over HTTP: start a run of everyone or an import, then read its progress and
result. The request only records the job; a worker does it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, UploadFile, status
from starlette.datastructures import UploadFile as StarletteUpload

from itss.api.deps import Ctx, Lang
from itss.api.schemas import ImpactIn, JobOut, Limit, Page, RunIn
from itss.io.limits import FILE_BYTES
from itss.services import jobs
from itss.services.jobs import Runner
from itss.store.jobs import JobRecord

router = APIRouter(prefix="/api", tags=["jobs"])
JobId = Annotated[int, Path(ge=1, le=2**62)]
UPLOAD_BYTES = 200 << 20  # per request: larger imports go through `itss import` on the host
UPLOAD_FILES = 20


def _runner(request: Request) -> Runner:
    runner: Runner = request.app.state.runner
    return runner


def out(job: JobRecord, lang: str, runner: Runner | None = None) -> JobOut:
    values = vars(jobs.as_now(job, lang, runner))
    return JobOut(**{k: v for k, v in values.items() if k in JobOut.model_fields})


@router.post("/runs", operation_id="startRun", status_code=status.HTTP_202_ACCEPTED)
def start_run(body: RunIn, request: Request, ctx: Ctx, lang: Lang) -> JobOut:
    """Assess everyone (or one unit and the units below it) as one stored run."""
    params = {
        "as_of": (body.as_of or dt.date.today()).isoformat(),
        "unit": body.unit,
        "explained": body.explained,
    }
    return out(jobs.start(ctx, _runner(request), "assess_all", params), lang)


async def read_uploads(files: Sequence[StarletteUpload]) -> dict[str, bytes]:
    if not files or len(files) > UPLOAD_FILES:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT)
    found: dict[str, bytes] = {}
    total = 0
    for upload in files:
        content = await upload.read(min(UPLOAD_BYTES, FILE_BYTES) + 1 - total)
        total += len(content)
        if total > UPLOAD_BYTES:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE)
        found[(upload.filename or "upload.csv")[-200:]] = content
    return found


@router.post("/imports", operation_id="checkImport", status_code=status.HTTP_202_ACCEPTED)
async def check_import(files: list[UploadFile], request: Request, ctx: Ctx, lang: Lang) -> JobOut:
    """Upload import files (.csv or .xlsx): a job checks every row, writing nothing; its
    result lists every problem by sheet, row and column, in Japanese and English."""
    content = await read_uploads(files)
    return out(jobs.start(ctx, _runner(request), "import_check", {}, content), lang)


@router.post(
    "/imports/{job_id}/apply", operation_id="applyImport", status_code=status.HTTP_202_ACCEPTED
)
def apply_import(job_id: JobId, request: Request, ctx: Ctx, lang: Lang) -> JobOut:
    """Import the files of a check that found no problem, all or nothing."""
    return out(jobs.apply_import(ctx, _runner(request), job_id), lang)


@router.post("/impact", operation_id="startImpact", status_code=status.HTTP_202_ACCEPTED)
def start_impact(body: ImpactIn, request: Request, ctx: Ctx, lang: Lang) -> JobOut:
    """Who would change level, in which field and by which criterion, under other framework
    files (stored ones, by id; default: those adopted) or other readings of the sources'
    ambiguities: a job whose result lists every change. Nothing else is written."""
    params = {
        "files": body.files,
        "readings": body.readings,
        "as_of": (body.as_of or dt.date.today()).isoformat(),
        "unit": body.unit,
    }
    return out(jobs.start(ctx, _runner(request), "impact", params), lang)


@router.get("/jobs/{job_id}", operation_id="getJob")
def get_job(job_id: JobId, request: Request, ctx: Ctx, lang: Lang) -> JobOut:
    """A job you started: its state, progress (done of total) and result."""
    return out(jobs.get(ctx, job_id), lang, _runner(request))


@router.get("/jobs", operation_id="listJobs")
def list_jobs(
    ctx: Ctx,
    lang: Lang,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[Limit, Query()] = 50,
) -> Page[JobOut]:
    total, found = jobs.listing(ctx, offset=offset, limit=limit)
    return Page(total=total, offset=offset, limit=limit, items=[out(j, lang) for j in found])
