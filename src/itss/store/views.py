"""What the stored assessments say: skill maps, level distributions, levels on a past date.

"On a date" means: each person's latest assessment whose as-of date is on or before it
(a later run wins over an earlier one with the same as-of date).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from itss.store import codec
from itss.store.models import (
    AssessmentLevel,
    AssessmentRow,
    AssessmentRun,
    OrgUnit,
    Person,
    PersonRevision,
    Standing,
)
from itss.store.org import subtree
from itss.store.people import left_by
from itss.store.standing import TALLIED_UNITS, Counts, counted, covers, everyone, over_units


@dataclass
class SkillRow:
    """One person's line of the skill map: (level, provisional level) per field."""

    ref: str
    name: str
    org_unit: str | None
    levels: dict[str, tuple[int, int]] = field(default_factory=dict)


def _latest(day: dt.date | None) -> Any:
    """Each person's latest assessment as on `day` (default: the latest of all): no other
    assessment of the person has a later as-of date (by then), or the same and a later run.

    An anti-join rather than a ranking of everyone's assessments: a query about one unit or
    one person is then answered from the indexes of those people's few assessments, where
    the ranking read all of them (700 ms for a unit of 100,000 people)."""
    later, later_run = aliased(AssessmentRow), aliased(AssessmentRun)
    newer = (
        select(later.id)
        .join(later_run, later_run.id == later.run_id)
        .where(
            later.person_id == AssessmentRow.person_id,
            or_(
                later_run.as_of > AssessmentRun.as_of,
                and_(later_run.as_of == AssessmentRun.as_of, later.run_id > AssessmentRow.run_id),
            ),
        )
    )
    query = select(AssessmentRow.id, AssessmentRow.revision_id, AssessmentRow.person_id).join(
        AssessmentRun, AssessmentRun.id == AssessmentRow.run_id
    )
    if day is not None:
        newer = newer.where(later_run.as_of <= day)
        query = query.where(AssessmentRun.as_of <= day)
    return query.where(~newer.exists()).subquery()


def _revision_of(latest: Any) -> ColumnElement[bool]:
    """The revision an assessment of `_latest` read. Its person too, redundant but what
    lets a query about some people's revisions (a unit's) reach their assessments through
    the index by person."""
    return and_(
        PersonRevision.id == latest.c.revision_id,
        PersonRevision.person_id == latest.c.person_id,
    )


def _mapped(session: Session, day: dt.date | None, unit: str | None, ref: str | None) -> Any:
    """The people of a skill map (in `unit` and below, or one person) as on `day`: their
    latest assessment's id, and their ref, name and unit as that assessment saw them."""
    return _named(_found(session, day, unit, ref).subquery())


def _found(session: Session, day: dt.date | None, unit: str | None, ref: str | None) -> Any:
    """Who is on a skill map as on `day`: their latest assessment's id, their ref and the
    unit that assessment saw them in, not yet named (a page is counted and chosen among
    these, then only its people are named: `_named`).

    From the standings, each join is on one key. Joined as the anti-join's people are, on a
    revision and its person both, PostgreSQL expected one row where there were 20,000 and
    planned for it: a page of 20,000 people's skill map took 100 ms."""
    if covers(session, day):
        query = select(Standing.assessment_id.label("id"), Person.ref, Standing.org_unit_id)
        query = query.join(Person, Person.id == Standing.person_id)
        unit_of = Standing.org_unit_id
    else:
        latest = _latest(day)
        query = (
            select(latest.c.id, Person.ref, PersonRevision.org_unit_id)
            .select_from(latest)
            .join(PersonRevision, _revision_of(latest))
            .join(Person, Person.id == PersonRevision.person_id)
        )
        unit_of = PersonRevision.org_unit_id
    if unit is not None:
        query = query.where(unit_of.in_(subtree(session, unit)))
    if ref is not None:
        return query.where(Person.ref == ref)
    # a person who has left is in no map from that day on (their own record stays)
    return query.where(Person.id.not_in(left_by(day)))


def _named(found: Any) -> Any:
    """The people of `found` (a subquery of `_found`'s columns) with their name and unit as
    their assessment saw them."""
    return (
        select(found.c.id, found.c.ref, PersonRevision.name, OrgUnit.code)
        .select_from(found)
        .join(AssessmentRow, AssessmentRow.id == found.c.id)
        .join(PersonRevision, PersonRevision.id == AssessmentRow.revision_id)
        .outerjoin(OrgUnit, OrgUnit.id == found.c.org_unit_id)
    )


def _with_levels(session: Session, mapped: Any) -> list[SkillRow]:
    """The people of `mapped` (a subquery of `_mapped`'s columns) by ref, with their levels."""
    level = AssessmentLevel
    query = (
        select(mapped.c.ref, mapped.c.name, mapped.c.code, level.field, level.level)
        .add_columns(level.provisional_level)
        .select_from(mapped)
        .outerjoin(level, level.assessment_id == mapped.c.id)
        .order_by(mapped.c.ref)
    )
    rows: dict[str, SkillRow] = {}
    for who, name, code, fld, value, provisional in session.connection().execute(query):
        line = rows.get(who) or rows.setdefault(who, SkillRow(who, name, code))
        if fld is not None:
            line.levels[fld] = (value, provisional)
    return list(rows.values())


def skill_map(
    session: Session,
    *,
    day: dt.date | None = None,
    unit: str | None = None,
    ref: str | None = None,
) -> list[SkillRow]:
    """Everyone assessed (or only in `unit` and below, or one person), levels by field."""
    return _with_levels(session, _mapped(session, day, unit, ref).subquery())


def skill_map_page(
    session: Session,
    *,
    day: dt.date | None,
    unit: str | None,
    offset: int,
    limit: int,
    by_field: str | None = None,
) -> tuple[int, list[SkillRow]]:
    """(how many, one page) of the skill map, by ref or highest level in `by_field` first:
    only the page's levels are read."""
    found = _found(session, day, unit, None).subquery()
    total = session.scalar(select(func.count()).select_from(found)) or 0
    query = select(found)
    order: list[Any] = [found.c.ref]
    if by_field is not None:
        level = AssessmentLevel
        joined = (level.assessment_id == found.c.id) & (level.field == by_field)
        query = query.outerjoin(level, joined)
        order = [func.coalesce(level.level, 0).desc(), found.c.ref]
    page = query.order_by(*order).offset(offset).limit(limit).subquery()
    rows = _with_levels(session, _named(page).subquery())
    if by_field is not None:  # the page's own order (its levels are read by ref)
        rows.sort(key=lambda r: (-r.levels.get(by_field, (0, 0))[0], r.ref))
    return total, rows


def level_counts(
    session: Session, *, day: dt.date | None, unit: str | None
) -> dict[str, dict[int, int]]:
    """How many people of the skill map are at each level, by field, counted by the database
    (from the standing counts when they answer for `day`)."""
    if covers(session, day):
        if unit is None:
            return _by_field(everyone(session, day))
        return _by_field(over_units(counted(session, day, subtree(session, unit))))
    mapped = _mapped(session, day, unit, None).subquery()
    level = AssessmentLevel
    query = (
        select(level.field, level.level, func.count())
        .join(mapped, mapped.c.id == level.assessment_id)
        .group_by(level.field, level.level)
        .order_by(level.field, level.level)
    )
    found: dict[str, dict[int, int]] = {}
    for fld, value, number in session.execute(query):
        found.setdefault(fld, {})[value] = number
    return found


def _by_field(counts: Counter[tuple[str, int]]) -> dict[str, dict[int, int]]:
    found: dict[str, dict[int, int]] = {}
    for (fld, level), people in sorted(counts.items()):
        found.setdefault(fld, {})[level] = people
    return found


def distribution(session: Session, run_id: int) -> dict[str, Counter[int]]:
    """How many people of a run reached each level, by field."""
    query = (
        select(AssessmentLevel.field, AssessmentLevel.level, func.count())
        .join(AssessmentRow, AssessmentRow.id == AssessmentLevel.assessment_id)
        .where(AssessmentRow.run_id == run_id)
        .group_by(AssessmentLevel.field, AssessmentLevel.level)
    )
    found: dict[str, Counter[int]] = defaultdict(Counter)
    for fld, level, number in session.execute(query):
        found[fld][level] = number
    return dict(found)


def levels_on(session: Session, ref: str, day: dt.date) -> dict[str, tuple[int, int]]:
    """A person's (level, provisional level) by field as assessed on `day`."""
    rows = skill_map(session, day=day, ref=ref)
    return rows[0].levels if rows else {}


@dataclass(frozen=True)
class Made:
    """What a stored assessment was made from, to make its verdicts again if it kept none."""

    revision_id: int
    policy_readings: dict[str, str]
    engine_version: str


@dataclass(frozen=True)
class StoredRow:
    """One stored assessment of a person: the run, the evidence revision, the snapshot."""

    run_id: int
    as_of: dt.date
    started_at: dt.datetime
    started_by: str
    framework_version: str
    policy: str
    revision: int
    levels: dict[str, tuple[int, int]]
    made: Made
    snapshot: bytes | None  # decompressed; None where only the levels were asked for or kept


def _stored_query(ref: str) -> Any:
    return (
        select(
            AssessmentRow.id,
            AssessmentRun.id,
            AssessmentRun.as_of,
            AssessmentRun.started_at,
            AssessmentRun.started_by,
            AssessmentRun.framework_version,
            AssessmentRun.policy_name,
            PersonRevision.number,
            AssessmentRow.revision_id,
            AssessmentRun.policy_readings,
            AssessmentRun.engine_version,
        )
        .join(AssessmentRun, AssessmentRun.id == AssessmentRow.run_id)
        .join(PersonRevision, PersonRevision.id == AssessmentRow.revision_id)
        .join(Person, Person.id == AssessmentRow.person_id)
        .where(Person.ref == ref)
    )


def _levels_of(session: Session, ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    query = select(
        AssessmentLevel.assessment_id,
        AssessmentLevel.field,
        AssessmentLevel.level,
        AssessmentLevel.provisional_level,
    ).where(AssessmentLevel.assessment_id.in_(ids))
    found: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for ident, fld, level, provisional in session.execute(query):
        found[ident][fld] = (level, provisional)
    return found


def stored(session: Session, ref: str, day: dt.date | None = None) -> StoredRow | None:
    """A person's latest assessment as on `day` (default: the latest of all)."""
    latest = _found(session, day, None, ref).subquery()
    query = _stored_query(ref).join(latest, latest.c.id == AssessmentRow.id)
    row = session.execute(query).first()
    if row is None:
        return None
    data = session.execute(
        select(AssessmentRow.codec, AssessmentRow.snapshot).where(AssessmentRow.id == row[0])
    ).one()
    levels = _levels_of(session, [row[0]]).get(row[0], {})
    kept = None if data.snapshot is None else codec.decompress(data.codec, data.snapshot)
    return _stored_row(row, levels, kept)


def history(session: Session, ref: str) -> list[StoredRow]:
    """Every stored assessment of a person, oldest as-of date (then run) first."""
    query = _stored_query(ref).order_by(AssessmentRun.as_of, AssessmentRun.id)
    rows = session.execute(query).all()
    levels = _levels_of(session, [r[0] for r in rows])
    return [_stored_row(r, levels.get(r[0], {}), None) for r in rows]


def _stored_row(row: Any, levels: dict[str, tuple[int, int]], snapshot: bytes | None) -> StoredRow:
    _, run_id, as_of, started_at, started_by, version, policy, revision, *made = row
    return StoredRow(
        run_id,
        as_of,
        started_at,
        started_by,
        version,
        policy,
        revision,
        levels,
        Made(*made),
        snapshot,
    )


def unit_distribution(session: Session, run_id: int) -> dict[str | None, dict[str, Counter[int]]]:
    """How many people of a run reached each level, by org unit and field."""
    query = (
        select(OrgUnit.code, AssessmentLevel.field, AssessmentLevel.level, func.count())
        .join(AssessmentRow, AssessmentRow.id == AssessmentLevel.assessment_id)
        .join(PersonRevision, PersonRevision.id == AssessmentRow.revision_id)
        .outerjoin(OrgUnit, OrgUnit.id == PersonRevision.org_unit_id)
        .where(AssessmentRow.run_id == run_id)
        .group_by(OrgUnit.code, AssessmentLevel.field, AssessmentLevel.level)
    )
    found: dict[str | None, dict[str, Counter[int]]] = defaultdict(lambda: defaultdict(Counter))
    for unit, fld, level, number in session.execute(query):
        found[unit][fld][level] = number
    return {u: dict(f) for u, f in found.items()}


Tallies = dict[tuple[int, str], dict[int, int]]  # (unit id, field) -> level -> people


def level_tallies(
    session: Session, day: dt.date, units: Collection[int], fields: Collection[str]
) -> Tallies:
    """How many people of these units are at each level of these fields on `day`, by unit
    (the one their assessment saw them in), field and level."""
    if covers(session, day):
        return _by_unit(counted(session, day, units, fields))
    latest = _latest(day)
    query = (
        select(PersonRevision.org_unit_id, AssessmentLevel.field, AssessmentLevel.level)
        .add_columns(func.count())
        .select_from(latest)
        .join(PersonRevision, _revision_of(latest))
        .join(AssessmentLevel, AssessmentLevel.assessment_id == latest.c.id)
        .where(
            AssessmentLevel.field.in_(sorted(fields)),
            PersonRevision.person_id.not_in(left_by(day)),
        )
        .group_by(PersonRevision.org_unit_id, AssessmentLevel.field, AssessmentLevel.level)
    )
    if len(units) <= TALLIED_UNITS:  # else every unit is read, and the rest ignored
        query = query.where(PersonRevision.org_unit_id.in_(sorted(units)))
    found: Tallies = {}
    for unit, fld, level, people in session.execute(query):
        if unit in units:
            found.setdefault((unit, fld), {})[level] = people
    return found


def _by_unit(counts: Counts) -> Tallies:
    found: Tallies = {}
    for (unit, fld, level), people in counts.items():
        if unit is not None:
            found.setdefault((unit, fld), {})[level] = people
    return found


@dataclass(frozen=True)
class RunLine:
    run_id: int
    as_of: dt.date
    started_at: dt.datetime
    started_by: str
    framework_version: str
    policy: str
    people: int


def runs(session: Session) -> list[RunLine]:
    """Every assessment run, oldest first, with how many people it assessed."""
    query = (
        select(
            AssessmentRun.id,
            AssessmentRun.as_of,
            AssessmentRun.started_at,
            AssessmentRun.started_by,
            AssessmentRun.framework_version,
            AssessmentRun.policy_name,
            func.count(AssessmentRow.id),
        )
        .outerjoin(AssessmentRow, AssessmentRow.run_id == AssessmentRun.id)
        .group_by(AssessmentRun.id)
        .order_by(AssessmentRun.id)
    )
    return [RunLine(*row) for row in session.execute(query)]
