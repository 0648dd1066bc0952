"""Each person's standing assessment (their latest of all) and how many people stand at each
level of each field, by unit: kept up to date as a run is stored, in the run's transaction.

The views answer "now" (and any day on or after every run's as-of date) from these tables:
the distribution of everyone is then a sum of a few hundred thousand counts, where finding
1.3 million people's latest assessments among all of them took 8 to 18 seconds. Leavers
stay counted, and are taken out when read, for the day asked about: a leave may be recorded
ahead of its date, and the counts cannot change by themselves when that day comes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from itss.store.bulk import bulk_insert
from itss.store.models import AssessmentLevel, AssessmentRun, Standing, StandingCount
from itss.store.people import left_by

# Key of the PostgreSQL lock that runs changing standings take one after another (on SQLite
# a run's transaction already holds the database's only write lock).
_LOCK = 0x175_5001

TALLIED_UNITS = 2000  # units named in a query's IN list at most (SQLite allows 32,766 values)

Key = tuple[int | None, str, int]  # (org unit id, field, level)
Counts = Counter[Key]  # people standing at a key, or a change in that number


class New(NamedTuple):
    """An assessment just stored: whose, its id, the unit it saw them in, its levels."""

    person_id: int
    assessment_id: int
    org_unit_id: int | None
    levels: tuple[tuple[str, int], ...]  # (field, level)


class _Old(NamedTuple):
    as_of: dt.date
    org_unit_id: int | None
    levels: list[tuple[str, int]]


def hold(session: Session) -> None:
    """Keep other runs from changing standings until this transaction ends: each reads a
    person's standing, then replaces it, and the counts follow from what it read."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})


def _standing(session: Session, first: int, last: int) -> dict[int, _Old]:
    query = (
        select(Standing.person_id, Standing.as_of, Standing.org_unit_id)
        .add_columns(AssessmentLevel.field, AssessmentLevel.level)
        .outerjoin(AssessmentLevel, AssessmentLevel.assessment_id == Standing.assessment_id)
        .where(Standing.person_id.between(first, last))
    )
    found: dict[int, _Old] = {}
    for person, as_of, unit, fld, level in session.connection().execute(query):
        old = found.get(person) or found.setdefault(person, _Old(as_of, unit, []))
        if fld is not None:
            old.levels.append((fld, level))
    return found


def advance(session: Session, as_of: dt.date, stored: list[New], counts: Counts) -> None:
    """Let these assessments of one run as on `as_of` (people in increasing id order) stand
    for their people, except where an assessment as on a later day stands (a run of a past
    day made afterwards); the change in the number standing at each level goes into
    `counts`."""
    old = _standing(session, stored[0].person_id, stored[-1].person_id)
    replaced: list[dict[str, Any]] = []
    first: list[dict[str, Any]] = []
    for new in stored:
        before = old.get(new.person_id)
        if before is not None and before.as_of > as_of:
            continue
        if before is not None:
            counts.subtract((before.org_unit_id, f, lv) for f, lv in before.levels)
        counts.update((new.org_unit_id, f, lv) for f, lv in new.levels)
        row = _row(new, as_of)
        (first if before is None else replaced).append(row)
    if replaced:
        session.execute(update(Standing), replaced)
    bulk_insert(session, Standing, first)


def _row(new: New, as_of: dt.date) -> dict[str, Any]:
    return {
        "person_id": new.person_id,
        "assessment_id": new.assessment_id,
        "as_of": as_of,
        "org_unit_id": new.org_unit_id,
    }


def settle(session: Session, change: Counts) -> None:
    """Apply a run's change to the stored counts (a count that reaches none goes)."""
    change = Counter({k: n for k, n in change.items() if n})
    if not change:
        return
    held = _held(session, {fld for _, fld, _ in change})
    updated: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    gone: list[int] = []
    for key, n in change.items():
        row_id, people = held.get(key, (None, 0))
        if row_id is None:
            added.append({"org_unit_id": key[0], "field": key[1], "level": key[2], "people": n})
        elif people + n == 0:
            gone.append(row_id)
        else:
            updated.append({"id": row_id, "people": people + n})
    if updated:
        session.execute(update(StandingCount), updated)
    for start in range(0, len(gone), 1000):
        session.execute(
            delete(StandingCount).where(StandingCount.id.in_(gone[start : start + 1000]))
        )
    bulk_insert(session, StandingCount, added)


def _held(session: Session, fields: Collection[str]) -> dict[Key, tuple[int, int]]:
    query = select(
        StandingCount.org_unit_id,
        StandingCount.field,
        StandingCount.level,
        StandingCount.id,
        StandingCount.people,
    ).where(StandingCount.field.in_(sorted(fields)))
    return {(u, f, lv): (i, n) for u, f, lv, i, n in session.connection().execute(query)}


def covers(session: Session, day: dt.date | None) -> bool:
    """Whether the standings answer a question about `day`: every stored assessment is as on
    that day or before (the standing one is then each person's latest by that day)."""
    if day is None:
        return True
    latest = session.scalar(select(func.max(AssessmentRun.as_of)))
    return latest is None or latest <= day


def counted(
    session: Session,
    day: dt.date | None,
    units: Collection[int] | None,
    fields: Collection[str] | None = None,
) -> Counts:
    """How many people who had not left by `day` stand at each level, by unit and field (of
    `units` and `fields`, or all): the counts, less the leavers' standing levels."""
    named = units if units is None or len(units) <= TALLIED_UNITS else None
    found: Counts = Counter(dict(_summed(session, _counts_query(named, fields))))
    found.subtract(dict(_summed(session, _leavers_query(day, named, fields))))
    return Counter({k: n for k, n in found.items() if n and (units is None or k[0] in units)})


def _summed(session: Session, query: Any) -> Iterable[tuple[Key, int]]:
    return (((u, f, lv), n) for u, f, lv, n in session.connection().execute(query))


def _counts_query(units: Collection[int] | None, fields: Collection[str] | None) -> Any:
    count = StandingCount
    query = select(count.org_unit_id, count.field, count.level, count.people)
    if units is not None:
        query = query.where(count.org_unit_id.in_(sorted(units)))
    if fields is not None:
        query = query.where(count.field.in_(sorted(fields)))
    return query


def _leavers_query(
    day: dt.date | None, units: Collection[int] | None, fields: Collection[str] | None
) -> Any:
    level = AssessmentLevel
    query = (
        select(Standing.org_unit_id, level.field, level.level, func.count())
        .join(level, level.assessment_id == Standing.assessment_id)
        .where(Standing.person_id.in_(left_by(day)))
        .group_by(Standing.org_unit_id, level.field, level.level)
    )
    if units is not None:
        query = query.where(Standing.org_unit_id.in_(sorted(units)))
    if fields is not None:
        query = query.where(level.field.in_(sorted(fields)))
    return query
