"""The audit trail: every change with who, when, what, before and after; readable by admins,
changed by nobody (the database refuses it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from itss.errors import PermissionDeniedError
from itss.services.context import Context
from itss.store import audit
from itss.store.audit import Event, Filters, StoredEvent
from itss.store.change import now


def record(
    session: Session,
    ctx: Context,
    action: str,
    resource: str,
    resource_id: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one event in the transaction of the change it describes."""
    actor = ctx.actor
    event = Event(actor.name, action, resource, resource_id, before, after, actor.account_id)
    audit.append(session, [event], now())


def events(
    ctx: Context, filters: Filters, *, offset: int = 0, limit: int = 50
) -> tuple[int, list[StoredEvent]]:
    """(how many match, one page of them), newest first: admins only."""
    if ctx.actor.role != "admin":
        raise PermissionDeniedError(key="access.admin_only")
    with ctx.ready.transaction() as session:
        return audit.page(session, filters, offset, limit)
