"""The pages over HTTP: sign in and out, who may see what, forms checked and refused with
their fields named, and the main journeys of each role."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from itss.services import framework
from tests.organisation import PASSWORD
from tests.web.conftest import Pages, alice_as_in_the_example

FIELD = "itsm.operations-management"
# A field's level once attested (the provisional level): what evidence alone decides.
LEVEL = re.compile(
    r'data-field="itsm.operations-management" data-level="\d" data-provisional="(\d)"'
)


def _level(html: str) -> int:
    found = LEVEL.search(html)
    return int(found.group(1)) if found else 0


def test_a_visitor_without_a_session_is_sent_to_sign_in(pages: Pages) -> None:
    answer = pages.anonymous().get("/people/alice")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/people/alice"


def test_a_wrong_password_is_refused_on_the_page_in_its_language(pages: Pages) -> None:
    browser = pages.anonymous()
    answer = browser.post("/login", data={"username": "alice", "password": "wrong"})
    assert answer.status_code == 401
    assert 'role="alert"' in answer.text
    assert "itss_session" not in browser.cookies
    browser.headers["Accept-Language"] = "ja"
    assert "ログイン" in browser.get("/login").text


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("alice", "/me"),
        ("bob", "/reviews"),
        ("charlie", "/office/skill-map"),
        ("erin", "/office/skill-map"),
    ],
)
def test_each_role_lands_on_its_own_first_page(pages: Pages, who: str, home: str) -> None:
    assert pages.get(who, "/").headers["location"] == home


def test_signing_out_ends_the_session(pages: Pages) -> None:
    assert pages.get("alice", "/people/alice").status_code == 200
    assert pages.post("alice", "/logout").status_code == 303
    assert pages.get("alice", "/people/alice").status_code == 303


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("alice", "/people/dave", 404),  # another member: as if nobody were there
        ("alice", "/people/dave/evidence", 404),
        ("bob", "/people/dave", 404),  # a manager outside his unit
        ("alice", "/office/skill-map", 403),
        ("alice", "/office/jobs", 403),
        ("alice", "/reviews/1", 404),
        ("dave", "/people/alice/engagements/new", 404),
    ],
)
def test_what_a_person_may_not_see_is_a_clear_page(
    pages: Pages, who: str, path: str, status: int
) -> None:
    answer = pages.get(who, path)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert "Traceback" not in answer.text
    assert "<h1>" in answer.text


def test_a_form_without_the_session_csrf_token_changes_nothing(pages: Pages) -> None:
    browser = pages.of("alice")
    before = pages.get("alice", "/people/alice/evidence").text
    answer = browser.post(
        "/people/alice/activities",
        data={"type": "activity.book", "date": "2024-01-01", "title": "x"},
    )
    assert answer.status_code == 403
    assert pages.get("alice", "/people/alice/evidence").text == before


def test_a_manager_cannot_write_a_members_evidence(pages: Pages) -> None:
    data = {"type": "activity.book", "date": "2024-01-01", "title": "x", "revision": "1"}
    assert pages.post("bob", "/people/alice/activities", data).status_code == 403


def test_unknown_pages_and_bad_parameters_are_pages_not_tracebacks(pages: Pages) -> None:
    assert pages.get("alice", "/no/such/page").status_code == 404
    answer = pages.get("charlie", "/framework/fields/x/levels/9")
    assert answer.status_code in {400, 422}
    assert "<h1>" in answer.text


def test_the_language_chosen_is_remembered(pages: Pages) -> None:
    browser = pages.of("alice")
    answer = browser.post("/language", data={"lang": "ja", "next": "/framework"})
    assert answer.headers["location"] == "/framework"
    assert 'lang="ja"' in browser.get("/framework").text
    browser.post("/language", data={"lang": "en", "next": "https://elsewhere.example/"})
    assert 'lang="en"' in browser.get("/framework").text


def test_language_switch_never_leads_to_another_site(pages: Pages) -> None:
    answer = pages.anonymous().post("/language", data={"lang": "en", "next": "//evil.example"})
    assert answer.headers["location"] == "/"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/static/htmx.min.js", "javascript"),
        ("/static/itss.css", "text/css"),
        ("/static/fonts/noto-sans-jp-400.woff2", "font/woff2"),
        ("/static/fonts/noto-sans-jp-700.woff2", "font/woff2"),
    ],
)
def test_every_asset_is_served_by_the_application(pages: Pages, path: str, kind: str) -> None:
    answer = pages.anonymous().get(path)
    assert answer.status_code == 200
    assert kind in answer.headers["content-type"]
    assert len(answer.content) > 1000


def test_the_framework_browser_shows_each_criterion_with_its_source(pages: Pages) -> None:
    answer = pages.get("alice", "/framework/fields/itsm.operations-management/levels/4")
    assert answer.status_code == 200
    assert "000_89c44aedb2bf8795.txt:" in answer.text
    assert "itsm.operations-management.l4.complexity" in answer.text


def _engagement(**changes: str) -> dict[str, object]:
    """The example's leader engagement (docs/examples/evidence-ja.yaml), as the form sends it."""
    values: dict[str, object] = {
        "id": "retail-ops-2018",
        "field": "itsm.operations-management",
        "role": "leader",
        "start": "2018-04-01",
        "end": "2021-03-31",
        "headcount": "40",
        "contract_value_yen": "380000000",
        "criteria": [
            "itsm.operations-management.cx.operations-requirements",
            "itsm.operations-management.cx.infrastructure-requirements",
            "itsm.operations-management.cx.structure",
        ],
        "succeeded": "on",
        "revision": "2",
    }
    return values | changes


def test_a_form_with_mistakes_names_each_field_and_saves_nothing(pages: Pages) -> None:
    answer = pages.post(
        "alice", "/people/alice/engagements", _engagement(start="2025-13-01", headcount="-3")
    )
    assert answer.status_code == 422
    assert "start" in answer.text
    assert "headcount" in answer.text
    assert "retail-ops-2018" not in pages.get("alice", "/people/alice/evidence").text


def test_what_if_shows_the_level_before_anything_is_saved(pages: Pages) -> None:
    alice_as_in_the_example(pages.settings)
    before = _level(pages.get("alice", "/people/alice").text)
    answer = pages.post("alice", "/people/alice/what-if/engagement", _engagement())
    assert answer.status_code == 200
    shown = re.search(
        r'data-field="itsm.operations-management" data-provisional="(\d)"', answer.text
    )
    assert shown is not None
    assert int(shown.group(1)) > before
    assert _level(pages.get("alice", "/people/alice").text) == before


def test_one_more_contribution_shown_before_it_is_saved_then_saved(pages: Pages) -> None:
    alice_as_in_the_example(pages.settings, succession=False, engagements=3)
    paper = {
        "type": "activity.external-paper",
        "date": "2024-06-01",
        "title": "SLA",
        "revision": "2",
    }
    answer = pages.post("alice", "/people/alice/what-if/activity", paper)
    assert 'data-field="itsm.operations-management" data-provisional="4"' in answer.text
    assert _level(pages.get("alice", "/people/alice").text) == 0
    assert pages.post("alice", "/people/alice/activities", paper).status_code == 303
    assert _level(pages.get("alice", "/people/alice?done=saved").text) == 4


def test_a_stale_form_is_refused_and_the_newer_evidence_kept(pages: Pages) -> None:
    alice_as_in_the_example(pages.settings, succession=False, engagements=3)
    paper = {"type": "activity.book", "date": "2024-06-01", "title": "A", "revision": "2"}
    assert pages.post("alice", "/people/alice/activities", paper).status_code == 303
    stale = pages.post("alice", "/people/alice/activities", paper | {"title": "B"})
    assert stale.status_code == 412
    assert "Someone changed this meanwhile" in stale.text
    evidence = pages.get("alice", "/people/alice/evidence").text
    assert ": A</li>" in evidence
    assert ": B</li>" not in evidence


def test_the_review_journey_from_engagement_to_official_level(pages: Pages) -> None:
    alice_as_in_the_example(pages.settings)
    before = _level(pages.get("alice", "/people/alice").text)
    saved = pages.post("alice", "/people/alice/engagements", _engagement())
    assert saved.status_code == 303
    after = _level(pages.get("alice", saved.headers["location"]).text)
    assert after > before
    assert pages.post("alice", "/people/alice/submit").status_code == 303

    queue = pages.get("bob", "/reviews").text
    review = re.search(r'href="/reviews/(\d+)"', queue)
    assert review is not None
    path = f"/reviews/{review.group(1)}"
    detail = pages.get("bob", path).text
    waiting = re.findall(r'name="criterion" value="([^"]+)"', detail)
    assert waiting
    assert pages.post("alice", f"{path}/approve").status_code == 403  # a member never approves
    # Level 3 misses an area of expertise, so only attestations stand between alice and
    # level 4: its criteria wait for bob too, not only those of the level above 0.
    assert f"{FIELD}.l4.responsibility.conduct" in waiting
    for criterion in waiting:
        said = {"criterion": criterion, "decision": "attested"}
        assert pages.post("bob", f"{path}/decisions", said).status_code == 303
    assert pages.post("bob", f"{path}/approve").status_code == 303
    assert pages.post("bob", f"{path}/approve").status_code == 409  # already approved

    mine = pages.get("alice", "/people/alice").text
    official = mine.split("Official levels")[1].split("Stored assessments")[0]
    row = "<td>Operations Management</td><td>4</td><td>[0-9-]+</td><td>bob</td>"
    assert re.search(row, official), official


def test_a_returned_submission_tells_the_person_why(pages: Pages) -> None:
    pages.post("alice", "/people/alice/submit")
    review = re.search(r'href="/reviews/(\d+)"', pages.get("bob", "/reviews").text)
    assert review is not None
    said = {"comment": "Add the 2019 engagement"}
    assert pages.post("bob", f"/reviews/{review.group(1)}/return", said).status_code == 303
    mine = pages.get("alice", "/people/alice").text
    reviewed = mine.split('id="my-reviews"')[1].split("</table>")[0]
    assert "returned" in reviewed
    assert "Add the 2019 engagement" in reviewed
    assert "Bob" in reviewed or "bob" in reviewed


def test_a_rejection_needs_a_comment(pages: Pages) -> None:
    pages.post("alice", "/people/alice/submit")
    review = re.search(r'href="/reviews/(\d+)"', pages.get("bob", "/reviews").text)
    assert review is not None
    answer = pages.post(
        "bob",
        f"/reviews/{review.group(1)}/decisions",
        {
            "criterion": "itsm.operations-management.l3.responsibility.conduct",
            "decision": "rejected",
        },
    )
    assert answer.status_code == 400
    assert "comment" in answer.text.lower()


def test_the_language_chosen_follows_the_person_to_another_browser(pages: Pages) -> None:
    first = pages.of("alice")
    first.post("/language", data={"lang": "ja", "next": "/", "csrf": first.cookies["itss_csrf"]})
    elsewhere = pages.anonymous()  # another browser, which asks for English
    assert elsewhere.post("/login", data={"username": "alice", "password": PASSWORD})
    assert 'lang="ja"' in elsewhere.get("/framework").text
    assert 'lang="en"' in pages.get("dave", "/framework").text  # dave chose nothing


def test_a_failure_on_the_server_is_a_page_without_a_traceback(
    pages: Pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> object:
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(framework, "categories", broken)
    browser = TestClient(pages.app, base_url="https://testserver", raise_server_exceptions=False)
    browser.cookies = pages.of("alice").cookies
    answer = browser.get("/framework", headers={"Accept-Language": "en"})
    assert answer.status_code == 500
    assert "<h1>Something went wrong on the server</h1>" in answer.text
    assert "secret detail" not in answer.text
    assert "Traceback" not in answer.text


def test_changing_an_engagement_replaces_it(pages: Pages) -> None:
    alice_as_in_the_example(pages.settings)
    form = pages.get("alice", "/people/alice/engagements/bank-ops-2016").text
    assert 'value="2018-03-31"' in form  # the form holds the engagement as recorded
    longer = _engagement(id="bank-ops-2016", role="member", start="2016-04-01", end="2018-09-30")
    longer["replaces"] = "bank-ops-2016"
    assert pages.post("alice", "/people/alice/what-if/engagement", longer).status_code == 200
    assert pages.post("alice", "/people/alice/engagements", longer).status_code == 303
    evidence = pages.get("alice", "/people/alice/evidence").text
    assert evidence.count("<td>bank-ops-2016</td>") == 1
    assert "2016-04-01 – 2018-09-30" in evidence


def _finished(pages: Pages, who: str, path: str) -> str:
    """The job's page once the job is done (it runs in the server's worker process)."""
    for _ in range(300):
        html = pages.get(who, path).text
        if "hx-trigger" not in html:  # the page stops asking once the job has ended
            return html
        time.sleep(0.1)
    raise AssertionError(f"{path} did not finish")


def test_the_office_runs_an_assessment_and_follows_its_progress(pages: Pages) -> None:
    started = pages.post("charlie", "/office/runs", {"as_of": "2026-04-01", "unit": ""})
    assert started.status_code == 303
    job = _finished(pages, "charlie", started.headers["location"])
    assert "3 people assessed." in job
    assert "Every explanation is kept." not in job
    kept = pages.post("charlie", "/office/runs", {"as_of": "2026-04-01", "explained": "on"})
    assert "Every explanation is kept." in _finished(pages, "charlie", kept.headers["location"])
    skill_map = pages.get("charlie", "/office/skill-map").text
    assert skill_map.count('<th scope="row">') == 3
    assert pages.post("alice", "/office/runs", {"as_of": "2026-04-01"}).status_code == 403


def test_the_office_reports_the_impact_of_a_framework_change(pages: Pages) -> None:
    started = pages.post("charlie", "/office/impact", {})
    job = _finished(pages, "charlie", started.headers["location"])
    assert "3 people re-assessed; 0 levels would change." in job


def test_a_bad_day_for_a_run_is_refused_in_words(pages: Pages) -> None:
    answer = pages.post("charlie", "/office/runs", {"as_of": "2026-02-30"})
    assert answer.status_code == 400
    assert "is not a date" in answer.text


def test_an_area_of_expertise_chosen_from_the_framework_s_own(pages: Pages) -> None:
    alice_as_in_the_example(pages.settings, engagements=2)
    evidence = pages.get("alice", "/people/alice/evidence").text
    area = f"{FIELD}.area.stable-service"
    assert f'<option value="{area}">' in evidence
    chosen = {"area": area, "depth": "guides_subordinates", "since": "", "revision": "2"}
    what_if = pages.post("alice", "/people/alice/what-if/expertise", chosen)
    assert what_if.status_code == 200
    assert pages.post("alice", "/people/alice/expertise", chosen).status_code == 303
    again = chosen | {"depth": "practises_alone", "revision": "3"}
    assert pages.post("alice", "/people/alice/expertise", again).status_code == 303
    shown = pages.get("alice", "/people/alice/evidence").text
    assert shown.count("<li>Stable Service provision — ") == 1  # one depth per area
    assert "<li>Stable Service provision — practises alone</li>" in shown
    wrong = chosen | {"depth": "deep", "revision": "4"}
    refused = pages.post("alice", "/people/alice/expertise", wrong)
    assert refused.status_code == 422
    assert "depth" in refused.text


def test_pages_load_only_what_the_application_serves(pages: Pages) -> None:
    page = pages.get("alice", "/framework")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    api = pages.get("alice", "/api/framework")
    assert "content-security-policy" not in api.headers  # the API's documents are its own


def test_mentoring_and_a_qualification_recorded_from_the_pages(pages: Pages) -> None:
    alice_as_in_the_example(pages.settings)
    evidence = pages.get("alice", "/people/alice/evidence").text
    assert '<option value="ap">the Applied Information Technology Engineer' in evidence
    wrong = {"start": "2024-04-01", "end": "2023-03-31", "revision": "2"}
    refused = pages.post("alice", "/people/alice/mentoring", wrong)
    assert refused.status_code == 422
    assert "end 2023-03-31 is before start 2024-04-01" in refused.text
    mentoring = {"start": "2024-04-01", "mentee": "Hanako", "revision": "2"}
    assert pages.post("alice", "/people/alice/what-if/mentoring", mentoring).status_code == 200
    assert pages.post("alice", "/people/alice/mentoring", mentoring).status_code == 303
    exam = {"id": "ap", "date": "2019-06-21", "revision": "3"}
    assert pages.post("alice", "/people/alice/qualifications", exam).status_code == 303
    shown = pages.get("alice", "/people/alice/evidence").text
    assert "<li>2024-04-01 – ongoing: Hanako</li>" in shown
    assert "<li>2019-06-21 — the Applied Information Technology Engineer" in shown


def test_a_person_withdraws_their_submission_and_nobody_else_does(pages: Pages) -> None:
    pages.post("alice", "/people/alice/submit")
    mine = pages.get("alice", "/people/alice").text
    found = re.search(r'action="/reviews/(\d+)/withdraw"', mine)
    assert found is not None
    path = f"/reviews/{found.group(1)}/withdraw"
    assert pages.post("dave", path).status_code == 404  # not his to see
    answer = pages.post("alice", path)
    assert answer.headers["location"] == "/people/alice?done=withdrawn"
    assert "withdrawn" in pages.get("alice", "/people/alice").text
    assert "Nothing waits for review." in pages.get("bob", "/reviews").text
    assert pages.post("alice", path).status_code == 409  # no longer open


@pytest.mark.parametrize(
    ("who", "query", "found"),
    [
        ("charlie", "", ["alice", "bob", "dave"]),  # the skills office: everyone
        ("charlie", "デイブ", ["dave"]),  # by name
        ("charlie", "ALI", ["alice"]),  # by id, whatever the case
        ("charlie", "%", []),  # a percent sign is itself, not "anything"
        ("charlie", "_", []),
        ("bob", "", ["alice", "bob"]),  # a manager: the people of his units
        ("bob", "dave", []),  # not in his units: as if nobody were there
        ("alice", "", ["alice"]),  # a member: herself
    ],
)
def test_the_people_one_may_see_found_by_id_or_name(
    pages: Pages, who: str, query: str, found: list[str]
) -> None:
    answer = pages.get(who, "/people", params={"q": query} if query else None)
    assert answer.status_code == 200
    assert re.findall(r'<tr><td><a href="/people/([^"]+)">', answer.text) == found


@pytest.mark.parametrize("revision", ["", "two", "0"])
def test_a_form_without_its_revision_is_refused_in_words(pages: Pages, revision: str) -> None:
    sent = {"type": "activity.book", "date": "2024-01-01", "title": "x", "revision": revision}
    answer = pages.post("alice", "/people/alice/activities", sent)
    assert answer.status_code == 400
    assert "reload the page" in answer.text
    assert ": x</li>" not in pages.get("alice", "/people/alice/evidence").text
