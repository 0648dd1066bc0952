"""People and evidence over HTTP: optimistic concurrency, validation that names the field,
assessments, and the audit trail of every change."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api


def _read(api: Api, who: str, ref: str) -> tuple[dict[str, Any], str]:
    response = api.get(who, f"/api/people/{ref}")
    assert response.status_code == 200
    return response.json()["evidence"], response.headers["ETag"]


def _put(api: Api, who: str, ref: str, body: object, etag: str | None) -> Any:
    headers = {"If-Match": etag} if etag else {}
    return api.call(who, "PUT", f"/api/people/{ref}/evidence", json=body, headers=headers)


def test_evidence_changes_name_the_revision_they_were_based_on(api: Api) -> None:
    evidence, etag = _read(api, "alice", "alice")
    assert etag == '"1"'
    evidence["engagements"][0]["headcount"] = 40
    assert _put(api, "alice", "alice", evidence, None).status_code == 428
    done = _put(api, "alice", "alice", evidence, etag)
    assert done.status_code == 200
    assert done.headers["ETag"] == '"2"'
    assert done.json()["evidence"]["engagements"][0]["headcount"] == 40
    # The office edits from the same old read: refused, nothing lost.
    evidence["engagements"][0]["headcount"] = 7
    stale = _put(api, "charlie", "alice", evidence, etag)
    assert stale.status_code == 412
    assert _read(api, "alice", "alice")[0]["engagements"][0]["headcount"] == 40


def test_bad_evidence_names_each_field(api: Api) -> None:
    evidence, etag = _read(api, "alice", "alice")
    evidence["engagements"][0]["headcount"] = -3
    evidence["engagements"][0]["role"] = "boss"
    response = _put(api, "alice", "alice", evidence, etag)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"body.engagements.0.headcount", "body.engagements.0.role"} <= fields


def test_unknown_criteria_are_refused_with_their_place(api: Api) -> None:
    evidence, etag = _read(api, "alice", "alice")
    evidence["engagements"][0]["criteria"] = ["itsm.operations.cx.no-such-thing"]
    response = _put(api, "alice", "alice", evidence, etag)
    assert response.status_code == 422
    assert "no-such-thing" in response.text
    assert _read(api, "alice", "alice")[1] == etag


def test_the_evidence_must_be_the_persons_own(api: Api) -> None:
    evidence, etag = _read(api, "alice", "alice")
    evidence["person"]["id"] = "dave"
    response = _put(api, "alice", "alice", evidence, etag)
    assert response.status_code == 422
    assert response.json()["errors"][0]["where"] == "person.id"


def test_the_office_adds_a_person_once(api: Api) -> None:
    body = {"evidence": {"person": {"id": "frank", "name": "フランク"}}, "org_unit": "sales"}
    created = api.call("charlie", "POST", "/api/people", json=body)
    assert created.status_code == 201
    assert created.headers["Location"] == "/api/people/frank"
    assert created.headers["ETag"] == '"1"'
    assert created.json()["org_unit"] == "sales"
    assert api.call("charlie", "POST", "/api/people", json=body).status_code == 409
    assert api.call("alice", "POST", "/api/people", json=body).status_code == 403


def test_a_member_stays_in_their_unit_whatever_they_send(api: Api) -> None:
    evidence, etag = _read(api, "alice", "alice")
    assert _put(api, "alice", "alice", evidence | {"engagements": []}, etag).status_code == 200
    assert api.get("charlie", "/api/people/alice").json()["org_unit"] == "web"


def test_an_assessment_explains_every_field_now_or_on_a_past_day(api: Api) -> None:
    now = api.get("alice", "/api/people/alice/assessment").json()
    fields = {f["field"]: f for f in now["fields"]}
    assert "itsm.operations" in fields
    assert fields["itsm.operations"]["next"]["criteria"][0]["reason"]["ja"]
    before = api.get("alice", "/api/people/alice/assessment", params={"as_of": "2019-05-01"})
    assert before.json()["as_of"] == "2019-05-01"


def test_what_if_shows_a_level_before_anything_is_saved(api: Api) -> None:
    evidence, etag = _read(api, "alice", "alice")
    evidence["engagements"] = []
    response = api.call("alice", "POST", "/api/people/alice/assessment/what-if", json=evidence)
    assert response.status_code == 200
    levels = {f["field"]: f["level"] for f in response.json()["fields"]}
    assert levels.get("itsm.operations", 0) == 0
    assert _read(api, "alice", "alice")[1] == etag


def test_an_assessment_read_again_follows_every_change_of_the_evidence(api: Api) -> None:
    def fields() -> list[dict[str, Any]]:
        fields: list[dict[str, Any]] = api.get("alice", "/api/people/alice/assessment").json()[
            "fields"
        ]
        return fields

    before = fields()
    assert fields() == before  # read twice: the same
    evidence, etag = _read(api, "alice", "alice")
    evidence["engagements"] = []
    assert _put(api, "alice", "alice", evidence, etag).status_code == 200
    after = fields()
    assert after != before
    what_if = api.call("alice", "POST", "/api/people/alice/assessment/what-if", json=evidence)
    assert what_if.json()["fields"] == after  # as if assessed afresh


def test_every_change_is_in_the_audit_trail_with_before_and_after(api: Api) -> None:
    evidence, etag = _read(api, "alice", "alice")
    evidence["engagements"][0]["headcount"] = 40
    _put(api, "alice", "alice", evidence, etag)
    api.call("erin", "POST", "/api/accounts/dave/disable")
    filters = {"resource": "person", "actor": "alice", "lang": "ja"}
    page = api.get("erin", "/api/audit", params=filters).json()
    assert page["total"] == 1
    event = page["items"][0]
    assert event["action"] == "person:record"
    assert event["resource_id"] == "alice"
    assert event["before"]["evidence"]["engagements"][0]["headcount"] == 12
    assert event["after"]["evidence"]["engagements"][0]["headcount"] == 40
    accounts = api.get("erin", "/api/audit", params={"action": "account:disable"}).json()
    assert [(e["actor"], e["resource_id"]) for e in accounts["items"]] == [("erin", "dave")]
    assert "password" not in str(accounts["items"][0]["after"])


def test_every_list_is_paged(api: Api) -> None:
    for path in ("/api/accounts", "/api/auth/tokens", "/api/targets", "/api/gaps"):
        page = api.get("erin" if "accounts" in path else "charlie", path, params={"limit": 1})
        assert page.status_code == 200, path
        assert set(page.json()) == {"total", "offset", "limit", "items"}, path
        assert len(page.json()["items"]) <= 1
    accounts = api.get("erin", "/api/accounts", params={"offset": 1, "limit": 2}).json()
    assert (accounts["total"], [a["username"] for a in accounts["items"]]) == (
        5,
        ["bob", "charlie"],
    )


def test_people_lists_are_paged(api: Api) -> None:
    first = api.get("charlie", "/api/people", params={"limit": 2}).json()
    second = api.get("charlie", "/api/people", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 3
    assert [p["ref"] for p in first["items"] + second["items"]] == ["alice", "bob", "dave"]
    assert api.get("charlie", "/api/people", params={"limit": 501}).status_code == 422
    found = api.get("charlie", "/api/people", params={"q": "デイブ"}).json()
    assert [p["ref"] for p in found["items"]] == ["dave"]


def test_every_operation_has_a_stable_unique_id(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert {"login", "getPerson", "replaceEvidence", "listAuditEvents"} <= set(ids)
