"""schemathesis against the OpenAPI document: every operation, signed in as an admin (who
may reach every route), with generated data, valid and not. No answer may be a server error,
and every answer must be one the document declares, in the shape and media type it declares.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import make_url

from itss.api.app import create_app
from itss.settings import Settings
from tests.organisation import PASSWORD, build_organisation, settings_for

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
)


@pytest.fixture
def app(tmp_path: Path, sqlite_template: Path) -> Iterator[FastAPI]:
    database = tmp_path / "itss.sqlite3"
    database.write_bytes(sqlite_template.read_bytes())
    chosen = settings_for(make_url(f"sqlite:///{database}"))
    build_organisation(chosen)
    application = create_app(chosen)
    with TestClient(application):  # runs the start-up
        yield application


@pytest.fixture
def token(app: FastAPI) -> str:
    with TestClient(app, base_url="https://testserver") as client:
        body = {"username": "erin", "password": PASSWORD, "name": "schemathesis"}
        return str(client.post("/api/auth/tokens", json=body).json()["token"])


def _operations() -> list[tuple[str, str]]:
    """Every (method, path) of the document (made without a database: it needs none)."""
    document = create_app(Settings(database_url="sqlite:///unused.sqlite3")).openapi()
    return [(m.upper(), path) for path, item in document["paths"].items() for m in item]


def _signed_in(case: Case[Any], token: str) -> None:
    case.headers["Authorization"] = f"Bearer {token}"


@pytest.mark.parametrize(("method", "path"), _operations())
def test_every_operation_keeps_its_promises(
    app: FastAPI, token: str, method: str, path: str
) -> None:
    operation = schemathesis.openapi.from_asgi("/openapi.json", app)[path][method]
    # Generated account changes would disable or re-password the admin the test signs in
    # as: for those only the absence of server errors is checked (the rest by name in
    # test_auth.py).
    checks = [not_a_server_error] if path.startswith("/api/accounts/") else list(CHECKS)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case[Any]) -> None:
        _signed_in(case, token)
        case.call_and_validate(checks=checks)

    run()
