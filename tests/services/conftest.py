"""A service context on a fresh database per test (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import URL

from itss.services.context import Actor, Context
from itss.settings import Settings


def make_context(url: URL | str, actor: str = "charlie") -> Context:
    text = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    return Context(Settings(database_url=text), Actor(actor))


@pytest.fixture
def ctx(database_url: URL) -> Iterator[Context]:
    """The HR office (charlie) on a new database with the current schema."""
    with make_context(database_url) as opened:
        yield opened
