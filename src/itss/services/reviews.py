"""The review of a person's assessment: an explicit state machine.

    submitted ──approve──▶ approved     (the assessment becomes the official level, by field)
        │ ├────return────▶ returned     (with a comment; the person changes and submits again)
        │ ├───withdraw───▶ withdrawn    (by the person, before a decision)
        │ └─(evidence changed)─▶ invalidated
        ▲
      submit (the person's current evidence, at most one open review per person)

While a review is open, its reviewer attests or rejects, one by one, the criteria that only
a person can confirm; each decision records the reviewer's account. Approving writes the
attested criteria into the person's evidence (a new revision, by the reviewer) and stores the
levels the reviewed evidence gives as the person's official levels, with the review's day.
Every transition is recorded; any other transition is refused with a `ConflictError`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from itss.engine.evidence import Attestation, Evidence
from itss.engine.result import Assessment
from itss.engine.verdict import Status
from itss.errors import ItssError, NotFoundError, PermissionDeniedError, Phrase
from itss.io.snapshot import decode_assessment
from itss.services import access, audit, framework_files
from itss.services.context import Context
from itss.store import people, reviews
from itss.store.change import now
from itss.store.errors import ConflictError
from itss.store.models import OfficialLevel, Review, ReviewDecision, ReviewEvent
from itss.store.people import Scope
from itss.store.reviews import DecisionRecord, EventRecord, OfficialRecord, ReviewRecord

TRANSITIONS = {
    ("submitted", "approved"),
    ("submitted", "returned"),
    ("submitted", "withdrawn"),
    ("submitted", "invalidated"),
}


class ReviewError(ItssError):
    """A decision that does not fit the review (an unknown criterion, no comment)."""


def _event(ctx: Context, to_state: str, comment: str = "") -> ReviewEvent:
    actor = ctx.actor
    return ReviewEvent(
        at=now(),
        actor=actor.name,
        account_id=actor.account_id,
        from_state=None if to_state == "submitted" else "submitted",
        to_state=to_state,
        comment=comment,
    )


def _person_id(session: Session, ref: str) -> int:
    found = people.load(session, [ref]).get(ref)
    if found is None:
        raise NotFoundError(key="person.unknown", values={"ref": ref})
    return found.person_id


def submit(ctx: Context, ref: str, as_of: dt.date) -> ReviewRecord:
    """Submit the person's current evidence for review, to be assessed as on `as_of`."""

    def write(session: Session) -> int:
        access.require_editable(ctx, session, ref)
        found = people.load(session, [ref]).get(ref)
        if found is None:
            raise NotFoundError(key="person.unknown", values={"ref": ref})
        if reviews.open_for(session, found.person_id) is not None:
            raise ConflictError(key="review.open", values={"ref": ref})
        review = Review(
            person_id=found.person_id,
            revision_id=found.revision_id,
            as_of=as_of,
            state="submitted",
            submitted_by=ctx.actor.name,
            submitted_by_account=ctx.actor.account_id,
            submitted_at=now(),
            comment="",
        )
        review_id = reviews.add(session, review, _event(ctx, "submitted"))
        audit.record(session, ctx, "review:submit", "review", str(review_id))
        return review_id

    return _found(ctx, ctx.ready.run(write))


def _found(ctx: Context, review_id: int) -> ReviewRecord:
    with ctx.ready.transaction() as session:
        found = reviews.find(session, review_id)
        if found is None or not access.visible(ctx, session, found.ref):
            raise NotFoundError(key="review.unknown", values={"id": review_id})
    return found


def queue(
    ctx: Context, *, state: str | None = "submitted", offset: int = 0, limit: int = 50
) -> tuple[int, list[ReviewRecord]]:
    """The reviews of the people the actor may see (a manager: their units), newest first."""
    with ctx.ready.transaction() as session:
        return reviews.listing(session, access.scope(ctx, session), state, offset, limit)


def of_person(ctx: Context, ref: str, limit: int = 20) -> list[ReviewRecord]:
    """The person's latest reviews, newest first: what became of each submission."""
    with ctx.ready.transaction() as session:
        access.require_visible(ctx, session, ref)
        return reviews.listing(session, Scope(ref=ref), None, 0, limit)[1]


@dataclass(frozen=True)
class ReviewDetail:
    """One submission: what was submitted, what it gives, what needs a person's word."""

    review: ReviewRecord
    evidence: Evidence
    assessment: Assessment  # the submitted evidence with the decisions so far
    to_attest: list[str]  # criteria that only attestation can meet, not attested yet
    decisions: list[DecisionRecord]
    events: list[EventRecord]


def detail(ctx: Context, review_id: int) -> ReviewDetail:
    """An approved review shows the assessment it made official, as it was made; any other
    the submitted evidence assessed now, with the decisions so far."""
    review = _found(ctx, review_id)
    with ctx.ready.transaction() as session:
        evidence = people.revision_evidence(session, review.revision_id)
        decisions = reviews.decisions(session, review_id)
        events = reviews.events(session, review_id)
        kept = reviews.kept_assessment(session, review_id)
    if kept is not None:
        assessment = _as_made(ctx, review_id, *kept)
    else:
        attested = _with_attestations(evidence, decisions, review.as_of)
        assessment = ctx.evaluator.assess(attested, review.as_of)
    return ReviewDetail(review, evidence, assessment, _to_attest(assessment), decisions, events)


def _as_made(ctx: Context, review_id: int, version: str, snapshot: bytes) -> Assessment:
    """The assessment an approval made official, every verdict as it was made."""
    made = framework_files.made_with(ctx, version)
    if made is None:
        values = {"review": review_id, "stored": version, "loaded": ctx.framework.version}
        raise ReviewError(key="review.other_framework", values=values)
    return decode_assessment(snapshot, made)


def _with_attestations(
    evidence: Evidence, decisions: list[DecisionRecord], day: dt.date
) -> Evidence:
    """The evidence with every attested criterion attested by its reviewer."""
    known = {a.criterion for a in evidence.attestations}
    added = [
        Attestation(by=d.reviewer, date=day, criterion=d.criterion, note=d.comment)
        for d in decisions
        if d.decision == "attested" and d.criterion not in known
    ]
    return evidence.model_copy(update={"attestations": [*evidence.attestations, *added]})


def _to_attest(assessment: Assessment) -> list[str]:
    """Every criterion that waits for attestation in each field's reached and next level,
    and in the level that only attestations stand between the person and (their provisional
    level, which may be above the next when a lower level misses something else)."""
    waiting: set[str] = set()
    for result in assessment.fields:
        explained = result.explanation
        for level in (explained.reached, explained.next, explained.within_reach):
            if level is not None:
                waiting.update(
                    v.criterion for v in level.criteria if v.status is Status.NEEDS_ATTESTATION
                )
    return sorted(waiting)


def _require_reviewer(ctx: Context, session: Session, review: ReviewRecord) -> None:
    """A manager of the person's unit (not the person themselves) or an admin reviews."""
    access.require_visible(ctx, session, review.ref)
    actor = ctx.actor
    if actor.role not in ("manager", "admin") or actor.person == review.ref:
        raise PermissionDeniedError(key="review.not_reviewer", values={"ref": review.ref})
    if actor.account_id is None:
        raise PermissionDeniedError(key="access.account_only")


# A state as a person reads it, in their language (the stored value is English).
STATE_WORDS = {
    "submitted": "review.state.submitted",
    "approved": "review.state.approved",
    "returned": "review.state.returned",
    "withdrawn": "review.state.withdrawn",
    "invalidated": "review.state.invalidated",
}


def _closed(review_id: int, state: str) -> ConflictError:
    word = Phrase(STATE_WORDS[state]) if state in STATE_WORDS else state
    return ConflictError(key="review.closed", values={"id": review_id, "state": word})


def _require_open(review: ReviewRecord) -> None:
    if review.state != "submitted":
        raise _closed(review.id, review.state)


def decide(
    ctx: Context, review_id: int, criterion: str, decision: str, comment: str = ""
) -> ReviewDetail:
    """Attest or reject one criterion of an open review."""
    review = _found(ctx, review_id)
    if criterion not in ctx.framework.criteria:
        raise ReviewError(key="review.unknown_criterion", values={"criterion": criterion})
    if decision == "rejected" and not comment.strip():
        raise ReviewError(key="review.comment_needed")

    def write(session: Session) -> None:
        _require_reviewer(ctx, session, review)
        _require_open(review)
        assert ctx.actor.account_id is not None  # checked by _require_reviewer
        row = ReviewDecision(
            review_id=review_id,
            criterion=criterion,
            decision=decision,
            comment=comment,
            reviewer_id=ctx.actor.account_id,
            decided_at=now(),
        )
        reviews.decide(session, row)
        after = {"criterion": criterion, "decision": decision, "comment": comment}
        audit.record(session, ctx, "review:decide", "review", str(review_id), after=after)

    ctx.ready.run(write)
    return detail(ctx, review_id)


def _transition(ctx: Context, review_id: int, to_state: str, comment: str) -> ReviewRecord:
    review = _found(ctx, review_id)

    def write(session: Session) -> None:
        if to_state == "withdrawn":
            access.require_editable(ctx, session, review.ref)
        else:
            _require_reviewer(ctx, session, review)
        decided = {}
        if to_state in ("approved", "returned"):
            decided = {
                "decided_by": ctx.actor.name,
                "decided_by_account": ctx.actor.account_id,
                "decided_at": now(),
                "comment": comment,
            }
        if not reviews.move(
            session, review_id, to_state, _event(ctx, to_state, comment), **decided
        ):
            current = reviews.find(session, review_id)
            raise _closed(review_id, current.state if current else "?")
        if to_state == "approved":
            _make_official(ctx, session, review)
        audit.record(session, ctx, f"review:{to_state}", "review", str(review_id))

    ctx.ready.run(write)
    return _found(ctx, review_id)


def _make_official(ctx: Context, session: Session, review: ReviewRecord) -> None:
    """The reviewed evidence, with its attestations, becomes the person's evidence (if it
    changed) and its levels the person's official levels."""
    evidence = people.revision_evidence(session, review.revision_id)
    attested = _with_attestations(evidence, reviews.decisions(session, review.id), review.as_of)
    current = people.load(session, [review.ref])[review.ref]
    if attested != current.record.evidence:
        record = replace(current.record, evidence=attested)
        people.record(session, record, ctx.change(f"review {review.id}"))
    assessment = ctx.evaluator.assess(attested, review.as_of)
    person_id = _person_id(session, review.ref)
    levels = [
        OfficialLevel(
            person_id=person_id,
            review_id=review.id,
            field=result.field,
            level=result.level,
            on=review.as_of,
        )
        for result in assessment.fields
    ]
    reviews.add_official(session, review.id, levels, assessment, ctx.policy)


def approve(ctx: Context, review_id: int, comment: str = "") -> ReviewRecord:
    return _transition(ctx, review_id, "approved", comment)


def return_(ctx: Context, review_id: int, comment: str) -> ReviewRecord:
    """Back to the person with a comment saying what to change."""
    if not comment.strip():
        raise ReviewError(key="review.comment_needed")
    return _transition(ctx, review_id, "returned", comment)


def withdraw(ctx: Context, review_id: int) -> ReviewRecord:
    return _transition(ctx, review_id, "withdrawn", "")


def invalidate_stale(ctx: Context, session: Session) -> None:
    """Open reviews whose evidence has changed since it was submitted end, in the
    transaction of the change: what a reviewer approves is what was submitted."""
    for review_id in reviews.stale(session):
        if reviews.move(session, review_id, "invalidated", _event(ctx, "invalidated")):
            audit.record(session, ctx, "review:invalidated", "review", str(review_id))


def official(ctx: Context, ref: str) -> list[OfficialRecord]:
    """The person's official levels, oldest first."""
    with ctx.ready.transaction() as session:
        access.require_visible(ctx, session, ref)
        return reviews.official(session, _person_id(session, ref))
