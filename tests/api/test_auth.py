"""Signing in and out: sessions for the pages, tokens for programs, and what stops guessing."""

from __future__ import annotations

import threading
import time

import pytest

from itss.services import accounts
from itss.services.accounts import AccountSpec
from itss.services.context import Actor, Context
from itss.settings import Settings
from tests.api.conftest import Api
from tests.organisation import PASSWORD


def test_a_session_cookie_is_http_only_secure_and_same_site(api: Api) -> None:
    response = api.login("alice")
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("itss_session="))
    assert "HttpOnly" in session
    assert "Secure" in session
    assert "SameSite=lax" in session
    csrf = next(c for c in cookies if c.startswith("itss_csrf="))
    assert "HttpOnly" not in csrf  # the pages' script reads it to send the header
    assert response.json()["csrf_token"] in csrf
    assert api.client.get("/api/auth/me").json()["username"] == "alice"


def test_a_change_with_a_session_needs_its_csrf_token(api: Api) -> None:
    csrf = api.login("charlie").json()["csrf_token"]
    target = {"unit": "dev", "field": "itsm.operations", "level": 3, "wanted": 2}
    body = {**target, "valid_from": "2026-04-01"}
    refused = api.client.post("/api/targets", json=body)
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    wrong = api.client.post("/api/targets", json=body, headers={"X-CSRF-Token": "x" + csrf})
    assert wrong.status_code == 403
    done = api.client.post("/api/targets", json=body, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 201
    listed = api.client.get("/api/targets", params={"on": "2026-05-01"})
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == [{**body, "valid_to": None}]


def test_a_token_needs_no_csrf_token(api: Api) -> None:
    body = {"unit": "dev", "field": "itsm.operations", "level": 3, "wanted": 2}
    response = api.call(
        "charlie", "POST", "/api/targets", json={**body, "valid_from": "2026-04-01"}
    )
    assert response.status_code == 201


def test_signing_out_ends_the_session(api: Api) -> None:
    csrf = api.login("alice").json()["csrf_token"]
    assert api.client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    api.client.cookies.clear()
    assert api.client.get("/api/auth/me").status_code == 401


def test_a_stolen_session_is_useless_after_sign_out(api: Api) -> None:
    response = api.login("alice")
    secret = response.cookies["itss_session"]
    csrf = response.json()["csrf_token"]
    api.client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    api.client.cookies.clear()
    api.client.cookies.set("itss_session", secret)
    replayed = api.client.get("/api/auth/me")
    assert replayed.status_code == 401


def test_a_token_is_shown_once_and_can_be_revoked(api: Api) -> None:
    body = {"username": "alice", "password": PASSWORD, "name": "my script"}
    created = api.client.post("/api/auth/tokens", json=body).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert api.client.get("/api/auth/me", headers=headers).json()["username"] == "alice"
    listed = api.client.get("/api/auth/tokens", headers=headers).json()["items"]
    assert {t["name"] for t in listed} == {"tests", "my script"}
    assert all("token" not in t for t in listed)
    revoked = api.client.delete(f"/api/auth/tokens/{created['id']}", headers=headers)
    assert revoked.status_code == 204
    assert api.client.get("/api/auth/me", headers=headers).status_code == 401


def test_nobody_revokes_another_persons_token(api: Api) -> None:
    dave_tokens = api.get("dave", "/api/auth/tokens").json()["items"]
    response = api.call("alice", "DELETE", f"/api/auth/tokens/{dave_tokens[0]['id']}")
    assert response.status_code == 404
    assert api.get("dave", "/api/auth/me").status_code == 200


@pytest.mark.parametrize(
    ("username", "password"), [("alice", "wrong password"), ("nobody", PASSWORD)]
)
def test_a_failed_sign_in_says_the_same_whoever_tries(
    api: Api, username: str, password: str
) -> None:
    response = api.login(username, password)
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong username or password"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_repeated_failures_lock_the_account_until_an_admin_resets_it(api: Api) -> None:
    for _ in range(5):
        assert api.login("alice", "wrong password").status_code == 401
    locked = api.login("alice")
    assert locked.status_code == 429
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert "locked" in locked.json()["detail"]
    reset = api.call(
        "erin", "POST", "/api/accounts/alice/password", json={"password": "a new password"}
    )
    assert reset.status_code == 200
    assert api.login("alice", "a new password").status_code == 200


def test_many_failures_from_one_address_are_throttled(api: Api) -> None:
    for attempt in range(20):
        name = ["alice", "bob", "dave", "nobody"][attempt % 4]
        assert api.login(name, f"guess {attempt}").status_code == 401
    assert api.login("charlie").status_code == 429


def test_disabling_an_account_ends_its_tokens_and_sign_ins(api: Api) -> None:
    assert api.call("erin", "POST", "/api/accounts/dave/disable").json()["disabled"] is True
    assert api.get("dave", "/api/auth/me").status_code == 401
    assert api.login("dave").status_code == 401
    assert api.call("erin", "POST", "/api/accounts/dave/enable").status_code == 200
    assert api.login("dave").status_code == 200


def test_errors_speak_the_language_asked_for(api: Api) -> None:
    response = api.get("alice", "/api/people/dave", headers={"Accept-Language": "ja,en;q=0.5"})
    assert response.json()["title"] == "見つかりません"
    english = api.get("alice", "/api/people/dave", params={"lang": "en"})
    assert english.json()["title"] == "Not found"
    assert "dave" in english.json()["detail"]


def test_sign_ins_take_turns_beside_the_reads_of_people_signed_in(
    api: Api, settings: Settings
) -> None:
    """More people signing in at once than the server has threads: their password hashes
    wait for one another, and Alice, signed in already, has her read answered meanwhile."""
    costly = settings.model_copy(update={"password_time_cost": 1000})  # about 0.4 s a hash
    with Context(costly, Actor("setup")) as ctx:
        accounts.add(ctx, AccountSpec("frank", "Frank", "office", PASSWORD))
    answered: list[str] = []

    def sign_in() -> None:
        assert api.login("frank").status_code == 200
        answered.append("sign-in")

    burst = [threading.Thread(target=sign_in) for _ in range(settings.threads + 1)]
    for thread in burst:
        thread.start()
    time.sleep(0.2)  # the first is hashing, the others wait for their turn
    assert api.get("alice", "/api/auth/me").status_code == 200
    answered.append("read")
    for thread in burst:
        thread.join()
    assert answered[0] == "read", answered
