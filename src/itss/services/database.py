"""The database's schema: create it, bring it up to date."""

from __future__ import annotations

from dataclasses import dataclass

from itss.services.context import Context
from itss.store import migrate
from itss.store.database import shown


@dataclass(frozen=True)
class SchemaChange:
    url: str
    before: str | None
    after: str


def init(ctx: Context) -> SchemaChange:
    """Create the schema in a new (empty) database."""
    return SchemaChange(shown(ctx.store.url), None, migrate.init(ctx.store))


def upgrade(ctx: Context) -> SchemaChange:
    """Bring an existing database's schema up to this version of itss."""
    store = ctx.store
    if store.missing:
        migrate.require_current(store)  # refuses, naming the missing file
    before = migrate.current(store)
    return SchemaChange(shown(store.url), before, migrate.upgrade(store))
