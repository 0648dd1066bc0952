"""The skills office's pages: the skill map as a heat map, the level distribution as charts,
gaps against targets and the trend over the years, imports checked before they are applied,
exports, assessment runs with their progress, and the framework impact report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from itss.api.routes.jobs import read_uploads
from itss.errors import ItssError
from itss.services import framework_files, jobs, organisation, units
from itss.services.jobs import Runner
from itss.web.paging import Offset, pager
from itss.web.session import Form, SignedIn

router = APIRouter(prefix="/office", include_in_schema=False)
Unit = Annotated[str, Query(max_length=100)]
JobId = Annotated[int, Path(ge=1, le=2**62)]
PAGE = 100
KINDS = {
    "assess_all": "web.job.assess_all",
    "import_check": "web.job.import_check",
    "import_apply": "web.job.import_apply",
    "impact": "web.job.impact",
}
JOB_STATES = {
    "queued": "web.job.queued",
    "running": "web.job.running",
    "done": "web.job.done",
    "failed": "web.job.failed",
}


def _runner(request: Request) -> Runner:
    runner: Runner = request.app.state.runner
    return runner


def _columns(distribution: dict[str, dict[int, int]], fields: dict[str, Any]) -> list[str]:
    """The fields anyone is assessed in, in the framework's order."""
    return [f for f in fields if f in distribution]


@router.get("/skill-map")
def skill_map(page: SignedIn, unit: Unit = "", sort: Unit = "", offset: Offset = 0) -> HTMLResponse:
    ctx = page.ctx
    shown = unit or None
    by_field = sort if sort in ctx.framework.fields else None
    distribution = organisation.level_distribution(ctx, day=None, unit=shown)
    total, rows = organisation.skill_map_page(
        ctx, day=None, unit=shown, offset=offset, limit=PAGE, by_field=by_field
    )
    return page.render(
        "office/skill_map.html",
        rows=rows,
        columns=_columns(distribution, ctx.framework.fields),
        fields=ctx.framework.fields,
        units=units.listing(ctx),
        unit=unit,
        sort=by_field or "",
        **pager(total, offset, PAGE, unit=unit, sort=by_field or ""),
    )


@router.get("/distribution")
def distribution(page: SignedIn, unit: Unit = "") -> HTMLResponse:
    ctx = page.ctx
    counts = organisation.level_distribution(ctx, day=None, unit=unit or None)
    charts = [
        (f, counts[f], max(counts[f].values())) for f in _columns(counts, ctx.framework.fields)
    ]
    return page.render(
        "office/distribution.html",
        charts=charts,
        fields=ctx.framework.fields,
        units=units.listing(ctx),
        unit=unit,
    )


@router.get("/gaps")
def gaps(page: SignedIn, unit: Unit = "") -> HTMLResponse:
    ctx = page.ctx
    points = organisation.trend(ctx, unit=unit or None)
    trend_fields = [f for f in ctx.framework.fields if any(f in p.levels for p in points)]
    return page.render(
        "office/gaps.html",
        gaps=organisation.gaps(ctx, dt.date.today(), unit=unit or None),
        points=points,
        trend_fields=trend_fields,
        fields=ctx.framework.fields,
        units=units.listing(ctx),
        unit=unit,
    )


@router.get("/imports")
def imports(page: SignedIn) -> HTMLResponse:
    return page.render("office/imports.html")


@router.post("/imports")
async def check_import(request: Request, page: SignedIn, form: Form) -> Response:
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    content = await read_uploads(files)
    job = jobs.start(page.ctx, _runner(request), "import_check", {}, content)
    return RedirectResponse(f"/office/jobs/{job.id}", status_code=303)


@router.post("/jobs/{job_id}/apply")
def apply_import(job_id: JobId, request: Request, page: SignedIn, form: Form) -> Response:
    job = jobs.apply_import(page.ctx, _runner(request), job_id)
    return RedirectResponse(f"/office/jobs/{job.id}", status_code=303)


@router.get("/jobs")
def job_list(page: SignedIn, offset: Offset = 0) -> HTMLResponse:
    total, found = jobs.listing(page.ctx, offset=offset, limit=PAGE)
    return page.render(
        "office/jobs.html",
        jobs=[jobs.as_now(j, page.lang) for j in found],
        files=framework_files.listing(page.ctx),
        units=units.listing(page.ctx),
        **pager(total, offset, PAGE),
        today=dt.date.today(),
        kinds=KINDS,
        job_states=JOB_STATES,
    )


@router.post("/runs")
def start_run(request: Request, page: SignedIn, form: Form) -> Response:
    try:
        day = dt.date.fromisoformat(str(form.get("as_of") or dt.date.today().isoformat()))
    except ValueError:
        raise ItssError(key="web.bad_day", values={"value": str(form.get("as_of"))[:40]}) from None
    params = {
        "as_of": day.isoformat(),
        "unit": str(form.get("unit") or "") or None,
        "explained": form.get("explained") is not None,
    }
    job = jobs.start(page.ctx, _runner(request), "assess_all", params)
    return RedirectResponse(f"/office/jobs/{job.id}", status_code=303)


@router.post("/impact")
def start_impact(request: Request, page: SignedIn, form: Form) -> Response:
    chosen = [int(str(f)) for f in form.getlist("files") if str(f).isdigit()]
    params: dict[str, Any] = {
        "files": chosen or None,
        "readings": {},
        "as_of": dt.date.today().isoformat(),
        "unit": str(form.get("unit") or "") or None,
    }
    job = jobs.start(page.ctx, _runner(request), "impact", params)
    return RedirectResponse(f"/office/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job(job_id: JobId, request: Request, page: SignedIn) -> HTMLResponse:
    found = jobs.as_now(jobs.get(page.ctx, job_id), page.lang, _runner(request))
    name = "office/job_part.html" if request.headers.get("hx-request") else "office/job.html"
    return page.render(
        name, job=found, fields=page.ctx.framework.fields, kinds=KINDS, job_states=JOB_STATES
    )
