"""Applying an import: check every reference, then merge the rows into new revisions.

The caller runs this in one transaction: if any row is wrong nothing is written, and every
problem found is reported at once. A row adds to what is stored: an engagement replaces the
stored one with the same id, any other item is added unless the same item is already there,
and a people row sets the person's name and unit. Re-importing a file changes nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from itss.engine.evidence import Evidence, Person
from itss.io.batch import (
    ImportBatch,
    ImportRejectedError,
    PersonRow,
    PersonRows,
    Problem,
    ProblemList,
)
from itss.store.bulk import collector_paused
from itss.store.change import Change, WriteSummary
from itss.store.items import KINDS
from itss.store.org import UnitRecord, cycle, tree, write_units
from itss.store.people import (
    CHUNK,
    PEOPLE_CHUNK,
    PersonRecord,
    StoredPerson,
    known_refs,
    load,
    write,
)

KEYED = frozenset({"engagements"})  # items with an id that a later row may correct


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    units: WriteSummary
    people: WriteSummary


def apply(
    session: Session,
    batch: ImportBatch,
    change: Change,
    *,
    problems: Sequence[Problem] = (),
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Check the batch against the database, then append what it changes.

    `problems` are those already found in the file: they are reported together with the
    ones found here, so that the user sees every problem at once. People are merged and
    written `PEOPLE_CHUNK` at a time: memory holds one chunk, whatever the batch's size.
    """
    units = _units(session, batch)
    found = ProblemList.joined(problems, _problems(session, batch, units))
    if found.total:
        raise ImportRejectedError(found)
    unit_summary = write_units(session, [units[u.code] for u in batch.units], change)
    people = WriteSummary()
    with collector_paused() as between_chunks:
        for chunk in batch.by_person(PEOPLE_CHUNK):
            stored = load(session, [rows.ref for rows in chunk])
            records = [_merged(rows, stored.get(rows.ref)) for rows in chunk]
            people += write(session, records, change, current=stored, progress=progress)
            between_chunks()
    return ImportSummary(len(batch), unit_summary, people)


# What an import writes, whose statistics a large one refreshes (`Store.settle`).
TABLES = ("people", "person_revisions", *(kind.table.__tablename__ for kind in KINDS))


def check(session: Session, batch: ImportBatch) -> ProblemList:
    """What `apply` would refuse in the batch, found without writing anything."""
    return _problems(session, batch, _units(session, batch))


def _units(session: Session, batch: ImportBatch) -> dict[str, UnitRecord]:
    """The organisation tree as the batch would leave it."""
    return tree(session) | {
        u.code: UnitRecord(u.code, u.name, u.name_en, u.parent) for u in batch.units
    }


def _problems(session: Session, batch: ImportBatch, units: Mapping[str, UnitRecord]) -> ProblemList:
    return ProblemList.joined(
        _unit_problems(batch, units),
        _person_problems(batch, units),
        _owner_problems(session, batch),
    )


def _unit_problems(batch: ImportBatch, units: Mapping[str, UnitRecord]) -> Iterable[Problem]:
    for row in batch.units:
        if row.parent is not None and row.parent not in units:
            yield Problem.keyed(row.origin, "parent", "import.unknown_unit", unit=row.parent)
        elif loop := cycle(units, row.code):
            yield Problem.keyed(row.origin, "parent", "import.loop", loop=" > ".join(loop))


def _person_problems(batch: ImportBatch, units: Mapping[str, UnitRecord]) -> Iterable[Problem]:
    for person in batch.people:
        if person.org_unit is not None and person.org_unit not in units:
            yield Problem.keyed(
                person.origin, "org_unit", "import.unknown_unit", unit=person.org_unit
            )


def _owner_problems(session: Session, batch: ImportBatch) -> Iterable[Problem]:
    """Items of people that neither the batch nor the database knows."""
    owners = batch.owners_unnamed()
    while chunk := list(itertools.islice(owners, CHUNK)):
        known = known_refs(session, {ref for ref, _ in chunk})
        for ref, origin in chunk:
            if ref not in known:
                yield Problem.keyed(origin, "person_id", "import.unknown_person", ref=ref)


class _Draft:
    """A person's record being assembled from what is stored and the batch's rows."""

    def __init__(self, stored: PersonRecord | None) -> None:
        self.person: dict[str, Any] = stored.evidence.person.model_dump() if stored else {}
        self.org_unit = stored.org_unit if stored else None
        self.left_on = stored.left_on if stored else None  # an import never undoes a leave
        evidence = stored.evidence if stored else None
        self.items: dict[str, dict[Any, BaseModel]] = {
            kind.attr: {self._key(kind.attr, i): i for i in getattr(evidence, kind.attr)}
            if evidence
            else {}
            for kind in KINDS
        }

    @staticmethod
    def _key(kind: str, item: BaseModel) -> Any:
        return getattr(item, "id") if kind in KEYED else item  # noqa: B009 - any keyed model

    def set_person(self, row: PersonRow) -> None:
        self.person = {"id": row.ref, "name": row.name, "name_en": row.name_en}
        self.org_unit = row.org_unit

    def add(self, kind: str, item: BaseModel) -> None:
        self.items[kind][self._key(kind, item)] = item

    def record(self) -> PersonRecord:
        lists: dict[str, Any] = {k: list(items.values()) for k, items in self.items.items()}
        evidence = Evidence(person=Person(**self.person), **lists)
        return PersonRecord(evidence, self.org_unit, self.left_on)


def _merged(rows: PersonRows, stored: StoredPerson | None) -> PersonRecord:
    """A person's record: what is stored, with the batch's rows laid over it."""
    draft = _Draft(stored.record if stored else None)
    if rows.person is not None:
        draft.set_person(rows.person)
    for row in rows.items:
        draft.add(row.kind, row.item)
    return draft.record()
