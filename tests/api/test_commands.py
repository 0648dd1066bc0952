"""`itss user ...` and `itss serve`, as an administrator runs them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL

from itss.api.app import create_app
from itss.settings import get_settings
from tests.conftest import Itss
from tests.organisation import settings_for

SECRET = "correct horse battery"


def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITSS_PASSWORD_MEMORY_KIB", "1024")
    monkeypatch.setenv("ITSS_PASSWORD_TIME_COST", "1")


@pytest.fixture
def organisation(itss: Itss, monkeypatch: pytest.MonkeyPatch, empty_url: URL) -> Itss:
    """A new database on each backend, named by ITSS_DATABASE_URL as an administrator would."""
    _cheap_hashes(monkeypatch)
    monkeypatch.setenv("ITSS_DATABASE_URL", empty_url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    assert itss("db", "init")[0] == 0
    return itss


def test_an_admin_adds_lists_disables_and_resets_accounts(organisation: Itss) -> None:
    itss = organisation
    code, out, err = itss("user", "add", "erin", "--role", "admin", "--password", SECRET)
    assert code == 0, err
    assert "added account erin (admin)" in out
    itss("user", "add", "charlie", "--role", "office", "--password", SECRET, "--name", "Charlie")
    code, out, _ = itss("user", "list")
    assert "erin" in out
    assert "Charlie" in out
    assert out.count("active") == 2
    assert itss("user", "disable", "charlie")[0] == 0
    assert "disabled" in itss("user", "list")[1]
    code, out, _ = itss("user", "reset", "charlie", "--password", "another secret")
    assert code == 0
    assert "sessions and tokens have ended" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "member", "--password", SECRET], "names their person (--person)"),
        (["--role", "manager", "--password", SECRET], "the org unit they manage (--unit)"),
        (["--role", "king", "--password", SECRET], "a role is one of: member, manager"),
        (["--role", "admin", "--password", "short"], "at least 10 characters"),
        (["--role", "member", "--person", "ghost", "--password", SECRET], "'ghost'"),
    ],
)
def test_a_bad_account_is_refused_in_words(
    organisation: Itss, args: list[str], message: str
) -> None:
    code, _, err = organisation("user", "add", "someone", *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert "someone" not in organisation("user", "list")[1]


def test_the_same_username_twice_is_refused(organisation: Itss) -> None:
    organisation("user", "add", "erin", "--role", "admin", "--password", SECRET)
    code, _, err = organisation("user", "add", "erin", "--role", "admin", "--password", SECRET)
    assert code == 2
    assert "exists already" in err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(organisation: Itss, tmp_path: Path) -> Iterator[str]:
    organisation("user", "add", "erin", "--role", "admin", "--password", SECRET)
    port = _free_port()
    env = os.environ | {"ITSS_PASSWORD_MEMORY_KIB": "1024", "ITSS_PASSWORD_TIME_COST": "1"}
    command = [sys.executable, "-m", "itss.cli.main", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL) as process:
        try:
            _wait_for(url)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return
    raise AssertionError(f"no server at {url}")


def test_itss_serve_answers_over_http(server: str) -> None:
    body = {"username": "erin", "password": SECRET, "name": "t"}
    token = httpx.post(f"{server}/api/auth/tokens", json=body).json()["token"]
    me = httpx.get(f"{server}/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "admin"


def test_itss_serve_refuses_a_database_without_schema(itss: Itss) -> None:
    code, _, err = itss("serve", "--db", "sqlite:///missing.sqlite3")
    assert code == 2
    assert "missing.sqlite3" in err


def test_the_demo_gives_one_account_per_role_as_the_readme_says(
    organisation: Itss, empty_url: URL
) -> None:
    code, out, err = organisation("demo", "--people", "30", "--jobs", "1")
    assert code == 0, err
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = [line.split("|") for line in readme.splitlines() if line.startswith("| `")]
    documented = {
        r[1].strip(" `"): r[3].strip(" `") for r in rows if r[3].strip().startswith("`demo-")
    }
    assert set(documented) == {"admin", "office", "manager", "member"}
    assert all(password in out for password in documented.values())  # printed too
    settings = settings_for(empty_url)
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        roles = {}
        for username, password in documented.items():
            response = client.post(
                "/api/auth/login", json={"username": username, "password": password}
            )
            assert response.status_code == 200, response.text
            roles[username] = (response.json()["role"], response.json()["person"])
            client.cookies.clear()
    assert roles["member"][1] is not None
    assert {role for role, _ in roles.values()} == {"admin", "office", "manager", "member"}


def test_itss_worker_needs_a_shared_queue(itss: Itss) -> None:
    assert itss("db", "init")[0] == 0  # the embedded SQLite file
    code, _, err = itss("worker")
    assert code == 2
    assert "SQLite" in err
    assert "own worker process" in err
