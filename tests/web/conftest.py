"""The pages over HTTP, as each named person's browser would ask for them (the organisation
and people of tests/organisation.py: alice and dave are members, bob manages dev, charlie is the
skills office, erin an administrator)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from itss.api.app import create_app
from itss.io.documents import read_evidence
from itss.services import people
from itss.services.context import Actor, Context
from itss.settings import Settings
from tests.organisation import PASSWORD


@dataclass
class Pages:
    """One signed-in browser per named person (English pages unless asked otherwise)."""

    settings: Settings
    stack: ExitStack
    app: Any = None
    browsers: dict[str, TestClient] = field(default_factory=dict)

    def anonymous(self) -> TestClient:
        # The app was started once (see `pages`): each browser only holds its own cookies.
        client = TestClient(self.app, base_url="https://testserver", follow_redirects=False)
        client.headers["Accept-Language"] = "en"
        return client

    def of(self, who: str) -> TestClient:
        if who not in self.browsers:
            client = self.anonymous()
            answer = client.post("/login", data={"username": who, "password": PASSWORD})
            assert answer.status_code == 303, answer.text
            self.browsers[who] = client
        return self.browsers[who]

    def get(self, who: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.of(who).get(path, **kwargs)

    def post(
        self, who: str, path: str, data: dict[str, Any] | None = None, **kw: Any
    ) -> httpx.Response:
        """Send a form as the page would: with the session's CSRF token."""
        token = self.of(who).cookies.get("itss_csrf")
        return self.of(who).post(path, data={"csrf": token, **(data or {})}, **kw)


EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "evidence-ja.yaml"


def alice_as_in_the_example(
    chosen: Settings, *, succession: bool = True, engagements: int = 1
) -> None:
    """Alice's evidence: the example's, with its first `engagements` (the first, a member's,
    by default) and no attestations (her manager gives them); without contributions if
    `succession` is off.
    Her evidence is then at revision 2."""
    with Context(chosen, Actor("setup")) as ctx:
        example = read_evidence(EXAMPLE, ctx.framework)
        changed = example.model_copy(
            update={
                "person": example.person.model_copy(update={"id": "alice"}),
                "engagements": example.engagements[:engagements],
                "attestations": [],
                "succession": example.succession if succession else [],
            }
        )
        people.record(ctx, changed)


@pytest.fixture
def pages(settings: Settings) -> Iterator[Pages]:
    with ExitStack() as stack:
        found = Pages(settings, stack)
        found.app = create_app(settings)
        stack.enter_context(TestClient(found.app))  # its start-up and shut-down
        yield found
