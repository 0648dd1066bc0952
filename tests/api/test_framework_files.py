"""Tailored framework files over HTTP: an admin uploads them, each checked with every
problem's place, and adopts a framework as a separate, audited step that the server uses at
once; everyone else may not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.api.conftest import Api

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "tailored-framework.yaml"
FIELD = "example.operations-management"


def _upload(api: Api, who: str, name: str, content: bytes) -> httpx.Response:
    files = {"file": (name, content, "application/yaml")}
    return api.call(who, "POST", "/api/framework/files", files=files)


def _adopt(api: Api, who: str, ids: list[int]) -> httpx.Response:
    return api.call(who, "PUT", "/api/framework/adoption", json={"files": ids})


def _fields(api: Api, who: str) -> set[str]:
    framework: dict[str, Any] = api.get(who, "/api/framework").json()
    return {f["id"] for c in framework["categories"] for f in c["fields"]}


def test_an_adopted_file_is_the_framework_of_every_request_after(api: Api) -> None:
    built_in = api.get("charlie", "/api/framework/adoption").json()
    assert built_in["files"] == []
    uploaded = _upload(api, "erin", "acme.yaml", EXAMPLE.read_bytes())
    assert uploaded.status_code == 201, uploaded.text
    file_id = uploaded.json()["id"]
    assert FIELD not in _fields(api, "alice")  # uploaded, not yet in use
    adopted = _adopt(api, "erin", [file_id])
    assert adopted.status_code == 200, adopted.text
    assert adopted.json()["version"] != built_in["version"]
    assert FIELD in _fields(api, "alice")
    assert api.get("charlie", "/api/framework/adoption").json()["files"] == [file_id]
    listed = api.get("charlie", "/api/framework/files").json()["items"]
    assert [(f["name"], f["adopted"]) for f in listed] == [("acme.yaml", True)]
    back = _adopt(api, "erin", [])
    assert back.json()["version"] == built_in["version"]
    assert FIELD not in _fields(api, "alice")
    events = api.get("erin", "/api/audit", params={"resource": "framework"}).json()["items"]
    assert [e["action"] for e in events] == ["framework:adopt", "framework:adopt"]


def test_the_same_file_uploaded_twice_is_kept_once(api: Api) -> None:
    first = _upload(api, "erin", "acme.yaml", EXAMPLE.read_bytes()).json()
    again = _upload(api, "erin", "copy.yaml", EXAMPLE.read_bytes()).json()
    assert again["id"] == first["id"]
    assert api.get("erin", "/api/framework/files").json()["total"] == 1


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"format: itss-framework/1\ncategories: [\n", "line 3"),
        (EXAMPLE.read_bytes().replace(b"kind: experience", b"kind: nonsense"), "nonsense"),
        (b"\xff\xfe not text", "UTF-8"),
    ],
)
def test_a_bad_file_is_refused_with_its_place_and_nothing_kept(
    api: Api, content: bytes, says: str
) -> None:
    refused = _upload(api, "erin", "bad.yaml", content)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert "bad.yaml" in refused.json()["detail"]
    assert says in refused.json()["detail"]
    assert api.get("erin", "/api/framework/files").json()["total"] == 0


def test_adopting_an_unknown_file_is_refused(api: Api) -> None:
    assert _adopt(api, "erin", [999]).status_code == 404
    assert api.get("erin", "/api/framework/adoption").json()["files"] == []


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_only_an_admin_uploads_and_adopts(api: Api, who: str) -> None:
    assert _upload(api, who, "acme.yaml", EXAMPLE.read_bytes()).status_code == 403
    file_id = _upload(api, "erin", "acme.yaml", EXAMPLE.read_bytes()).json()["id"]
    assert _adopt(api, who, [file_id]).status_code == 403
    assert FIELD not in _fields(api, "erin")
    listed = api.get(who, "/api/framework/files")
    assert listed.status_code == (200 if who == "charlie" else 403)
