"""Who may see and do what: every service that reads or changes people asks here.

A person the actor may not see is answered exactly as a person who does not exist (not
found), so that a refusal tells nobody who is in the organisation.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from itss.errors import NotFoundError, PermissionDeniedError
from itss.services.context import Context
from itss.store import org, people
from itss.store.people import Scope

EVERYONE = ("office", "admin")


def require_role(ctx: Context, *roles: str) -> None:
    if ctx.actor.role not in roles:
        raise PermissionDeniedError(key="access.role", values={"roles": ", ".join(roles)})


def scope(ctx: Context, session: Session) -> Scope:
    """The people the actor may see: everyone, a manager's units, or a member's own person."""
    actor = ctx.actor
    if actor.role in EVERYONE:
        return Scope()
    if actor.role == "manager" and actor.unit is not None:
        return Scope(units=tuple(sorted(org.subtree(session, actor.unit))))
    return Scope(ref=actor.person or "")


def visible(ctx: Context, session: Session, ref: str) -> bool:
    actor = ctx.actor
    if actor.role in EVERYONE or ref == actor.person:
        return True
    if actor.role == "manager" and actor.unit is not None:
        unit = people.unit_id_of(session, ref)
        return unit is not None and unit in org.subtree(session, actor.unit)
    return False


def require_visible(ctx: Context, session: Session, ref: str) -> None:
    if not visible(ctx, session, ref):
        raise NotFoundError(key="person.unknown", values={"ref": ref})


def require_editable(ctx: Context, session: Session, ref: str) -> None:
    """Evidence is edited by the person themselves, the skills office and admins; a manager
    reviews their people's evidence but does not write it."""
    require_visible(ctx, session, ref)
    if ctx.actor.role not in EVERYONE and ref != ctx.actor.person:
        raise PermissionDeniedError(key="access.not_own_evidence", values={"ref": ref})


def view_unit(ctx: Context, session: Session, unit: str | None) -> str | None:
    """The unit an organisation view may show: any (or all) for the skills office and admins;
    for a manager their own unit or one below it (their own when none is asked for)."""
    actor = ctx.actor
    if actor.role in EVERYONE:
        return unit
    if actor.role != "manager" or actor.unit is None:
        raise PermissionDeniedError(key="access.role", values={"roles": "manager, office, admin"})
    if unit is None:
        return actor.unit
    if org.unit_ids(session, [unit])[unit] not in org.subtree(session, actor.unit):
        raise NotFoundError(key="store.unknown_units", values={"units": unit})
    return unit
