"""Every permission boundary, tried from the outside by the person who must not pass.

One table: who asks for what, and the status they must get. A person outside someone's reach
is told "not found", exactly as if they did not exist.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

TARGET = {
    "unit": "dev",
    "field": "itsm.operations",
    "level": 3,
    "wanted": 2,
    "valid_from": "2026-04-01",
}

ACCESS = [
    # Nobody signed in: nothing but the sign-in itself.
    (None, "GET", "/api/people", None, 401),
    (None, "GET", "/api/framework", None, 401),
    (None, "GET", "/api/people/alice", None, 401),
    # A member: themselves only.
    ("alice", "GET", "/api/people/alice", None, 200),
    ("alice", "GET", "/api/people/dave", None, 404),
    ("alice", "GET", "/api/people/bob", None, 404),
    ("alice", "GET", "/api/people/nobody", None, 404),
    ("alice", "GET", "/api/people/alice/assessment", None, 200),
    ("alice", "GET", "/api/people/dave/assessment", None, 404),
    ("alice", "GET", "/api/people/dave/assessments", None, 404),
    ("alice", "GET", "/api/skill-map", None, 403),
    ("alice", "GET", "/api/gaps", None, 403),
    ("alice", "POST", "/api/targets", TARGET, 403),
    ("alice", "GET", "/api/audit", None, 403),
    ("alice", "GET", "/api/accounts", None, 403),
    ("alice", "DELETE", "/api/people/alice", None, 403),
    # A manager: their unit and the units below it; they review, they do not write.
    ("bob", "GET", "/api/people/alice", None, 200),
    ("bob", "GET", "/api/people/bob", None, 200),
    ("bob", "GET", "/api/people/dave", None, 404),
    ("bob", "GET", "/api/people/dave/assessment", None, 404),
    ("bob", "GET", "/api/skill-map", None, 200),
    ("bob", "GET", "/api/skill-map?unit=web", None, 200),
    ("bob", "GET", "/api/skill-map?unit=sales", None, 404),
    ("bob", "GET", "/api/distribution?unit=sales", None, 404),
    ("bob", "GET", "/api/gaps", None, 403),
    ("bob", "POST", "/api/targets", TARGET, 403),
    ("bob", "GET", "/api/audit", None, 403),
    ("bob", "POST", "/api/accounts/alice/disable", None, 403),
    # The skills office: everyone's people and views, not accounts or the audit trail.
    ("charlie", "GET", "/api/people/dave", None, 200),
    ("charlie", "GET", "/api/skill-map?unit=sales", None, 200),
    ("charlie", "POST", "/api/targets", TARGET, 201),
    ("charlie", "GET", "/api/gaps", None, 200),
    # Units: seen by the office and admins, by a manager below their own unit, by no member.
    ("alice", "GET", "/api/units", None, 403),
    ("alice", "GET", "/api/units/web", None, 403),
    ("bob", "GET", "/api/units/web", None, 200),
    ("bob", "GET", "/api/units/sales", None, 404),
    ("bob", "GET", "/api/units/hq", None, 404),
    ("charlie", "GET", "/api/units/sales", None, 200),
    ("charlie", "GET", "/api/audit", None, 403),
    ("charlie", "GET", "/api/accounts", None, 403),
    # An admin: accounts and the audit trail, which nobody can change.
    ("erin", "GET", "/api/accounts", None, 200),
    ("erin", "GET", "/api/audit", None, 200),
    ("erin", "DELETE", "/api/audit", None, 405),
    ("erin", "PUT", "/api/audit", {}, 405),
    ("erin", "POST", "/api/audit", {}, 405),
]


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "status"),
    ACCESS,
    ids=[f"{who}-{method}-{path}" for who, method, path, _, _ in ACCESS],
)
def test_who_may_do_what(
    api: Api, who: str | None, method: str, path: str, body: object, status: int
) -> None:
    response = api.call(who, method, path, json=body)
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == status


def test_a_list_shows_only_the_people_one_may_see(api: Api) -> None:
    def refs(who: str) -> list[str]:
        return [p["ref"] for p in api.get(who, "/api/people").json()["items"]]

    assert refs("alice") == ["alice"]
    assert refs("bob") == ["alice", "bob"]
    assert refs("charlie") == ["alice", "bob", "dave"]


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_only_the_person_or_the_office_changes_evidence(api: Api, who: str) -> None:
    read = api.get("alice", "/api/people/alice")
    body = read.json()["evidence"]
    headers = {"If-Match": read.headers["ETag"]}
    response = api.call(who, "PUT", "/api/people/alice/evidence", json=body, headers=headers)
    assert response.status_code == (403 if who == "bob" else 404)
    assert api.get("alice", "/api/people/alice").headers["ETag"] == read.headers["ETag"]


def test_the_audit_trail_is_not_an_endpoint_anyone_writes(api: Api) -> None:
    methods = {
        method
        for path, item in api.client.get("/openapi.json").json()["paths"].items()
        if path.startswith("/api/audit")
        for method in item
    }
    assert methods == {"get"}
