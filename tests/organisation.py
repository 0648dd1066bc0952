"""The organisation that the API and page tests act in, and its people with their accounts.

    hq ─┬─ dev ── web        alice (member, in web), bob (manager of dev, in dev)
        └─ sales             dave (member, in sales)
    charlie: the skills office; erin: an administrator

A plugin of every test (tests/conftest.py): `settings` is a new database (SQLite and
PostgreSQL) with this organisation in it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import URL

from itss.services import accounts, people
from itss.services.accounts import AccountSpec
from itss.services.context import Actor, Context
from itss.settings import Settings
from itss.store import org
from itss.store.change import Change
from itss.store.org import UnitRecord
from tests.store.factories import engagement, evidence

PASSWORD = "correct horse battery"
UNITS = [
    UnitRecord("hq", "本社", "Head office"),
    UnitRecord("dev", "開発部", "Development", parent="hq"),
    UnitRecord("web", "Web課", "Web", parent="dev"),
    UnitRecord("sales", "営業部", "Sales", parent="hq"),
]
PEOPLE = {
    "alice": ("有栖 アリス", "web"),
    "bob": ("帆布 ボブ", "dev"),
    "dave": ("出部 デイブ", "sales"),
}
ACCOUNTS = [
    AccountSpec("alice", "Alice", "member", PASSWORD, person="alice"),
    AccountSpec("bob", "Bob", "manager", PASSWORD, person="bob", unit="dev"),
    AccountSpec("charlie", "Charlie", "office", PASSWORD),
    AccountSpec("dave", "Dave", "member", PASSWORD, person="dave"),
    AccountSpec("erin", "Erin", "admin", PASSWORD),
]
NAMES = [a.username for a in ACCOUNTS]


def settings_for(url: URL) -> Settings:
    # Cheap password hashes: the hashes of a test database protect nothing.
    text = url.render_as_string(hide_password=False)
    return Settings(database_url=text, password_memory_kib=1024, password_time_cost=1)


def build_organisation(settings: Settings) -> None:
    with Context(settings, Actor("setup")) as ctx:
        ctx.ready.run(lambda s: org.write_units(s, UNITS, Change("setup", "test")))
        for ref, (name, unit) in PEOPLE.items():
            people.record(ctx, evidence(ref, name, engagement()), unit)
        for spec in ACCOUNTS:
            accounts.add(ctx, spec)


@pytest.fixture
def settings(database_url: URL) -> Settings:
    chosen = settings_for(database_url)
    build_organisation(chosen)
    return chosen
