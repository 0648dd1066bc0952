"""The manager's pages: the review queue of their units; one screen per submission with the
evidence, the computed verdicts and the criteria to attest, each with its source text;
attest or reject with a comment; approve or return."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itss.io.report import report
from itss.services import reviews
from itss.services.reviews import STATE_WORDS
from itss.web.paging import Offset, pager
from itss.web.session import Form, SignedIn

router = APIRouter(prefix="/reviews", include_in_schema=False)
ReviewId = Annotated[int, Path(ge=1, le=2**62)]
State = Annotated[str, Query(pattern="^(submitted|approved|returned|withdrawn|invalidated)$")]
PAGE = 50


@router.get("")
def queue(page: SignedIn, state: State = "submitted", offset: Offset = 0) -> HTMLResponse:
    total, found = reviews.queue(page.ctx, state=state, offset=offset, limit=PAGE)
    return page.render(
        "reviews/queue.html",
        reviews=found,
        state=state,
        states=STATE_WORDS,
        **pager(total, offset, PAGE, state=state),
    )


@router.get("/{review_id}")
def detail(review_id: ReviewId, page: SignedIn) -> HTMLResponse:
    found = reviews.detail(page.ctx, review_id)
    criteria = page.ctx.framework.criteria
    return page.render(
        "reviews/detail.html",
        found=found,
        review=found.review,
        assessment=report(page.ctx.framework, found.assessment),
        to_attest=[criteria[c] for c in found.to_attest],
        fields=page.ctx.framework.fields,
        page_criteria=criteria,
        states=STATE_WORDS,
    )


def _back(review_id: int) -> Response:
    return RedirectResponse(f"/reviews/{review_id}", status_code=303)


@router.post("/{review_id}/decisions")
def decide(review_id: ReviewId, page: SignedIn, form: Form) -> Response:
    decision = "attested" if form.get("decision") == "attested" else "rejected"
    criterion = str(form.get("criterion") or "")
    reviews.decide(page.ctx, review_id, criterion, decision, str(form.get("comment") or ""))
    return _back(review_id)


@router.post("/{review_id}/approve")
def approve(review_id: ReviewId, page: SignedIn, form: Form) -> Response:
    reviews.approve(page.ctx, review_id, str(form.get("comment") or ""))
    return _back(review_id)


@router.post("/{review_id}/withdraw")
def withdraw(review_id: ReviewId, page: SignedIn, form: Form) -> Response:
    """The person (or the skills office) takes a submission back before it is decided."""
    withdrawn = reviews.withdraw(page.ctx, review_id)
    return RedirectResponse(f"/people/{withdrawn.ref}?done=withdrawn", status_code=303)


@router.post("/{review_id}/return")
def return_(review_id: ReviewId, page: SignedIn, form: Form) -> Response:
    reviews.return_(page.ctx, review_id, str(form.get("comment") or ""))
    return _back(review_id)
