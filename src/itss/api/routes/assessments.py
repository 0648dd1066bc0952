"""A person's assessment: computed now (or as on a past day) from their current evidence, or
as a run stored it; and their history of stored assessments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from itss.api.deps import Ctx
from itss.api.schemas import HistoryOut, Page, Paging, paged
from itss.engine.evidence import Evidence
from itss.io.report import AssessmentReport, report
from itss.services import assessments

router = APIRouter(prefix="/api/people/{ref}", tags=["assessments"])
Ref = Annotated[str, Path(min_length=1, max_length=200)]
Day = Annotated[dt.date | None, Query(description="as on this day (default: today)")]


@router.get("/assessment", operation_id="assessPerson")
def assess_person(ref: Ref, ctx: Ctx, as_of: Day = None) -> AssessmentReport:
    """Every field's level with the verdict on every criterion, explained in Japanese and
    English, and what is missing for the next level. Nothing is stored."""
    return assessments.person_report(ctx, ref, as_of or dt.date.today())


@router.post("/assessment/what-if", operation_id="assessWhatIf")
def assess_what_if(ref: Ref, body: Evidence, ctx: Ctx, as_of: Day = None) -> AssessmentReport:
    """The assessment the given evidence would give, before anything is saved."""
    day = as_of or dt.date.today()
    return report(ctx.framework, assessments.assess_person(ctx, ref, day, evidence=body))


@router.get("/assessments", operation_id="listAssessments")
def list_assessments(ref: Ref, ctx: Ctx, paging: Annotated[Paging, Query()]) -> Page[HistoryOut]:
    """Every stored assessment of the person, oldest first: levels by field."""
    return paged([HistoryOut(**vars(line)) for line in assessments.history(ctx, ref)], paging)


@router.get("/assessments/latest", operation_id="getStoredAssessment")
def stored_assessment(
    ref: Ref,
    ctx: Ctx,
    on: Annotated[dt.date | None, Query(description="the latest as on this day")] = None,
) -> AssessmentReport:
    """The assessment as the latest run stored it, every verdict as it was made."""
    found = assessments.stored(ctx, ref, on)
    return report(found.framework, found.assessment)
