"""The review workflow: a person submits, their manager attests or rejects criteria and
approves or returns; an impossible transition is a 409 that says the review's state."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from itss.api.deps import Ctx, Lang
from itss.api.routes.framework import localized, sources
from itss.api.schemas import (
    CommentIn,
    DecisionIn,
    DecisionOut,
    Limit,
    OfficialOut,
    Page,
    Paging,
    ReviewDetailOut,
    ReviewEventOut,
    ReviewOut,
    SubmitIn,
    ToAttest,
    paged,
)
from itss.io.report import report
from itss.services import reviews
from itss.services.context import Context
from itss.services.reviews import ReviewDetail
from itss.store.reviews import ReviewRecord

router = APIRouter(prefix="/api", tags=["reviews"])
ReviewId = Annotated[int, Path(ge=1, le=2**62)]
Ref = Annotated[str, Path(min_length=1, max_length=200)]
State = Annotated[
    str | None, Query(pattern="^(submitted|approved|returned|withdrawn|invalidated)$")
]


def _out(review: ReviewRecord) -> ReviewOut:
    values = vars(review).copy()
    values.pop("revision_id")
    return ReviewOut(**values)


def _detail(ctx: Context, found: ReviewDetail, lang: str) -> ReviewDetailOut:
    criteria = ctx.framework.criteria
    return ReviewDetailOut(
        review=_out(found.review),
        evidence=found.evidence,
        assessment=report(ctx.framework, found.assessment),
        to_attest=[
            ToAttest(
                criterion=c,
                text=localized(criteria[c].text, lang),
                sources=sources(criteria[c].sources),
            )
            for c in found.to_attest
        ],
        decisions=[DecisionOut(**vars(d)) for d in found.decisions],
        events=[ReviewEventOut(**vars(e)) for e in found.events],
    )


@router.post(
    "/people/{ref}/reviews", operation_id="submitReview", status_code=status.HTTP_201_CREATED
)
def submit(ref: Ref, body: SubmitIn, ctx: Ctx) -> ReviewOut:
    """Submit the person's current evidence for review (the person, or the skills office)."""
    return _out(reviews.submit(ctx, ref, body.as_of or dt.date.today()))


@router.get("/people/{ref}/official-levels", operation_id="listOfficialLevels")
def official(ref: Ref, ctx: Ctx, paging: Annotated[Paging, Query()]) -> Page[OfficialOut]:
    """The person's official levels, as approved reviews gave them, oldest first."""
    return paged([OfficialOut(**vars(o)) for o in reviews.official(ctx, ref)], paging)


@router.get("/reviews", operation_id="listReviews")
def queue(
    ctx: Ctx,
    state: State = "submitted",
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[Limit, Query()] = 50,
) -> Page[ReviewOut]:
    """The review queue: reviews of the people you may see (a manager: their units)."""
    total, found = reviews.queue(ctx, state=state, offset=offset, limit=limit)
    return Page(total=total, offset=offset, limit=limit, items=[_out(r) for r in found])


@router.get("/reviews/{review_id}", operation_id="getReview")
def get_review(review_id: ReviewId, ctx: Ctx, lang: Lang) -> ReviewDetailOut:
    """One submission: the evidence, the verdicts it gives with the decisions so far, and
    each criterion still waiting for a person's attestation, with its source text."""
    return _detail(ctx, reviews.detail(ctx, review_id), lang)


@router.put("/reviews/{review_id}/criteria/{criterion}", operation_id="decideCriterion")
def decide(
    review_id: ReviewId,
    criterion: Annotated[str, Path(min_length=1, max_length=200)],
    body: DecisionIn,
    ctx: Ctx,
    lang: Lang,
) -> ReviewDetailOut:
    """Attest or reject one criterion (a rejection says why)."""
    found = reviews.decide(ctx, review_id, criterion, body.decision, body.comment)
    return _detail(ctx, found, lang)


@router.post("/reviews/{review_id}/approve", operation_id="approveReview")
def approve(review_id: ReviewId, body: CommentIn, ctx: Ctx) -> ReviewOut:
    """The assessment becomes the person's official level in each field, with its day."""
    return _out(reviews.approve(ctx, review_id, body.comment))


@router.post("/reviews/{review_id}/return", operation_id="returnReview")
def return_(review_id: ReviewId, body: CommentIn, ctx: Ctx) -> ReviewOut:
    """Back to the person, with a comment saying what to change."""
    return _out(reviews.return_(ctx, review_id, body.comment))


@router.post("/reviews/{review_id}/withdraw", operation_id="withdrawReview")
def withdraw(review_id: ReviewId, ctx: Ctx) -> ReviewOut:
    return _out(reviews.withdraw(ctx, review_id))
