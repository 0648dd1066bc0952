"""The audit trail: appended with each change, read filtered and by pages, never changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from itss.store.models import AuditEvent


@dataclass(frozen=True)
class Event:
    actor: str
    action: str  # e.g. "person:record", "account:disable"
    resource: str  # e.g. "person", "account"
    resource_id: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    account_id: int | None = None


@dataclass(frozen=True)
class Filters:
    actor: str | None = None
    action: str | None = None
    resource: str | None = None
    resource_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True)
class StoredEvent:
    id: int
    at: dt.datetime
    event: Event


def append(session: Session, events: list[Event], at: dt.datetime) -> None:
    if events:
        session.execute(insert(AuditEvent), [{"at": at, **vars(e)} for e in events])


def _where(filters: Filters) -> list[Any]:
    names = ("actor", "action", "resource", "resource_id")
    conditions = [
        getattr(AuditEvent, name) == getattr(filters, name)
        for name in names
        if getattr(filters, name) is not None
    ]
    if filters.since is not None:
        conditions.append(AuditEvent.at >= filters.since)
    if filters.until is not None:
        conditions.append(AuditEvent.at < filters.until)
    return conditions


def page(
    session: Session, filters: Filters, offset: int, limit: int
) -> tuple[int, list[StoredEvent]]:
    """(how many match, the page of them), newest first."""
    where = _where(filters)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    query = select(AuditEvent).where(*where).order_by(AuditEvent.id.desc())
    rows = session.scalars(query.offset(offset).limit(limit))
    return total, [_stored(row) for row in rows]


def _stored(row: AuditEvent) -> StoredEvent:
    event = Event(
        row.actor, row.action, row.resource, row.resource_id, row.before, row.after, row.account_id
    )
    return StoredEvent(row.id, row.at, event)
