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
from collections.abc import Collection, Iterable, Mapping
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from itss.store.bulk import bulk_insert
from itss.store.models import (
    AssessmentLevel,
    AssessmentRow,
    AssessmentRun,
    PersonRevision,
    Standing,
    StandingCount,
)
from itss.store.people import left_by

# Key of the PostgreSQL lock that runs changing standings take one after another (on SQLite
# a run's transaction already holds the database's only write lock).
_LOCK = 0x175_5001

TALLIED_UNITS = 2000  # units named in a query's IN list at most (SQLite allows 32,766 values)

Key = tuple[int | None, str, int]  # (org unit id, field, level)
Counts = Counter[Key]  # people standing at a key, or a change in that number


def hold(session: Session) -> None:
    """Keep other runs from changing standings until this transaction ends: each reads a
    person's standing, then replaces it, and the counts follow from what it read."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})


def advance(
    session: Session, run_id: int, as_of: dt.date, span: tuple[int, int], counts: Counts
) -> None:
    """Let the assessments of run `run_id` (as on `as_of`) of the people in `span` (ids, both
    ends included) stand for them, except where an assessment as on a later day stands (a
    run of a past day made afterwards); the change in the number standing at each level goes
    into `counts`. Three statements a chunk, worked by the database: a row at a time in
    Python, this was a quarter of a run of 1.3 million people."""
    values = {"run": run_id, "as_of": as_of, "first": span[0], "last": span[1]}
    connection = session.connection()
    statements = _advancing(connection.dialect.name)
    counts.subtract(dict(_summed(session, statements.replaced, values)))
    counts.update(dict(_summed(session, statements.standing, values)))
    connection.execute(statements.upsert, values)


class _Advancing(NamedTuple):
    replaced: Any  # the levels that stop standing, counted by key
    standing: Any  # the levels that start to, counted by key
    upsert: Any  # the run's assessments made the standing ones


@cache
def _advancing(dialect: str) -> _Advancing:
    """`advance`'s statements, built once with bound parameters (building and keying one
    takes SQLAlchemy about half a millisecond)."""
    run, as_of = bindparam("run", type_=Integer), bindparam("as_of", type_=Date)
    span = (bindparam("first", type_=Integer), bindparam("last", type_=Integer))
    row, level, revision = AssessmentRow, AssessmentLevel, PersonRevision
    ours = and_(row.run_id == run, row.person_id.between(*span))
    keys = (level.field, level.level)
    replaced = (
        select(Standing.org_unit_id, *keys, func.count())
        .join(row, and_(ours, row.person_id == Standing.person_id))
        .join(level, level.assessment_id == Standing.assessment_id)
        .where(Standing.person_id.between(*span), Standing.as_of <= as_of)
        .group_by(Standing.org_unit_id, *keys)
    )
    standing = (
        select(revision.org_unit_id, *keys, func.count())
        .select_from(row)
        .join(revision, revision.id == row.revision_id)
        .join(level, level.assessment_id == row.id)
        .outerjoin(Standing, Standing.person_id == row.person_id)
        .where(ours, or_(Standing.as_of.is_(None), Standing.as_of <= as_of))
        .group_by(revision.org_unit_id, *keys)
    )
    return _Advancing(replaced, standing, _upsert(dialect, ours, as_of))


def _upsert(dialect: str, ours: ColumnElement[bool], as_of: Any) -> Any:
    rows = (
        select(AssessmentRow.person_id, AssessmentRow.id, as_of, PersonRevision.org_unit_id)
        .join(PersonRevision, PersonRevision.id == AssessmentRow.revision_id)
        .where(ours)
    )
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    names = ["person_id", "assessment_id", "as_of", "org_unit_id"]
    statement = insert(Standing).from_select(names, rows)
    return statement.on_conflict_do_update(
        index_elements=[Standing.person_id],
        set_={name: statement.excluded[name] for name in names[1:]},
        where=Standing.as_of <= statement.excluded.as_of,
    )


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


def everyone(session: Session, day: dt.date | None) -> Counter[tuple[str, int]]:
    """How many people who had not left by `day` stand at each level, by field: summed by
    the database over the units (in Python, the distribution of 1.3 million people took
    0.5 to 0.8 s). The leavers are few: their levels are summed here."""
    count = StandingCount
    total = select(count.field, count.level, func.sum(count.people))
    total = total.group_by(count.field, count.level)
    rows = session.connection().execute(total)
    found = Counter({(f, lv): int(n) for f, lv, n in rows})
    found.subtract(over_units(dict(_summed(session, _leavers_query(day, None, None)))))
    return Counter({k: n for k, n in found.items() if n})


def over_units(counts: Mapping[Key, int]) -> Counter[tuple[str, int]]:
    """`counts` summed over the units: by field and level."""
    summed: Counter[tuple[str, int]] = Counter()
    for (_, fld, level), people in counts.items():
        summed[(fld, level)] += people
    return summed


def _summed(
    session: Session, query: Any, values: dict[str, Any] | None = None
) -> Iterable[tuple[Key, int]]:
    rows = session.connection().execute(query, values or {})
    return (((u, f, lv), n) for u, f, lv, n in rows)


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
