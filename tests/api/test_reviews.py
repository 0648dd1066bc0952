"""The review workflow over HTTP: every transition, allowed and refused, and two reviewers
acting on one submission at once."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from sqlalchemy import text

import itss
from itss.engine.evaluate import ENGINE_VERSION
from itss.services import accounts, reviews
from itss.services.context import Actor, Context
from itss.settings import Settings
from itss.store.errors import ConflictError
from tests.api.conftest import Api
from tests.engine.builder import evidence_for

FIELD = "itsm.operations"
ATTESTABLE = "itsm.common.l1.expertise"  # level 1 waits for it, and nothing else
AS_OF = "2026-04-01"


def _level_one_but_the_attestation() -> dict[str, Any]:
    built = evidence_for(itss.load_framework(), FIELD, 1)
    evidence: dict[str, Any] = json.loads(json.dumps(built, default=str))
    evidence["person"] = {"id": "alice", "name": "有栖 アリス"}
    evidence["attestations"] = []
    return evidence


def _submitted(api: Api) -> int:
    read = api.get("alice", "/api/people/alice")
    headers = {"If-Match": read.headers["ETag"]}
    body = _level_one_but_the_attestation()
    put = api.call("alice", "PUT", "/api/people/alice/evidence", json=body, headers=headers)
    assert put.status_code == 200, put.text
    response = api.call("alice", "POST", "/api/people/alice/reviews", json={"as_of": AS_OF})
    assert response.status_code == 201, response.text
    assert response.json()["state"] == "submitted"
    return int(response.json()["id"])


def _levels(api: Api, who: str, review: int) -> dict[str, int]:
    detail = api.get(who, f"/api/reviews/{review}").json()
    return {f["field"]: f["level"] for f in detail["assessment"]["fields"]}


def test_a_submission_attested_and_approved_becomes_the_official_level(api: Api) -> None:
    review = _submitted(api)
    queue = api.get("bob", "/api/reviews").json()
    assert [r["id"] for r in queue["items"]] == [review]
    detail = api.get("bob", f"/api/reviews/{review}").json()
    waiting = {a["criterion"]: a for a in detail["to_attest"]}
    assert ATTESTABLE in waiting
    assert waiting[ATTESTABLE]["text"]["ja"]
    assert waiting[ATTESTABLE]["sources"][0]["line"] > 0
    assert _levels(api, "bob", review)[FIELD] == 0

    body = {"decision": "attested", "comment": "見ています"}
    decided = api.call("bob", "PUT", f"/api/reviews/{review}/criteria/{ATTESTABLE}", json=body)
    assert decided.status_code == 200, decided.text
    assert decided.json()["decisions"][0]["reviewer"] == "bob"
    assert ATTESTABLE not in {a["criterion"] for a in decided.json()["to_attest"]}
    assert _levels(api, "bob", review)[FIELD] == 1

    approved = api.call("bob", "POST", f"/api/reviews/{review}/approve", json={"comment": "ok"})
    assert approved.status_code == 200
    assert (approved.json()["state"], approved.json()["decided_by"]) == ("approved", "bob")
    official = api.get("alice", "/api/people/alice/official-levels").json()["items"]
    assert {(o["field"], o["level"], o["on"]) for o in official} >= {(FIELD, 1, AS_OF)}
    evidence = api.get("alice", "/api/people/alice").json()["evidence"]
    assert [(a["by"], a["criterion"]) for a in evidence["attestations"]] == [("bob", ATTESTABLE)]
    events = api.get("alice", f"/api/reviews/{review}").json()["events"]
    assert [(e["from_state"], e["to_state"], e["actor"]) for e in events] == [
        (None, "submitted", "alice"),
        ("submitted", "approved", "bob"),
    ]


REFUSED = [
    ("alice", "approve", {"comment": ""}, 403),  # a member does not review
    ("alice", "return", {"comment": "no"}, 403),
    ("charlie", "approve", {"comment": ""}, 403),  # the office runs, it does not review
    ("dave", "approve", {"comment": ""}, 404),  # another unit's member: not even visible
    ("bob", "withdraw", None, 403),  # the person withdraws, not the reviewer
    ("bob", "return", {"comment": "  "}, 400),  # returned without saying why
]


@pytest.mark.parametrize(("who", "action", "body", "status"), REFUSED)
def test_transitions_refused_to_the_wrong_person(
    api: Api, who: str, action: str, body: object, status: int
) -> None:
    review = _submitted(api)
    response = api.call(who, "POST", f"/api/reviews/{review}/{action}", json=body)
    assert response.status_code == status, response.text
    assert api.get("alice", f"/api/reviews/{review}").json()["review"]["state"] == "submitted"


@pytest.mark.parametrize(
    ("first", "then"),
    [("approve", "approve"), ("approve", "return"), ("return", "approve"), ("withdraw", "approve")],
)
def test_a_closed_review_cannot_move_again(api: Api, first: str, then: str) -> None:
    review = _submitted(api)
    who = "alice" if first == "withdraw" else "bob"
    done = api.call(who, "POST", f"/api/reviews/{review}/{first}", json={"comment": "why"})
    assert done.status_code == 200, done.text
    again = api.call("erin", "POST", f"/api/reviews/{review}/{then}", json={"comment": "why"})
    assert again.status_code == 409
    assert f"review {review} is" in again.json()["detail"]
    japanese = api.call(
        "erin",
        "POST",
        f"/api/reviews/{review}/{then}",
        json={"comment": "why"},
        headers={"Accept-Language": "ja"},
    ).json()["detail"]
    word = {"approve": "承認済み", "return": "差し戻し", "withdraw": "取り下げ"}[first]
    assert f"「{word}」" in japanese  # the state in the reader's language, not "approved"
    decide = api.call(
        "bob", "PUT", f"/api/reviews/{review}/criteria/{ATTESTABLE}", json={"decision": "attested"}
    )
    assert decide.status_code == 409


def test_a_returned_review_can_be_submitted_again(api: Api) -> None:
    review = _submitted(api)
    assert api.call("alice", "POST", "/api/people/alice/reviews", json={}).status_code == 409
    returned = api.call("bob", "POST", f"/api/reviews/{review}/return", json={"comment": "詳細を"})
    assert returned.json()["comment"] == "詳細を"
    again = api.call("alice", "POST", "/api/people/alice/reviews", json={"as_of": AS_OF})
    assert again.status_code == 201
    assert again.json()["id"] != review


def test_changed_evidence_invalidates_the_open_review(api: Api) -> None:
    review = _submitted(api)
    read = api.get("alice", "/api/people/alice")
    body = read.json()["evidence"] | {"engagements": []}
    headers = {"If-Match": read.headers["ETag"]}
    api.call("alice", "PUT", "/api/people/alice/evidence", json=body, headers=headers)
    state = api.get("bob", f"/api/reviews/{review}").json()["review"]["state"]
    assert state == "invalidated"
    assert api.call("bob", "POST", f"/api/reviews/{review}/approve", json={}).status_code == 409


def test_a_rejection_says_why(api: Api) -> None:
    review = _submitted(api)
    path = f"/api/reviews/{review}/criteria/{ATTESTABLE}"
    silent = api.call("bob", "PUT", path, json={"decision": "rejected"})
    assert silent.status_code == 400
    said = api.call("bob", "PUT", path, json={"decision": "rejected", "comment": "未確認"})
    assert said.json()["decisions"][0]["decision"] == "rejected"
    assert _levels(api, "bob", review)[FIELD] == 0
    unknown = api.call(
        "bob",
        "PUT",
        f"/api/reviews/{review}/criteria/nope",
        json=said.json() and {"decision": "attested"},
    )
    assert unknown.status_code == 400


def test_a_manager_reviews_only_their_units_and_not_themselves(api: Api) -> None:
    mine = api.call("bob", "POST", "/api/people/bob/reviews", json={})
    assert mine.status_code == 201
    assert (
        api.call("bob", "POST", f"/api/reviews/{mine.json()['id']}/approve", json={}).status_code
        == 403
    )
    dave = api.call("dave", "POST", "/api/people/dave/reviews", json={})
    assert api.get("bob", f"/api/reviews/{dave.json()['id']}").status_code == 404
    assert api.get("bob", "/api/reviews").json()["total"] == 1  # his own only: dave is not his


def test_an_approved_review_shows_its_official_assessment_as_it_was_made(
    api: Api, settings: Settings
) -> None:
    """What an approval made official is kept, every verdict with it: the review shows that
    assessment, not the evidence assessed again by whatever engine reads it later."""
    review = _submitted(api)
    body = {"decision": "attested", "comment": "見ています"}
    api.call("bob", "PUT", f"/api/reviews/{review}/criteria/{ATTESTABLE}", json=body)
    before = api.get("bob", f"/api/reviews/{review}").json()["assessment"]
    assert api.call("bob", "POST", f"/api/reviews/{review}/approve", json={}).status_code == 200
    assert api.get("alice", f"/api/reviews/{review}").json()["assessment"] == before
    with Context(settings, Actor("setup")) as ctx, ctx.ready.transaction() as session:
        kept = session.execute(text("SELECT engine_version FROM official_assessments")).all()
        assert [tuple(k) for k in kept] == [(ENGINE_VERSION,)]
        session.execute(text("UPDATE official_assessments SET framework_version = 'gone'"))
    refused = api.get("alice", f"/api/reviews/{review}")
    assert refused.status_code == 400
    assert "was made with framework gone" in refused.json()["detail"]


def test_two_reviewers_approving_at_once_one_wins(api: Api, settings: Settings) -> None:
    review = _submitted(api)
    outcomes: list[str] = []
    ready = threading.Barrier(2)

    def approve(name: str, account: int) -> None:
        with Context(
            settings, Actor(name, "manager" if name == "bob" else "admin", account, unit="dev")
        ) as ctx:
            ready.wait()
            try:
                reviews.approve(ctx, review, f"by {name}")
                outcomes.append("approved")
            except ConflictError:
                outcomes.append("conflict")

    with Context(settings, Actor("setup")) as admin:
        ids = {a.username: a.id for a in accounts.listing(admin)}
    threads = [threading.Thread(target=approve, args=(n, ids[n])) for n in ("bob", "erin")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "conflict"]
    official = api.get("alice", "/api/people/alice/official-levels").json()["items"]
    assert len({o["review_id"] for o in official}) == 1
    events = api.get("alice", f"/api/reviews/{review}").json()["events"]
    assert [e["to_state"] for e in events] == ["submitted", "approved"]
