"""Staffing targets: how many people an org unit wants at a level in a field, and when.

Targets are never edited: a new figure is a new row from a later date on. On any day the
target in force is the one with the latest start date that covers the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, or_, select, tuple_
from sqlalchemy.orm import Session

from itss.store.change import Change
from itss.store.errors import StoreError
from itss.store.models import OrgUnit, Target
from itss.store.org import tree, unit_ids
from itss.store.views import Tallies, level_tallies


@dataclass(frozen=True)
class TargetRecord:
    unit: str
    field: str
    level: int
    wanted: int
    valid_from: dt.date
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class Gap:
    target: TargetRecord
    have: int

    @property
    def missing(self) -> int:
        return max(0, self.target.wanted - self.have)


def add_targets(
    session: Session,
    targets: Sequence[TargetRecord],
    change: Change,
    *,
    fields: Collection[str] | None = None,
) -> None:
    """Record new targets; a field outside `fields` or a repeated start date is refused."""
    if not targets:
        return  # (an insert of no rows would be one row of nothing)
    if fields is not None and (unknown := sorted({t.field for t in targets} - set(fields))):
        raise StoreError(key="store.unknown_fields", values={"fields": ", ".join(unknown)})
    ids = unit_ids(session, {t.unit for t in targets})
    keys = [(ids[t.unit], t.field, t.level, t.valid_from) for t in targets]
    taken = session.execute(
        select(OrgUnit.code, Target.field, Target.level, Target.valid_from)
        .join(OrgUnit, OrgUnit.id == Target.org_unit_id)
        .where(tuple_(Target.org_unit_id, Target.field, Target.level, Target.valid_from).in_(keys))
    ).first()
    if taken is not None:
        unit, field, level, day = taken
        raise StoreError(
            key="store.target_exists",
            values={"unit": unit, "field": field, "level": level, "day": day},
        )
    session.execute(
        insert(Target),
        [
            {
                "org_unit_id": ids[t.unit],
                "field": t.field,
                "level": t.level,
                "wanted": t.wanted,
                "valid_from": t.valid_from,
                "valid_to": t.valid_to,
                "recorded_at": change.at,
                "recorded_by": change.by,
            }
            for t in targets
        ],
    )


def targets_on(session: Session, day: dt.date) -> list[TargetRecord]:
    """The targets in force on `day`: per unit, field and level, the latest that covers it."""
    query = (
        select(
            OrgUnit.code,
            Target.field,
            Target.level,
            Target.wanted,
            Target.valid_from,
            Target.valid_to,
        )
        .join(OrgUnit, OrgUnit.id == Target.org_unit_id)
        .where(Target.valid_from <= day, or_(Target.valid_to.is_(None), Target.valid_to >= day))
        .order_by(OrgUnit.code, Target.field, Target.level, Target.valid_from)
    )
    found: dict[tuple[str, str, int], TargetRecord] = {}
    for row in session.execute(query):
        found[row[:3]] = TargetRecord(*row)  # later start dates come last and win
    return list(found.values())


def gaps(session: Session, day: dt.date, unit: str | None = None) -> list[Gap]:
    """Each target in force on `day` (only those of `unit` and the units below it, if given)
    against the people of its unit and the units below it.

    The people are counted once for all targets, by unit, field and level, then summed per
    target over its units: a query per target took seconds for thousands of targets."""
    found = targets_on(session, day)
    below = _units_below(session)
    if unit is not None:
        shown = below[unit_ids(session, [unit])[unit]]
        ids = unit_ids(session, {t.unit for t in found})
        found = [t for t in found if ids[t.unit] in shown]
    ids = unit_ids(session, {t.unit for t in found})
    covered = set().union(*(below[ids[t.unit]] for t in found))
    counted = level_tallies(session, day, covered, {t.field for t in found})
    return [Gap(t, _have(counted, below[ids[t.unit]], t)) for t in found]


def _units_below(session: Session) -> dict[int, set[int]]:
    """Each unit's id with the ids of the unit and every unit below it (now)."""
    units = tree(session)
    ids = unit_ids(session, list(units))
    parents = {ids[u.code]: ids[u.parent] if u.parent else None for u in units.values()}
    below: dict[int, set[int]] = {unit: {unit} for unit in parents}
    for unit, first in parents.items():
        seen, parent = {unit}, first
        while parent is not None and parent not in seen:  # a loop is refused on writing
            below[parent].add(unit)
            seen.add(parent)
            parent = parents[parent]
    return below


def _have(counted: Tallies, units: set[int], target: TargetRecord) -> int:
    empty: dict[int, int] = {}
    return sum(
        people
        for unit in units
        for level, people in counted.get((unit, target.field), empty).items()
        if level >= target.level
    )
