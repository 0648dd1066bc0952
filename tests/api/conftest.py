"""The API over HTTP, in the organisation of tests/organisation.py: each test gets a new
database (SQLite and PostgreSQL), the app on it, and an API token per account, as a program
would hold one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from itss.api.app import create_app
from itss.settings import Settings
from tests.organisation import NAMES, PASSWORD


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
