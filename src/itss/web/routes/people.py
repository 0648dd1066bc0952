"""The engineer's pages: my levels with every verdict explained and the way to the next level;
my evidence, edited in forms whose choices are the framework's own words; what a change would
give before it is saved; submitting for review; my official levels."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itss.engine.evidence import DEPTHS, MEASURES, ROLES, Evidence
from itss.errors import ItssError, NotFoundError
from itss.io.report import AssessmentReport, report
from itss.services import assessments, framework, people, reviews
from itss.web.forms import (
    FormProblemsError,
    activity_of,
    engagement_of,
    expertise_of,
    mentoring_of,
    qualification_of,
)
from itss.web.paging import Offset, pager
from itss.web.session import Form, Page, SignedIn

router = APIRouter(include_in_schema=False)
Ref = Annotated[str, Path(min_length=1, max_length=200)]
Part = Annotated[str, Path(pattern="^(engagement|activity|expertise|mentoring|qualification)$")]
Day = Annotated[dt.date | None, Query()]
# What the page says after a change it made (?done=...).
DONE = {
    "saved": "web.done.saved",
    "submitted": "web.done.submitted",
    "withdrawn": "web.done.withdrawn",
}


@router.get("/me")
def me(page: SignedIn) -> Response:
    if page.actor.person is None:
        raise NotFoundError(key="web.me.no_person")
    return RedirectResponse(f"/people/{page.actor.person}", status_code=303)


PAGE = 50


@router.get("/people")
def directory(
    page: SignedIn,
    q: Annotated[str, Query(max_length=100)] = "",
    offset: Offset = 0,
) -> HTMLResponse:
    """The people one may see, found by id or name."""
    total, lines = people.directory(page.ctx, text=q or None, offset=offset, limit=PAGE)
    shown = pager(total, offset, PAGE, q=q)
    return page.render("people/directory.html", lines=lines, q=q, **shown)


@router.get("/people/{ref}")
def assessment(ref: Ref, page: SignedIn, as_of: Day = None, done: str = "") -> HTMLResponse:
    day = as_of or dt.date.today()
    found = assessments.person_report(page.ctx, ref, day)
    return page.render(
        "people/assessment.html",
        report=found,
        official=reviews.official(page.ctx, ref),
        reviewed=reviews.of_person(page.ctx, ref),
        states=reviews.STATE_WORDS,
        history=assessments.history(page.ctx, ref),
        fields=page.ctx.framework.fields,
        done=DONE.get(done),
    )


@router.get("/people/{ref}/evidence")
def evidence(ref: Ref, page: SignedIn) -> HTMLResponse:
    stored = people.current(page.ctx, ref)
    return page.render(
        "people/evidence.html",
        ref=ref,
        evidence=stored.record.evidence,
        revision=stored.number,
        fields=page.ctx.framework.fields,
        concepts=page.ctx.framework.concepts,
        areas=framework.areas(page.ctx),
        depths=DEPTHS,
        exams=framework.exams(page.ctx),
    )


def _engagement_form(
    page: Page,
    ref: str,
    revision: int,
    values: dict[str, Any],
    *,
    status: int = 200,
    problems: list[tuple[str, str]] | None = None,
) -> HTMLResponse:
    field_id = values.get("field") or next(iter(page.ctx.framework.fields))
    return page.render(
        "people/engagement.html",
        status,
        ref=ref,
        revision=revision,
        values=values,
        fields=page.ctx.framework.fields,
        choices=framework.choices(page.ctx, field_id),
        roles=ROLES,
        measures=MEASURES,
        problems=problems or [],
    )


@router.get("/people/{ref}/engagements/new")
def new_engagement(ref: Ref, page: SignedIn, field: str = "") -> HTMLResponse:
    values = {"field": field, "criteria": [], "succeeded": True, "role": "member"}
    revision = people.current(page.ctx, ref).number
    return _engagement_form(page, ref, revision, values | {"new": True})


@router.get("/people/{ref}/engagements/{engagement_id}")
def edit_engagement(ref: Ref, engagement_id: Ref, page: SignedIn) -> HTMLResponse:
    stored = people.current(page.ctx, ref)
    found = next((e for e in stored.record.evidence.engagements if e.id == engagement_id), None)
    if found is None:
        raise NotFoundError(key="web.engagement.unknown", values={"id": engagement_id})
    return _engagement_form(page, ref, stored.number, found.model_dump() | {"new": False})


@router.get("/people/{ref}/choices")
def choices(ref: Ref, page: SignedIn, field: Annotated[str, Query(max_length=200)]) -> HTMLResponse:
    """The complexity items and size measures of a field: the form's part that follows the
    field chosen."""
    return page.render(
        "people/choices.html",
        choices=framework.choices(page.ctx, field),
        values={"criteria": [], "field": field},
        measures=MEASURES,
    )


def _engagement_in(current: Evidence, form: Any, lang: str) -> dict[str, Any]:
    """The engagements with the form's: a new one, or the one it changes (`replaces`)."""
    engagement = engagement_of(form, lang)
    replaced = str(form.get("replaces") or "")
    kept = [e for e in current.engagements if e.id not in (replaced, engagement.id)]
    return {"engagements": [e.model_dump() for e in (*kept, engagement)]}


def _expertise_in(current: Evidence, form: Any, lang: str) -> dict[str, Any]:
    """The areas with the form's: an area has one depth, the latest recorded."""
    area = expertise_of(form, lang)
    kept = [x for x in current.expertise if x.area != area.area]
    return {"expertise": [x.model_dump() for x in (*kept, area)]}


def _activity_in(current: Evidence, form: Any, lang: str) -> dict[str, Any]:
    added = activity_of(form, lang)
    return {"succession": [a.model_dump() for a in (*current.succession, added)]}


def _mentoring_in(current: Evidence, form: Any, lang: str) -> dict[str, Any]:
    added = mentoring_of(form, lang)
    return {"mentoring": [m.model_dump() for m in (*current.mentoring, added)]}


def _qualification_in(current: Evidence, form: Any, lang: str) -> dict[str, Any]:
    added = qualification_of(form, lang)
    return {"qualifications": [q.model_dump() for q in (*current.qualifications, added)]}


PARTS = {
    "engagement": _engagement_in,
    "expertise": _expertise_in,
    "activity": _activity_in,
    "mentoring": _mentoring_in,
    "qualification": _qualification_in,
}


def _changed(page: Page, ref: str, part: str, form: Any) -> Evidence:
    """The person's evidence with the form's engagement, area or contribution put in."""
    current = people.current(page.ctx, ref).record.evidence
    return Evidence.model_validate(current.model_dump() | PARTS[part](current, form, page.lang))


@router.post("/people/{ref}/what-if/{part}")
def what_if(ref: Ref, part: Part, page: SignedIn, form: Form) -> HTMLResponse:
    """The levels the form would give, beside today's; nothing is saved."""
    day = dt.date.today()
    try:
        changed = _changed(page, ref, part, form)
    except FormProblemsError as invalid:
        return page.render("people/problems.html", 422, problems=invalid.problems)
    before = assessments.person_report(page.ctx, ref, day)
    after = report(
        page.ctx.framework, assessments.assess_person(page.ctx, ref, day, evidence=changed)
    )
    return page.render("people/what_if.html", rows=_compare(before, after), after=after)


def _compare(before: AssessmentReport, after: AssessmentReport) -> list[dict[str, Any]]:
    was = {f.field: f for f in before.fields}
    return [{"name": f.name, "before": was.get(f.field), "after": f} for f in after.fields]


@router.post("/people/{ref}/submit")
def submit(ref: Ref, page: SignedIn, form: Form) -> Response:
    reviews.submit(page.ctx, ref, dt.date.today())
    return RedirectResponse(f"/people/{ref}?done=submitted", status_code=303)


# Where each part of the evidence is saved: /people/{ref}/<list>. Declared last, so that the
# other pages of a person (/people/{ref}/submit) are matched first.
LISTS = {
    "engagements": "engagement",
    "activities": "activity",
    "expertise": "expertise",
    "mentoring": "mentoring",
    "qualifications": "qualification",
}
Listed = Annotated[str, Path(pattern=f"^({'|'.join(LISTS)})$")]


@router.post("/people/{ref}/{listed}")
def save(ref: Ref, listed: Listed, page: SignedIn, form: Form) -> Response:
    """Save an engagement, contribution, area, mentoring or qualification (the revision
    read must still be the latest)."""
    part = LISTS[listed]
    try:
        changed = _changed(page, ref, part, form)
    except FormProblemsError as invalid:
        if part == "engagement":
            values = {k: form.get(k) for k in form} | {
                "criteria": form.getlist("criteria"),
                "new": not form.get("replaces"),
            }
            return _engagement_form(
                page, ref, _revision(form), values, status=422, problems=invalid.problems
            )
        return page.render("people/problems.html", 422, problems=invalid.problems)
    people.record(page.ctx, changed, expected=_revision(form))
    return RedirectResponse(f"/people/{ref}?done=saved", status_code=303)


def _revision(form: Any) -> int:
    """The revision of the evidence the form was made from (a form always carries it)."""
    sent = str(form.get("revision") or "")
    if not sent.isdigit() or int(sent) < 1:
        raise ItssError(key="web.form_incomplete")
    return int(sent)
