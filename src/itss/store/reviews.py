"""Reviews of submitted evidence: their state, the reviewers' decisions on criteria, every
transition, and the official levels an approval gives.

A transition is one conditional UPDATE (`... WHERE state = 'submitted'`): of two reviewers
who act on the same submission at once, exactly one changes it; the other changes nothing
and is told what happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Row, Select, and_, func, select, update
from sqlalchemy.orm import Session, aliased

from itss.engine.evaluate import ENGINE_VERSION
from itss.engine.policy import Policy
from itss.engine.result import Assessment
from itss.io.snapshot import encode
from itss.store import codec
from itss.store.models import (
    Account,
    OfficialAssessment,
    OfficialLevel,
    OrgUnit,
    Person,
    PersonRevision,
    Review,
    ReviewDecision,
    ReviewEvent,
)
from itss.store.people import Scope, current_revisions

OPEN = "submitted"


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    ref: str
    name: str
    org_unit: str | None
    revision: int
    revision_id: int
    as_of: dt.date
    state: str
    submitted_by: str
    submitted_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    comment: str


@dataclass(frozen=True)
class DecisionRecord:
    criterion: str
    decision: str
    comment: str
    reviewer: str
    decided_at: dt.datetime


@dataclass(frozen=True)
class EventRecord:
    at: dt.datetime
    actor: str
    from_state: str | None
    to_state: str
    comment: str


def _records() -> Select[Review, str, str, str, int]:
    # The submitted revision is an alias: queries below also ask for the current one.
    unit, submitted = aliased(OrgUnit), aliased(PersonRevision)
    return (
        select(Review, Person.ref, submitted.name, unit.code, submitted.number)
        .join(Person, Person.id == Review.person_id)
        .join(submitted, submitted.id == Review.revision_id)
        .outerjoin(unit, unit.id == submitted.org_unit_id)
    )


def _record(row: Row[Review, str, str, str, int]) -> ReviewRecord:
    review, ref, name, unit, number = row
    return ReviewRecord(
        review.id,
        ref,
        name,
        unit,
        number,
        review.revision_id,
        review.as_of,
        review.state,
        review.submitted_by,
        review.submitted_at,
        review.decided_by,
        review.decided_at,
        review.comment,
    )


def find(session: Session, review_id: int) -> ReviewRecord | None:
    row = session.execute(_records().where(Review.id == review_id)).first()
    return _record(row) if row else None


def open_for(session: Session, person_id: int) -> int | None:
    query = select(Review.id).where(Review.person_id == person_id, Review.state == OPEN)
    return session.scalar(query)


def listing(
    session: Session, scope: Scope, state: str | None, offset: int, limit: int
) -> tuple[int, list[ReviewRecord]]:
    """Reviews of the people in `scope` (by the unit they are in now), newest first."""
    query = _records()
    if state is not None:
        query = query.where(Review.state == state)
    if scope.ref is not None:
        query = query.where(Person.ref == scope.ref)
    if scope.units is not None:
        now_in = current_revisions(
            None,
            and_(
                PersonRevision.person_id == Review.person_id,
                PersonRevision.org_unit_id.in_(scope.units),
            ),
            PersonRevision.id,
        )
        query = query.where(now_in.exists())
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Review.id.desc()).offset(offset).limit(limit))
    return total, [_record(row) for row in rows]


def add(session: Session, review: Review, event: ReviewEvent) -> int:
    session.add(review)
    session.flush()
    event.review_id = review.id
    session.add(event)
    return review.id


def move(
    session: Session,
    review_id: int,
    to_state: str,
    event: ReviewEvent,
    **values: object,
) -> bool:
    """submitted -> `to_state`, if the review is still submitted; the event is recorded."""
    query = (
        update(Review)
        .where(Review.id == review_id, Review.state == OPEN)
        .values(state=to_state, **values)
    )
    if session.execute(query).rowcount != 1:  # type: ignore[attr-defined]
        return False
    event.review_id = review_id
    session.add(event)
    return True


def stale(session: Session) -> list[int]:
    """Open reviews of evidence that is no longer the person's current revision."""
    current = current_revisions(
        None, PersonRevision.person_id == Review.person_id, PersonRevision.id
    ).scalar_subquery()
    query = select(Review.id).where(Review.state == OPEN, Review.revision_id != current)
    return list(session.scalars(query.order_by(Review.id)))


def decide(session: Session, decision: ReviewDecision) -> None:
    """A reviewer's decision on a criterion; a later one replaces it."""
    found = session.scalar(
        select(ReviewDecision).where(
            ReviewDecision.review_id == decision.review_id,
            ReviewDecision.criterion == decision.criterion,
        )
    )
    if found is None:
        session.add(decision)
        return
    found.decision, found.comment = decision.decision, decision.comment
    found.reviewer_id, found.decided_at = decision.reviewer_id, decision.decided_at


def decisions(session: Session, review_id: int) -> list[DecisionRecord]:
    query = (
        select(ReviewDecision, Account.username)
        .join(Account, Account.id == ReviewDecision.reviewer_id)
        .where(ReviewDecision.review_id == review_id)
        .order_by(ReviewDecision.criterion)
    )
    return [
        DecisionRecord(d.criterion, d.decision, d.comment, username, d.decided_at)
        for d, username in session.execute(query)
    ]


def events(session: Session, review_id: int) -> list[EventRecord]:
    query = select(ReviewEvent).where(ReviewEvent.review_id == review_id).order_by(ReviewEvent.id)
    return [
        EventRecord(e.at, e.actor, e.from_state, e.to_state, e.comment)
        for e in session.scalars(query)
    ]


def add_official(
    session: Session,
    review_id: int,
    levels: list[OfficialLevel],
    assessment: Assessment,
    policy: Policy,
) -> None:
    """The official levels of an approved review, and its assessment with every explained
    verdict as it was made: an official level stays explained whatever the engine becomes."""
    session.add_all(levels)
    session.add(
        OfficialAssessment(
            review_id=review_id,
            framework_version=assessment.framework_version,
            policy_name=policy.name,
            policy_readings=dict(policy.readings),
            engine_version=ENGINE_VERSION,
            snapshot=codec.compress(encode(assessment)),
            codec=codec.CURRENT,
        )
    )


def kept_assessment(session: Session, review_id: int) -> tuple[str, bytes] | None:
    """The framework version and the (decompressed) snapshot of an approved review's
    assessment; None for a review that is not approved, or was approved before they were
    kept."""
    query = select(
        OfficialAssessment.framework_version, OfficialAssessment.codec, OfficialAssessment.snapshot
    ).where(OfficialAssessment.review_id == review_id)
    found = session.execute(query).first()
    if found is None:
        return None
    return found.framework_version, codec.decompress(found.codec, found.snapshot)


@dataclass(frozen=True)
class OfficialRecord:
    field: str
    level: int
    on: dt.date
    review_id: int
    approved_by: str


def official(session: Session, person_id: int) -> list[OfficialRecord]:
    """Every official level the person was given, oldest first."""
    query = (
        select(OfficialLevel, Review.decided_by)
        .join(Review, Review.id == OfficialLevel.review_id)
        .where(OfficialLevel.person_id == person_id)
        .order_by(OfficialLevel.on, OfficialLevel.review_id, OfficialLevel.field)
    )
    return [
        OfficialRecord(o.field, o.level, o.on, o.review_id, decided_by or "")
        for o, decided_by in session.execute(query)
    ]
