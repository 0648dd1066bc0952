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
from itss.store.org import subtree, unit_ids, units_below
from itss.store.standing import TALLIED_UNITS
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
    return [target for _, target in _in_force(session, day)]


def _in_force(
    session: Session, day: dt.date, units: Collection[int] | None = None
) -> list[tuple[int, TargetRecord]]:
    """The targets in force on `day` (of these units only, if given), with their unit's id."""
    query = (
        select(
            Target.org_unit_id,
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
    if units is not None and len(units) <= TALLIED_UNITS:
        query = query.where(Target.org_unit_id.in_(sorted(units)))
    found: dict[tuple[str, str, int], tuple[int, TargetRecord]] = {}
    for unit_id, code, fld, level, wanted, valid_from, valid_to in session.execute(query):
        if units is None or unit_id in units:  # later start dates come last and win
            target = TargetRecord(code, fld, level, wanted, valid_from, valid_to)
            found[(code, fld, level)] = (unit_id, target)
    return list(found.values())


def gaps(session: Session, day: dt.date, unit: str | None = None) -> list[Gap]:
    """Each target in force on `day` (only those of `unit` and the units below it, if given)
    against the people of its unit and the units below it.

    The people are counted once for all targets, by unit, field and level, then summed per
    target over its units: a query per target took seconds for thousands of targets."""
    shown = None if unit is None else subtree(session, unit)
    below = units_below(session, shown)
    found = _in_force(session, day, shown)
    covered = set().union(*(below[unit_id] for unit_id, _ in found))
    counted = level_tallies(session, day, covered, {t.field for _, t in found})
    return [Gap(t, _have(counted, below[unit_id], t)) for unit_id, t in found]


def _have(counted: Tallies, units: set[int], target: TargetRecord) -> int:
    empty: dict[int, int] = {}
    return sum(
        people
        for unit in units
        for level, people in counted.get((unit, target.field), empty).items()
        if level >= target.level
    )
