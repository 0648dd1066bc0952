"""The audit trail, for admins: read and filter; there is no route that changes it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, Field

from itss.api.deps import Ctx
from itss.api.schemas import AuditEventOut, Limit, Page
from itss.services import audit
from itss.store.audit import Filters

router = APIRouter(prefix="/api/audit", tags=["audit"])
Text = Annotated[str | None, Field(max_length=300)]


class AuditQuery(BaseModel):
    """The filters of the trail (other parameters, such as `lang`, pass beside them)."""

    actor: Text = None
    action: Text = None
    resource: Text = None
    resource_id: Text = None
    since: AwareDatetime | None = None  # with its time zone: 2026-04-01T00:00:00+09:00
    until: AwareDatetime | None = None
    offset: Annotated[int, Field(ge=0, le=10**9)] = 0
    limit: Limit = 50


@router.get("", operation_id="listAuditEvents")
def list_events(ctx: Ctx, query: Annotated[AuditQuery, Query()]) -> Page[AuditEventOut]:
    """Who changed what and when, with before and after, newest first."""
    filters = Filters(
        query.actor, query.action, query.resource, query.resource_id, query.since, query.until
    )
    total, found = audit.events(ctx, filters, offset=query.offset, limit=query.limit)
    items = [AuditEventOut(id=e.id, at=e.at, **vars(e.event)) for e in found]
    return Page(total=total, offset=query.offset, limit=query.limit, items=items)
