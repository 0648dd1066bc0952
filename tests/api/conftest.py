"""An organisation behind the API, and its people with their accounts.

    hq ─┬─ dev ── web        alice (member, in web), bob (manager of dev, in dev)
        └─ sales             dave (member, in sales)
    charlie: the skills office; erin: an administrator

Each test gets a new database (SQLite and PostgreSQL), the app on it, and an API token per
account, as a program would hold one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL

from itss.api.app import create_app
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


@dataclass
class Api:
    """The app over HTTP, and each named person's API token."""

    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def call(self, who: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if who is not None:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, who: str | None, path: str, **kwargs: Any) -> httpx.Response:
        return self.call(who, "GET", path, **kwargs)

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        return self.client.post(
            "/api/auth/login", json={"username": username, "password": password}
        )


@pytest.fixture
def settings(database_url: URL) -> Settings:
    chosen = settings_for(database_url)
    build_organisation(chosen)
    return chosen


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        client.headers["Accept-Language"] = "en"  # most tests read English; one asks for ja
        found = Api(client)
        for name in NAMES:
            body = {"username": name, "password": PASSWORD, "name": "tests"}
            response = client.post("/api/auth/tokens", json=body)
            assert response.status_code == 201, response.text
            found.tokens[name] = response.json()["token"]
        yield found
