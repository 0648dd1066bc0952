"""Long work as background jobs over HTTP, on SQLite (the server's worker process) and on
PostgreSQL (procrastinate's queue and the server's worker)."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import text

from itss.engine.evidence import Person
from itss.io.documents import read_evidence
from itss.services import people
from itss.services.context import Actor, Context
from itss.settings import Settings
from tests.api.conftest import Api

ROOT = Path(__file__).resolve().parents[2]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _finished(api: Api, who: str, job: dict[str, Any]) -> dict[str, Any]:
    """The job once done or failed (never waited on for more than a minute)."""
    for _ in range(600):
        found: dict[str, Any] = api.get(who, f"/api/jobs/{job['id']}").json()
        if found["state"] in ("done", "failed"):
            return found
        time.sleep(0.1)
    raise AssertionError(f"job {job['id']} still {found['state']}")


def test_a_run_of_everyone_is_a_job_with_progress_and_a_result(api: Api) -> None:
    started = api.call("charlie", "POST", "/api/runs", json={"as_of": "2026-04-01"})
    assert started.status_code == 202
    assert started.json()["state"] in ("queued", "running", "done")
    done = _finished(api, "charlie", started.json())
    assert done["state"] == "done", done
    assert (done["done"], done["total"]) == (3, 3)
    assert done["result"]["people"] == 3
    skill_map = api.get("charlie", "/api/skill-map").json()
    assert {row["ref"] for row in skill_map["items"]} == {"alice", "bob", "dave"}
    assert done["result"]["explained"] is False


def test_a_run_may_keep_every_explained_verdict(api: Api, settings: Settings) -> None:
    """Either way a person's stored assessment reads the same; only the kept bytes differ."""
    shown, runs = [], []
    for explained in (False, True):
        body = {"as_of": "2026-04-01", "explained": explained}
        done = _finished(api, "charlie", api.call("charlie", "POST", "/api/runs", json=body).json())
        assert done["result"]["explained"] is explained
        runs.append(done["result"]["run_id"])
        latest = api.get("alice", "/api/people/alice/assessments/latest")
        assert latest.status_code == 200, latest.text
        shown.append(latest.json())
    assert shown[0] == shown[1]
    assert shown[0]["fields"]
    with Context(settings, Actor("setup")) as ctx, ctx.ready.transaction() as session:
        kept = session.execute(
            text("SELECT run_id, COUNT(snapshot) FROM assessments GROUP BY run_id ORDER BY run_id")
        ).all()
    assert [tuple(row) for row in kept] == [(runs[0], 0), (runs[1], 3)]


def test_a_stored_assessment_missing_is_not_found_and_one_not_explainable_is_a_conflict(
    api: Api, settings: Settings
) -> None:
    path = "/api/people/alice/assessments/latest"
    missing = api.get("alice", path)
    assert missing.status_code == 404, missing.text
    assert "no stored assessment of 'alice'" in missing.json()["detail"]
    run = api.call("charlie", "POST", "/api/runs", json={"as_of": "2026-04-01"}).json()
    assert _finished(api, "charlie", run)["state"] == "done"
    assert api.get("alice", path).status_code == 200
    with Context(settings, Actor("setup")) as ctx, ctx.ready.transaction() as session:
        session.execute(text("UPDATE assessment_runs SET engine_version = '0'"))
    conflict = api.get("alice", path)
    assert conflict.status_code == 409, conflict.text
    assert conflict.headers["content-type"] == "application/problem+json"
    assert "made by version 0 of the engine" in conflict.json()["detail"]


def test_only_the_office_starts_jobs_and_each_sees_their_own(api: Api) -> None:
    assert api.call("alice", "POST", "/api/runs", json={}).status_code == 403
    assert api.call("bob", "POST", "/api/runs", json={}).status_code == 403
    job = api.call("charlie", "POST", "/api/runs", json={"unit": "dev"}).json()
    assert api.get("alice", f"/api/jobs/{job['id']}").status_code == 404
    assert api.get("erin", f"/api/jobs/{job['id']}").status_code == 200  # an admin sees all
    assert _finished(api, "charlie", job)["result"]["people"] == 2  # dev: alice and bob


def _upload(api: Api, name: str, text: str) -> dict[str, Any]:
    files = {"files": (name, text.encode(), "text/csv")}
    response = api.call("charlie", "POST", "/api/imports", files=files)
    assert response.status_code == 202, response.text
    return _finished(api, "charlie", response.json())


def test_an_import_is_checked_then_applied_as_a_separate_step(api: Api) -> None:
    bad = _upload(api, "people.csv", "person_id,name,org_unit\nfrank,フランク,nowhere\n")
    assert bad["state"] == "done"
    assert bad["result"]["ok"] is False
    assert bad["result"]["problems_total"] == 1
    problem = bad["result"]["problems"][0]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("people.csv", 2, "org_unit")
    assert problem["problem"]["ja"]
    refused = api.call("charlie", "POST", f"/api/imports/{bad['id']}/apply")
    assert refused.status_code == 409
    assert api.get("charlie", "/api/people").json()["total"] == 3

    good = _upload(api, "people.csv", "person_id,name,org_unit\nfrank,フランク,sales\n")
    assert good["result"]["ok"] is True
    applied = api.call("charlie", "POST", f"/api/imports/{good['id']}/apply")
    assert applied.status_code == 202
    done = _finished(api, "charlie", applied.json())
    assert done["state"] == "done", done
    assert done["result"]["people"]["created"] == 1
    assert api.get("charlie", "/api/people/frank").json()["org_unit"] == "sales"
    events = api.get("erin", "/api/audit", params={"action": "import:apply"}).json()
    assert events["items"][0]["actor"] == "charlie"


def test_a_file_that_cannot_be_read_fails_its_job_in_words(api: Api) -> None:
    failed = _upload(api, "people.xlsx", "this is not a workbook")
    assert failed["state"] == "failed"
    assert "not a readable .xlsx workbook" in failed["error"]
    japanese = api.get("charlie", f"/api/jobs/{failed['id']}", headers={"Accept-Language": "ja"})
    assert "読み込める .xlsx ブックではありません" in japanese.json()["error"]


def test_the_trend_shows_each_run_within_ones_units(api: Api) -> None:
    for day in ("2026-04-01", "2020-04-01"):  # a past year assessed afterwards
        job = api.call("charlie", "POST", "/api/runs", json={"as_of": day}).json()
        assert _finished(api, "charlie", job)["state"] == "done"
    everyone = api.get("charlie", "/api/trend", params={"field": "itsm.operations"}).json()
    assert [p["as_of"] for p in everyone] == ["2020-04-01", "2026-04-01"]  # by the day
    assert sum(everyone[-1]["levels"]["itsm.operations"].values()) == 3
    mine = api.get("bob", "/api/trend").json()
    assert sum(mine[-1]["levels"]["itsm.operations"].values()) == 2  # dev: alice and bob
    assert api.get("bob", "/api/trend", params={"unit": "sales"}).status_code == 404
    assert api.get("alice", "/api/trend").status_code == 403


def test_the_skill_map_export_streams_the_cli_s_file(api: Api) -> None:
    job = api.call("charlie", "POST", "/api/runs", json={"as_of": "2026-04-01"}).json()
    _finished(api, "charlie", job)
    response = api.get("charlie", "/api/exports/skillmap.csv", params={"lang": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("person_id,name,org_unit,")
    assert "Operations [itsm.operations]" in lines[0]
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["alice", "bob", "dave"]
    assert api.get("alice", "/api/exports/skillmap.csv").status_code == 403


def test_the_skill_map_workbook_holds_the_same_table_as_the_csv(api: Api) -> None:
    job = api.call("charlie", "POST", "/api/runs", json={"as_of": "2026-04-01"}).json()
    _finished(api, "charlie", job)
    csv = api.get("charlie", "/api/exports/skillmap.csv", params={"unit": "dev"})
    response = api.get("charlie", "/api/exports/skillmap.xlsx", params={"unit": "dev"})
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert 'filename="skillmap.xlsx"' in response.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["skillmap"]
    cells = [
        ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == [line.split(",") for line in csv.content.decode("utf-8-sig").splitlines()]
    assert api.get("bob", "/api/exports/skillmap.xlsx").status_code == 403


def test_the_evidence_workbook_imports_again_unchanged(api: Api) -> None:
    response = api.get("charlie", "/api/exports/evidence.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    people = [str(row[0]) for row in book["people"].iter_rows(min_row=2, values_only=True)]
    assert sorted(people) == ["alice", "bob", "dave"]
    files = {"files": ("evidence.xlsx", response.content, XLSX)}
    checked = _finished(
        api, "charlie", api.call("charlie", "POST", "/api/imports", files=files).json()
    )
    assert checked["result"]["ok"] is True, checked
    applied = api.call("charlie", "POST", f"/api/imports/{checked['id']}/apply").json()
    summary = _finished(api, "charlie", applied)["result"]
    assert summary["people"] == {"created": 0, "revised": 0, "unchanged": 3}
    before = api.get("charlie", "/api/exports/evidence.xlsx", params={"at": "2000-01-01"})
    assert len(list(openpyxl.load_workbook(io.BytesIO(before.content))["people"].rows)) == 1
    assert api.get("alice", "/api/exports/evidence.xlsx").status_code == 403


def test_an_impact_report_is_a_job_whose_result_lists_each_change(api: Api) -> None:
    same = api.call("charlie", "POST", "/api/impact", json={"as_of": "2026-04-01"})
    assert same.status_code == 202, same.text
    done = _finished(api, "charlie", same.json())
    assert done["state"] == "done", done
    assert done["result"]["people"] == 3
    assert done["result"]["changes"] == []
    stricter = {"as_of": "2030-01-01", "readings": {"size-upper-bounds": "literal"}}
    other = _finished(
        api, "charlie", api.call("charlie", "POST", "/api/impact", json=stricter).json()
    )
    assert other["result"]["after"]["policy"] == "impact"
    assert all(c["after"] < c["before"] for c in other["result"]["changes"])
    unknown = {"readings": {"size-upper-bounds": "nonsense"}}
    failed = _finished(
        api, "charlie", api.call("charlie", "POST", "/api/impact", json=unknown).json()
    )
    assert failed["state"] == "failed"
    assert "nonsense" in failed["error"]
    assert api.call("bob", "POST", "/api/impact", json={}).status_code == 403
    missing = api.call("charlie", "POST", "/api/impact", json={"files": [99]})
    assert missing.status_code == 202
    assert "99" in _finished(api, "charlie", missing.json())["error"]


def test_the_skill_map_in_order_of_a_field_s_level(api: Api, settings: Settings) -> None:
    example = ROOT / "docs" / "examples" / "evidence-ja.yaml"
    with Context(settings, Actor("setup")) as ctx:  # dave, last by name, has a level
        found = read_evidence(example, ctx.framework)
        people.record(ctx, found.model_copy(update={"person": Person(id="dave", name="D")}))
    job = api.call("charlie", "POST", "/api/runs", json={"as_of": "2026-04-01"}).json()
    assert _finished(api, "charlie", job)["state"] == "done"
    field = "itsm.operations-management"
    rows = api.get("charlie", "/api/skill-map", params={"sort": field}).json()["items"]
    assert [row["ref"] for row in rows] == ["dave", "alice", "bob"]
    assert rows[0]["levels"][field][0] == 4
    by_ref = api.get("charlie", "/api/skill-map").json()["items"]
    assert [row["ref"] for row in by_ref] == ["alice", "bob", "dave"]
    unknown = api.get("charlie", "/api/skill-map", params={"sort": "no.such.field"})
    assert unknown.status_code == 400
    assert "no.such.field" in unknown.json()["detail"]
