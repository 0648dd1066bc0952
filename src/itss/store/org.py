"""The organisation tree: units with numbered revisions (name, parent), read at any moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, select
from sqlalchemy.orm import Session, aliased

from itss.store.change import Change, WriteSummary
from itss.store.errors import StoreError
from itss.store.models import OrgUnit, OrgUnitRevision


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    name_en: str | None = None
    parent: str | None = None


def unit_ids(session: Session, codes: Collection[str]) -> dict[str, int]:
    """The ids of these unit codes; an unknown code is an error."""
    if not codes:
        return {}
    query = select(OrgUnit.code, OrgUnit.id).where(OrgUnit.code.in_(sorted(codes)))
    found = dict(session.execute(query).all())
    if missing := sorted(set(codes) - set(found)):
        raise StoreError(key="store.unknown_units", values={"units": ", ".join(missing)})
    return found


def _current(at: dt.datetime | None) -> Any:
    """Each unit's latest revision recorded by `at`, as a subquery."""
    latest = select(OrgUnitRevision.org_unit_id, func.max(OrgUnitRevision.number).label("n"))
    if at is not None:
        latest = latest.where(OrgUnitRevision.recorded_at <= at)
    numbers = latest.group_by(OrgUnitRevision.org_unit_id).subquery()
    return (
        select(OrgUnitRevision)
        .join(
            numbers,
            and_(
                numbers.c.org_unit_id == OrgUnitRevision.org_unit_id,
                numbers.c.n == OrgUnitRevision.number,
            ),
        )
        .subquery()
    )


def tree(session: Session, *, at: dt.datetime | None = None) -> dict[str, UnitRecord]:
    """Every unit as it stood at `at` (default: now), by code."""
    current = _current(at)
    unit, parent = aliased(OrgUnit), aliased(OrgUnit)
    query = (
        select(unit.code, current.c.name, current.c.name_en, parent.code)
        .join(current, current.c.org_unit_id == unit.id)
        .outerjoin(parent, parent.id == current.c.parent_id)
    )
    return {row[0]: UnitRecord(*row) for row in session.execute(query)}


def subtree(session: Session, code: str, *, at: dt.datetime | None = None) -> set[int]:
    """The ids of a unit and of every unit below it (a recursive query)."""
    root = unit_ids(session, [code])[code]
    current = _current(at)
    below = select(OrgUnit.id).where(OrgUnit.id == root).cte("below", recursive=True)
    below = below.union_all(
        select(current.c.org_unit_id).join(below, current.c.parent_id == below.c.id)
    )
    return set(session.scalars(select(below.c.id)))


def units_below(session: Session, within: Collection[int] | None = None) -> dict[int, set[int]]:
    """Each unit's id (of those `within`, a subtree, if given) with the ids of the unit and
    of every unit below it (now), from one query: many units' subtrees at once, where
    `subtree` is a query each."""
    current = _current(None)
    query = select(current.c.org_unit_id, current.c.parent_id)
    if within is not None:
        query = query.where(current.c.org_unit_id.in_(sorted(within)))
    parents: dict[int, int | None] = {
        row.org_unit_id: row.parent_id for row in session.execute(query)
    }
    below: dict[int, set[int]] = {unit: {unit} for unit in parents}
    for unit, first in parents.items():
        seen, parent = {unit}, first
        while parent in below and parent not in seen:  # a loop is refused on writing
            below[parent].add(unit)
            seen.add(parent)
            parent = parents[parent]
    return below


def codes_below(session: Session, code: str) -> set[str]:
    """The codes of a unit and of every unit below it."""
    below = subtree(session, code)
    return {c for c, i in unit_ids(session, list(tree(session))).items() if i in below}


def cycle(units: Mapping[str, UnitRecord], code: str) -> list[str] | None:
    """The loop of parents starting at `code`, if following parents comes back to it."""
    path, seen = [code], {code}
    parent = units[code].parent
    while parent is not None and parent in units:
        path.append(parent)
        if parent in seen:
            return path
        seen.add(parent)
        parent = units[parent].parent
    return None


def write_units(session: Session, units: Sequence[UnitRecord], change: Change) -> WriteSummary:
    """Append a revision for each unit that is new or differs; parents must exist."""
    stored = tree(session)
    changed = [u for u in units if stored.get(u.code) != u]
    merged = stored | {u.code: u for u in changed}
    for unit in changed:
        if loop := cycle(merged, unit.code):
            raise StoreError(key="store.unit_loop", values={"loop": " > ".join(loop)})
    fresh = [u.code for u in changed if u.code not in stored]
    if fresh:
        session.execute(insert(OrgUnit), [{"code": c, "created_at": change.at} for c in fresh])
    ids = unit_ids(session, {u.code for u in changed} | {u.parent for u in changed if u.parent})
    numbers = _numbers(session, [ids[u.code] for u in changed])
    rows = [
        {
            "org_unit_id": ids[u.code],
            "number": numbers.get(ids[u.code], 0) + 1,
            "recorded_at": change.at,
            "recorded_by": change.by,
            "source": change.source,
            "name": u.name,
            "name_en": u.name_en,
            "parent_id": ids[u.parent] if u.parent else None,
        }
        for u in changed
    ]
    if rows:
        session.execute(insert(OrgUnitRevision), rows)
    return WriteSummary(len(fresh), len(changed) - len(fresh), len(units) - len(changed))


def revision_of(session: Session, code: str) -> int | None:
    """The number of a unit's latest revision (None: no such unit)."""
    query = (
        select(func.max(OrgUnitRevision.number))
        .join(OrgUnit, OrgUnit.id == OrgUnitRevision.org_unit_id)
        .where(OrgUnit.code == code)
    )
    return session.scalar(query)


def _numbers(session: Session, ids: list[int]) -> dict[int, int]:
    query = (
        select(OrgUnitRevision.org_unit_id, func.max(OrgUnitRevision.number))
        .where(OrgUnitRevision.org_unit_id.in_(ids))
        .group_by(OrgUnitRevision.org_unit_id)
    )
    return dict(session.execute(query).all())
