"""The organisation's units: who may see which, and an admin's changes to the tree.

A unit is never deleted: people's past revisions and stored assessments name it. It is
renamed or moved under another parent, each change a new revision of the unit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from itss.errors import NotFoundError, PermissionDeniedError
from itss.services import access, audit
from itss.services.context import Context
from itss.store import org
from itss.store.errors import StaleError
from itss.store.org import UnitRecord


@dataclass(frozen=True)
class StoredUnit:
    unit: UnitRecord
    revision: int  # the unit's revision number: its ETag


def _visible(ctx: Context, session: Session) -> dict[str, UnitRecord]:
    """The units the actor may see: all for the skills office and admins, a manager's own
    unit and those below it; a member none (their own unit is in their person)."""
    units = org.tree(session)
    if ctx.actor.role in access.EVERYONE:
        return units
    if ctx.actor.role != "manager" or ctx.actor.unit is None:
        raise PermissionDeniedError(key="access.role", values={"roles": "manager, office, admin"})
    below = org.subtree(session, ctx.actor.unit)
    ids = org.unit_ids(session, list(units))
    return {code: unit for code, unit in units.items() if ids[code] in below}


def listing(ctx: Context) -> list[UnitRecord]:
    with ctx.ready.transaction() as session:
        return sorted(_visible(ctx, session).values(), key=lambda u: u.code)


def get(ctx: Context, code: str) -> StoredUnit:
    with ctx.ready.transaction() as session:
        found = _visible(ctx, session).get(code)
        if found is None:
            raise NotFoundError(key="store.unknown_units", values={"units": code})
        return StoredUnit(found, org.revision_of(session, code) or 0)


def save(ctx: Context, unit: UnitRecord, *, expected: int) -> tuple[StoredUnit, bool]:
    """Create a unit (`expected` 0) or change one (`expected`: the revision last read);
    admins only. Returns the unit as saved and whether it is new."""
    access.require_role(ctx, "admin")

    def write(session: Session) -> tuple[StoredUnit, bool]:
        before = org.tree(session).get(unit.code)
        have = org.revision_of(session, unit.code) or 0
        if expected != have:
            values = {"code": unit.code, "have": have, "read": expected}
            raise StaleError(key="unit.changed", values=values)
        org.write_units(session, [unit], ctx.change(f"unit {unit.code}"))
        if before != unit:
            shown = vars(before) if before else None
            audit.record(
                session, ctx, "unit:save", "unit", unit.code, before=shown, after=vars(unit)
            )
        return StoredUnit(unit, org.revision_of(session, unit.code) or 0), before is None

    return ctx.ready.run(write)
