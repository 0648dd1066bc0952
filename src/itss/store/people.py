"""People and their evidence: read any revision, append new ones, never change an old one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Row,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from itss.engine.evidence import Evidence
from itss.store.bulk import bulk_insert, collector_paused
from itss.store.change import Change, WriteSummary
from itss.store.database import Query
from itss.store.errors import StaleError, UnknownError
from itss.store.items import (
    KINDS,
    ItemKind,
    ItemQueries,
    item_queries,
    json_document,
    load_items,
    read_items,
)
from itss.store.models import OrgUnit, Person, PersonRevision
from itss.store.org import unit_ids

NO_ITEMS: dict[str, list[Any]] = {k.attr: [] for k in KINDS}  # all lists given: none copied
CHUNK = 5000  # rows per IN list and per bulk insert
PEOPLE_CHUNK = 2000  # people written per round of bulk inserts


@dataclass(frozen=True)
class PersonRecord:
    """Everything the store keeps about a person at one moment."""

    evidence: Evidence
    org_unit: str | None = None
    left_on: dt.date | None = None  # the day the person left, if they have

    @property
    def ref(self) -> str:
        return self.evidence.person.id


@dataclass(frozen=True)
class StoredPerson:
    person_id: int
    revision_id: int
    number: int
    recorded_at: dt.datetime
    recorded_by: str
    source: str
    record: PersonRecord


Moment = dt.datetime | BindParameter[dt.datetime] | None  # None: now


def current_revisions(at: Moment, whose: ColumnElement[bool], *columns: Any) -> Query:
    """`columns` of the revision of each of `whose` (a condition on person_id) current at `at`:
    recorded by then, with no later revision recorded by then.

    An anti-join rather than a join to MAX(number) per person: its plan is one index probe
    per revision whatever the planner believes, while the MAX form, planned without
    statistics (straight after a bulk import), re-ran the aggregate for every revision."""
    later = aliased(PersonRevision)
    newer = select(later.id).where(
        later.person_id == PersonRevision.person_id, later.number > PersonRevision.number
    )
    query = select(*columns).where(whose)
    if at is not None:
        newer = newer.where(later.recorded_at <= at)
        query = query.where(PersonRevision.recorded_at <= at)
    return query.where(~newer.exists())


def _revisions(at: Moment, whose: ColumnElement[bool]) -> Query:
    """Those revisions with what a `StoredPerson` needs besides the evidence."""
    columns = (
        PersonRevision.id,
        PersonRevision.person_id,
        PersonRevision.number,
        PersonRevision.recorded_at,
        PersonRevision.recorded_by,
        PersonRevision.source,
        PersonRevision.name,
        PersonRevision.name_en,
        PersonRevision.left_on,
        OrgUnit.code,
        Person.ref,
    )
    return (
        current_revisions(at, whose, *columns)
        .join(Person, Person.id == PersonRevision.person_id)
        .outerjoin(OrgUnit, OrgUnit.id == PersonRevision.org_unit_id)
        .order_by(PersonRevision.person_id)
    )


@dataclass(frozen=True)
class EvidenceDocument:
    """A person's current evidence as the JSON text `Evidence` validates (see `documents`)."""

    person_id: int
    revision_id: int
    document: str


@dataclass(frozen=True)
class _Reading:
    """The statements that read the revisions some condition selects, and their items."""

    revisions: Query
    items: ItemQueries


def _reading(at: Moment, whose: ColumnElement[bool]) -> _Reading:
    return _Reading(
        _revisions(at, whose), item_queries(current_revisions(at, whose, PersonRevision.id))
    )


@cache
def _by_refs(dated: bool) -> _Reading:
    """`load`'s statements, built once with the refs and the moment as parameters: building
    and keying a statement takes SQLAlchemy about half a millisecond, which was most of the
    time of reading one person (8 statements, 13 ms a request)."""
    refs = select(Person.id).where(Person.ref.in_(bindparam("refs", expanding=True)))
    return _reading(bindparam("at") if dated else None, PersonRevision.person_id.in_(refs))


def _documents(
    session: Session, reading: _Reading, params: Mapping[str, Any] | None = None
) -> list[tuple[Row[Any], dict[str, Any]]]:
    """The revisions `reading` selects, each with its evidence as plain data."""
    params = params or {}
    rows = session.connection().execute(reading.revisions, params).all()
    if not rows:  # new people (a first import) need no further queries
        return []
    items = read_items(session, reading.items, params)
    return [(row, _document(row, items.get(row.id, NO_ITEMS))) for row in rows]


def _document(row: Any, items: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"person": {"id": row.ref, "name": row.name, "name_en": row.name_en}, **items}


def _stored(row: Row[Any], document: dict[str, Any]) -> StoredPerson:
    record = PersonRecord(Evidence.model_validate(document), row.code, row.left_on)
    return StoredPerson(
        row.person_id, row.id, row.number, row.recorded_at, row.recorded_by, row.source, record
    )


def _assemble(
    session: Session, reading: _Reading, params: Mapping[str, Any] | None = None
) -> list[StoredPerson]:
    """The people `reading` selects, evidence and all."""
    return [_stored(row, document) for row, document in _documents(session, reading, params)]


def load(
    session: Session, refs: Collection[str], *, at: dt.datetime | None = None
) -> dict[str, StoredPerson]:
    """These people as recorded at `at` (default: now); people unknown then are left out."""
    wanted = sorted(refs)
    reading = _by_refs(at is not None)
    found: dict[str, StoredPerson] = {}
    for start in range(0, len(wanted), CHUNK):
        params = {"refs": wanted[start : start + CHUNK], "at": at}
        for stored in _assemble(session, reading, params):
            found[stored.record.ref] = stored
    return found


def known_refs(session: Session, refs: Collection[str]) -> set[str]:
    """Which of these people the database knows (leavers too)."""
    wanted = sorted(refs)
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        query = select(Person.ref).where(Person.ref.in_(wanted[start : start + CHUNK]))
        found.update(session.scalars(query))
    return found


IdRange = tuple[int, int]  # person ids after the first, up to and including the second


def ranges(session: Session, chunk: int) -> Iterator[IdRange]:
    """Everyone in id order, `chunk` people at a time, as ranges of person ids.

    A range is two bound values where a list of ids would be a thousand, and plain numbers
    that another process can be given."""
    after = 0
    while True:
        query = select(Person.id).where(Person.id > after).order_by(Person.id).limit(chunk)
        ids = list(session.scalars(query))
        if not ids:
            return
        yield after, ids[-1]
        after = ids[-1]


def _in_range(span: IdRange) -> ColumnElement[bool]:
    return and_(PersonRevision.person_id > span[0], PersonRevision.person_id <= span[1])


def iterate(
    session: Session, *, at: dt.datetime | None = None, chunk: int = 1000
) -> Iterator[list[StoredPerson]]:
    """Everyone, a chunk at a time in id order, so memory stays flat for any head count.

    The cyclic collector is paused meanwhile, and collects the young objects after each
    chunk: held while its reader works through it (an export, an impact report), a chunk's
    evidence was walked by the collector again at every promotion, for nothing. 50,000
    people: their evidence exported in 11.1-11.3 s instead of 16.8-17.3, an impact report in
    14.5 s instead of 19.7."""
    with collector_paused() as between_chunks:
        for span in ranges(session, chunk):
            yield _assemble(session, _reading(at, _in_range(span)))
            between_chunks()


Units = tuple[int, ...] | None  # org unit ids a run is limited to (None: everyone)


def documents(session: Session, span: IdRange, units: Units = None) -> list[EvidenceDocument]:
    """The current evidence of the people in `span` who have not left (and are in `units`),
    as JSON texts not yet validated: for work that validates it elsewhere (worker processes)."""
    query = _documents_query(session.get_bind().dialect.name, units is not None)
    params: dict[str, Any] = {"first": span[0], "last": span[1]}
    if units is not None:
        params["units"] = list(units)
    return [EvidenceDocument(*row) for row in session.connection().execute(query, params)]


@cache
def _documents_query(dialect: str, by_unit: bool) -> Query:
    """`documents`' statement, built once with the range (and units) as parameters: building
    and keying it takes SQLAlchemy about 4 ms, for every chunk of 1,000 people."""
    first, last = bindparam("first", type_=Integer), bindparam("last", type_=Integer)
    whose = and_(
        PersonRevision.person_id > first,
        PersonRevision.person_id <= last,
        PersonRevision.left_on.is_(None),
    )
    if by_unit:
        whose = and_(whose, PersonRevision.org_unit_id.in_(bindparam("units", expanding=True)))
    person = {"id": Person.ref, "name": PersonRevision.name, "name_en": PersonRevision.name_en}
    document = json_document(dialect, person, PersonRevision.id)
    columns = (PersonRevision.person_id, PersonRevision.id, document)
    return (
        current_revisions(None, whose, *columns)
        .join(Person, Person.id == PersonRevision.person_id)
        .order_by(PersonRevision.person_id)
    )


def count(session: Session) -> int:
    """How many people there are, leavers included."""
    return session.scalar(select(func.count()).select_from(Person)) or 0


def present_count(session: Session, units: Units = None) -> int:
    """How many people have not left (and are in `units`): those a run assesses."""
    present: ColumnElement[bool] = PersonRevision.left_on.is_(None)
    if units is not None:
        present = and_(present, PersonRevision.org_unit_id.in_(units))
    query = current_revisions(None, present, func.count())
    return session.scalar(query) or 0


@dataclass(frozen=True)
class PersonLine:
    """A person in a list: who, where, and which revision is current."""

    ref: str
    name: str
    name_en: str | None
    org_unit: str | None
    left_on: dt.date | None
    revision: int


@dataclass(frozen=True)
class Scope:
    """Whom a list may show: everyone (both None), the people of some units, or one person."""

    units: Units = None
    ref: str | None = None


def revision_evidence(session: Session, revision_id: int) -> Evidence:
    """The evidence as one revision recorded it (a review reads what was submitted)."""
    columns = (PersonRevision.id, PersonRevision.name, PersonRevision.name_en, Person.ref)
    query = (
        select(*columns)
        .join(Person, Person.id == PersonRevision.person_id)
        .where(PersonRevision.id == revision_id)
    )
    row = session.connection().execute(query).one()
    items = load_items(session, select(PersonRevision.id).where(PersonRevision.id == revision_id))
    return Evidence.model_validate(_document(row, items.get(row.id, NO_ITEMS)))


def directory(
    session: Session, scope: Scope, *, text: str | None, offset: int, limit: int
) -> tuple[int, list[PersonLine]]:
    """(how many, one page) of the people in `scope`, by ref; `text` in their id or either
    name, whatever its case and on every backend alike (`%` and `_` are themselves)."""
    whose: ColumnElement[bool] = Person.id == PersonRevision.person_id
    if scope.units is not None:
        whose = and_(whose, PersonRevision.org_unit_id.in_(scope.units))
    if scope.ref is not None:
        whose = and_(whose, Person.ref == scope.ref)
    if text:
        plain = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{plain}%"
        names = (Person.ref, PersonRevision.name, PersonRevision.name_en)
        whose = and_(whose, or_(*(n.ilike(pattern, escape="\\") for n in names)))
    columns = (Person.ref, PersonRevision.name, PersonRevision.name_en, OrgUnit.code)
    query = current_revisions(None, whose, *columns, PersonRevision.left_on, PersonRevision.number)
    query = query.outerjoin(OrgUnit, OrgUnit.id == PersonRevision.org_unit_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Person.ref).offset(offset).limit(limit))
    return total, [PersonLine(*row) for row in rows]


@cache
def _current_query() -> Query:
    whose = and_(Person.id == PersonRevision.person_id, Person.ref == bindparam("ref"))
    return current_revisions(None, whose, PersonRevision.id, PersonRevision.org_unit_id)


def current_revision(session: Session, ref: str) -> tuple[int, int | None] | None:
    """(id, unit id) of a person's current revision; None: no such person. Built once, as
    every request about a person asks it."""
    row = session.execute(_current_query(), {"ref": ref}).first()
    return (row[0], row[1]) if row else None


def unit_id_of(session: Session, ref: str) -> int | None:
    """The id of the unit a person is in now (None: in none, or no such person)."""
    found = current_revision(session, ref)
    return found[1] if found else None


def left_by(day: dt.date | None) -> Query:
    """The ids of the people whose current revision says they left by `day` (or at all)."""
    left: ColumnElement[bool] = PersonRevision.left_on.is_not(None)
    if day is not None:
        left = and_(left, PersonRevision.left_on <= day)
    return current_revisions(None, left, PersonRevision.person_id)


def history(session: Session, ref: str) -> list[PersonRevision]:
    """Every revision of a person, oldest first (the evidence itself: `load(..., at=)`)."""
    query = (
        select(PersonRevision)
        .join(Person, Person.id == PersonRevision.person_id)
        .where(Person.ref == ref)
        .order_by(PersonRevision.number)
    )
    return list(session.scalars(query))


def record(
    session: Session, person: PersonRecord, change: Change, *, expected: int | None = None
) -> int:
    """Append one person's new state; `expected` is the revision the caller last read.

    Returns the number of the revision that now holds the person's state.
    """
    current = load(session, [person.ref]).get(person.ref)
    have = current.number if current else 0
    if expected is not None and expected != have:
        raise StaleError(
            key="person.changed", values={"ref": person.ref, "have": have, "read": expected}
        )
    if current is not None and current.record == person:
        return have
    write(session, [person], change, current={person.ref: current} if current else {})
    return have + 1


def amend(
    session: Session, ref: str, edit: Callable[[PersonRecord], PersonRecord], change: Change
) -> int:
    """Read a person, apply `edit`, append the result; returns the new revision number.

    Run it with `Store.run`: if another writer appends a revision in between, the database
    refuses this one (unique revision numbers) and the whole read-edit-write starts again,
    so neither update is lost.
    """
    current = load(session, [ref]).get(ref)
    if current is None:
        raise UnknownError(key="person.unknown", values={"ref": ref})
    edited = edit(current.record)
    if edited == current.record:
        return current.number
    write(session, [edited], change, current={ref: current})
    return current.number + 1


def write(
    session: Session,
    records: Sequence[PersonRecord],
    change: Change,
    *,
    current: Mapping[str, StoredPerson] | None = None,
    progress: Callable[[int], None] | None = None,
) -> WriteSummary:
    """Append a revision for each person whose record differs from the stored one.

    Written a chunk of people at a time (bulk inserts, bounded memory), all in the caller's
    transaction; `progress` hears how many people each chunk held.
    """
    stored = load(session, [r.ref for r in records]) if current is None else current
    summary = WriteSummary()
    for start in range(0, len(records), PEOPLE_CHUNK):
        chunk = records[start : start + PEOPLE_CHUNK]
        summary += _write_chunk(session, chunk, stored, change)
        if progress is not None:
            progress(len(chunk))
    return summary


def _write_chunk(
    session: Session,
    records: Sequence[PersonRecord],
    stored: Mapping[str, StoredPerson],
    change: Change,
) -> WriteSummary:
    changed = [r for r in records if r.ref not in stored or stored[r.ref].record != r]
    fresh = _create_people(session, [r.ref for r in changed if r.ref not in stored], change)
    numbers = {r.ref: stored[r.ref].number for r in changed if r.ref in stored}
    ids = {r.ref: stored[r.ref].person_id for r in changed if r.ref in stored} | fresh
    revisions = _insert_revisions(session, changed, ids, numbers, change)
    _insert_items(session, changed, revisions)
    return WriteSummary(len(fresh), len(changed) - len(fresh), len(records) - len(changed))


def records(session: Session, *, at: dt.datetime | None = None) -> Iterator[PersonRecord]:
    """Everyone's record as at `at` (default: now), streamed in id order."""
    for chunk in iterate(session, at=at):
        for stored in chunk:
            yield stored.record


def _create_people(session: Session, refs: list[str], change: Change) -> dict[str, int]:
    if not refs:
        return {}
    before = _last_id(session, Person.id)
    bulk_insert(session, Person, [{"ref": ref, "created_at": change.at} for ref in refs])
    query = select(Person.ref, Person.id).where(Person.id > before)
    return dict(session.execute(query).all())


def _last_id(session: Session, column: Any) -> int:
    """The highest id so far: rows inserted next get higher ones (a sequence on PostgreSQL,
    the next rowid on SQLite).

    New rows are read back as "id above this" and looked up by key: RETURNING in row order
    would cost SQLite one INSERT per row, and a list of keys is a bound value each, which
    PostgreSQL's driver parses afresh for every chunk. Rows another writer committed
    meanwhile fall in the range too; they are never looked up."""
    return session.scalar(select(func.coalesce(func.max(column), 0))) or 0


def _insert_revisions(
    session: Session,
    records: list[PersonRecord],
    ids: Mapping[str, int],
    numbers: Mapping[str, int],
    change: Change,
) -> list[int]:
    if not records:
        return []
    units = unit_ids(session, {r.org_unit for r in records if r.org_unit})
    before = _last_id(session, PersonRevision.id)
    rows = [
        {
            "person_id": ids[r.ref],
            "number": numbers.get(r.ref, 0) + 1,
            "recorded_at": change.at,
            "recorded_by": change.by,
            "source": change.source,
            "name": r.evidence.person.name,
            "name_en": r.evidence.person.name_en,
            "org_unit_id": units[r.org_unit] if r.org_unit else None,
            "left_on": r.left_on,
        }
        for r in records
    ]
    bulk_insert(session, PersonRevision, rows)
    keys = [(ids[r.ref], numbers.get(r.ref, 0) + 1) for r in records]
    query = select(PersonRevision.person_id, PersonRevision.number, PersonRevision.id).where(
        PersonRevision.id > before
    )
    found = {(person, number): ident for person, number, ident in session.execute(query)}
    return [found[key] for key in keys]


def _insert_items(session: Session, records: list[PersonRecord], revisions: list[int]) -> None:
    """Bulk inserts, a bounded batch at a time (executemany / insertmanyvalues)."""
    pending: dict[ItemKind, list[dict[str, Any]]] = defaultdict(list)
    for person, revision_id in zip(records, revisions, strict=True):
        for kind in KINDS:
            pending[kind].extend(
                kind.row(i, revision_id) for i in getattr(person.evidence, kind.attr)
            )
            if len(pending[kind]) >= CHUNK:
                kind.insert(session, pending.pop(kind))
    for kind, rows in pending.items():
        if rows:
            kind.insert(session, rows)


def any_recorded_except(session: Session, source_prefix: str) -> bool:
    """Whether any revision was recorded by something other than sources with this prefix."""
    query = select(PersonRevision.id).where(~PersonRevision.source.startswith(source_prefix))
    return session.scalar(query.limit(1)) is not None
