"""Organisation units over HTTP: admins create, rename and move them, each change naming the
revision it was based on; the tree never gets a loop; everyone else only reads."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest

from tests.api.conftest import Api


def _save(api: Api, who: str, code: str, body: dict[str, Any], etag: str) -> httpx.Response:
    return api.call(who, "PUT", f"/api/units/{code}", json=body, headers={"If-Match": etag})


def test_an_admin_creates_renames_and_moves_a_unit(api: Api) -> None:
    created = _save(api, "erin", "qa", {"name": "品質保証部", "parent": "hq"}, '"0"')
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == '"1"'
    assert _save(api, "erin", "qa", {"name": "again"}, '"0"').status_code == 412
    moved = {"name": "品質保証課", "name_en": "QA", "parent": "dev"}
    changed = _save(api, "erin", "qa", moved, '"1"')
    assert changed.status_code == 200
    assert changed.headers["ETag"] == '"2"'
    assert api.get("bob", "/api/units/qa").json() == {"code": "qa", **moved}  # now in dev
    events = api.get("erin", "/api/audit", params={"resource": "unit"}).json()["items"]
    assert [(e["action"], e["resource_id"]) for e in events] == [("unit:save", "qa")] * 2
    moves = {(e["before"] or {}).get("parent"): e["after"]["parent"] for e in events}
    assert moves == {None: "hq", "hq": "dev"}


def test_saving_a_unit_unchanged_changes_nothing(api: Api) -> None:
    read = api.get("erin", "/api/units/web")
    body = {k: v for k, v in read.json().items() if k != "code"}
    again = _save(api, "erin", "web", body, read.headers["ETag"])
    assert again.status_code == 200
    assert again.headers["ETag"] == read.headers["ETag"]


@pytest.mark.parametrize(
    ("code", "parent", "says"),
    [("hq", "web", "hq > web > dev > hq"), ("qa", "nowhere", "nowhere")],
)
def test_a_loop_or_an_unknown_parent_is_refused(
    api: Api, code: str, parent: str, says: str
) -> None:
    etag = api.get("erin", f"/api/units/{code}").headers.get("ETag", '"0"')
    refused = _save(api, "erin", code, {"name": "x", "parent": parent}, etag)
    assert refused.status_code == 400
    assert says in refused.json()["detail"]
    assert api.get("erin", "/api/units/hq").json()["parent"] is None


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_only_an_admin_changes_units(api: Api, who: str) -> None:
    assert _save(api, who, "qa", {"name": "x"}, '"0"').status_code == 403
    assert _save(api, who, "web", {"name": "x", "parent": "dev"}, '"1"').status_code == 403
    assert api.get("erin", "/api/units/qa").status_code == 404
    assert api.get("erin", "/api/units/web").json()["name"] == "Web課"


def test_each_sees_the_units_within_their_reach(api: Api) -> None:
    def codes(who: str) -> list[str]:
        return [u["code"] for u in api.get(who, "/api/units").json()["items"]]

    assert codes("bob") == ["dev", "web"]
    assert codes("charlie") == codes("erin") == ["dev", "hq", "sales", "web"]
