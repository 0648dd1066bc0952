"""The difference between two frameworks, by stable ids: a company standard derived from
ITSS (a field renamed, a threshold raised, a criterion added, one removed) against ITSS."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from itss.catalogue.diff import diff
from itss.io.framework import builtin_files, load_framework
from tests.conftest import Itss

ITSM = next(p for p in builtin_files() if p.name == "itsm.yaml")
OPS = "itsm.operations"


def _levels(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lv["id"]: lv for c in document["categories"] for lv in c["levels"]}


def derived(document: dict[str, Any]) -> dict[str, Any]:
    """ITSM as a company might adapt it."""
    new = copy.deepcopy(document)
    field = next(f for c in new["categories"] for f in c["fields"] if f["id"] == OPS)
    field["name"] = {"ja": "システム運用", "en": "System operation"}
    l4 = _levels(new)[f"{OPS}.l4"]
    size = next(c for c in l4["criteria"] if c["id"] == f"{OPS}.l4.size")
    size["items"][0]["rule"]["of"][0]["min"] = 40  # 30 people -> 40
    l4["criteria"].append(
        {
            "id": f"{OPS}.l4.security",
            "section": "responsibility",
            "text": {
                "ja": "情報セキュリティ研修を修了している。",
                "en": "Completed security training.",
            },
            "sources": [{"file": "000_89c44aedb2bf8795.txt", "line": 107}],
            "rule": {"kind": "attested"},
        }
    )
    l3 = _levels(new)[f"{OPS}.l3"]
    l3["criteria"] = [c for c in l3["criteria"] if not c["id"].endswith(".conduct")]
    return new


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    document = yaml.safe_load(ITSM.read_text(encoding="utf-8"))
    document["replaces"] = ["itsm"]  # tailored files, on top of the built-in framework
    old, new = tmp_path / "itss.yaml", tmp_path / "acme.yaml"
    old.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    new.write_text(yaml.safe_dump(derived(document), allow_unicode=True), encoding="utf-8")
    return old, new


def test_each_change_is_found_by_id_and_nothing_else(files: tuple[Path, Path]) -> None:
    old, new = (load_framework([p]) for p in files)
    found = diff(old, new)
    assert [(c.field, c.change, c.parts) for c in found.fields] == [(OPS, "changed", ("name",))]
    changes = {(c.criterion, c.change, c.parts, c.owner, c.level) for c in found.criteria}
    assert changes == {
        (f"{OPS}.l3.responsibility.conduct", "removed", (), OPS, 3),
        (f"{OPS}.l4.security", "added", (), OPS, 4),
        (f"{OPS}.l4.size.a", "changed", ("rule",), OPS, 4),
    }
    assert found.old_version != found.new_version
    assert diff(old, old).empty


def test_the_command_lists_the_changes_in_either_language(
    itss: Itss, files: tuple[Path, Path]
) -> None:
    old, new = (str(p) for p in files)
    code, out, err = itss("framework", "diff", old, new)
    assert code == 0, err
    assert "itsm.operations.l4.size.a" in out
    assert '"min": 30' in out
    assert '"min": 40' in out
    assert "System operation" in out
    code, out, _ = itss("framework", "diff", old, new, "--lang", "ja")
    assert "追加" in out
    assert "削除" in out
    assert "システム運用" in out
    code, out, _ = itss("framework", "diff", old, new, "--json")
    data = json.loads(out)
    assert {c["change"] for c in data["criteria"]} == {"added", "removed", "changed"}
    code, out, _ = itss("framework", "diff", old, old)
    assert "no field or criterion differs" in out


def test_a_framework_that_cannot_be_loaded_is_named(itss: Itss, tmp_path: Path) -> None:
    code, _, err = itss("framework", "diff", "builtin", str(tmp_path / "missing.yaml"))
    assert code != 0
    assert "missing.yaml" in err
    assert "Traceback" not in err
