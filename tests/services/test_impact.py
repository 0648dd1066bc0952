"""The impact of another framework or policy on a stored organisation: nothing written, every
change of level found and explained by the criteria that decide it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from itss.demo import generate_people
from itss.engine.evaluate import Evaluator
from itss.engine.evidence import Evidence, check_against
from itss.errors import PermissionDeniedError
from itss.io.framework import load_framework
from itss.services import impact
from itss.services.context import Actor, Context
from itss.settings import Settings
from tests.conftest import Itss

AS_OF = "2026-04-01"


@pytest.fixture
def demo(itss: Itss, tmp_path: Path) -> Itss:
    code, _, err = itss("demo", "--people", "80", "--yes")
    assert code == 0, err
    return itss


def _policy(tmp_path: Path, readings: dict[str, str]) -> str:
    path = tmp_path / "policy.yaml"
    lines = "".join(f"  {k}: {v}\n" for k, v in readings.items())
    path.write_text(f"format: itss-policy/1\nname: other\nreadings:\n{lines}", encoding="utf-8")
    return str(path)


def _impact(itss: Itss, *args: str) -> dict[str, Any]:
    code, out, err = itss("framework", "impact", *args, "--as-of", AS_OF, "--json")
    assert code == 0, err
    found: dict[str, Any] = json.loads(out)
    return found


def test_the_framework_in_use_changes_nobody(demo: Itss) -> None:
    found = _impact(demo, "adopted")
    assert found["people"] == 80
    assert found["changes"] == []


def test_a_laxer_reading_only_raises_levels_and_names_what_decided(
    demo: Itss, tmp_path: Path
) -> None:
    found = _impact(demo, "adopted", "--policy", _policy(tmp_path, {"some-of-list": "one-or-more"}))
    assert found["after"]["policy"] == "other"
    changes = found["changes"]
    assert changes, "one complexity item is enough under this reading: someone goes up"
    assert all(c["after"] > c["before"] for c in changes)
    assert all(c["field"].startswith(("ops.", "cs.")) for c in changes)
    assert all(c["criteria"] for c in changes)
    stricter = _impact(
        demo, "adopted", "--policy", _policy(tmp_path, {"size-upper-bounds": "literal"})
    )
    assert all(c["after"] < c["before"] for c in stricter["changes"])


def test_the_report_as_a_workbook_and_for_one_unit(demo: Itss, tmp_path: Path) -> None:
    policy = _policy(tmp_path, {"some-of-list": "one-or-more"})
    everyone = _impact(demo, "adopted", "--policy", policy)
    code, out, err = demo(
        "framework",
        "impact",
        "adopted",
        "--policy",
        policy,
        "--as-of",
        AS_OF,
        "-o",
        str(tmp_path / "impact.xlsx"),
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "impact.xlsx")["impact"]
    assert sheet.max_row == len(everyone["changes"]) + 1
    ops = _impact(demo, "adopted", "--policy", policy, "--unit", "ops")
    assert 0 < ops["people"] < everyone["people"]
    assert {c["unit"] for c in ops["changes"]} <= {"ops"}  # the demo's ops has no unit below
    code, out, _ = demo(
        "framework", "impact", "adopted", "--policy", policy, "--as-of", AS_OF, "--lang", "ja"
    )
    assert "上がる" in out


def test_only_the_office_and_admins_see_the_impact(demo: Itss) -> None:
    settings = Settings(database_url="sqlite:///itss.sqlite3")
    manager = Actor("dave", role="manager", unit="ops")
    with Context(settings, manager) as ctx, pytest.raises(PermissionDeniedError):
        impact.of_named(ctx, "adopted", policy=None, unit=None, as_of=dt.date(2026, 4, 1))


def _acme(tmp_path: Path) -> Path:
    script = (
        Path(__file__).resolve().parents[2] / "docs" / "examples" / "derive_company_standard.py"
    )
    target = tmp_path / "acme-standard.yaml"
    done = subprocess.run([sys.executable, str(script), str(target)], check=False)
    assert done.returncode == 0
    return target


RETIRED = "ops.system-operation"


def test_the_worked_example_of_a_company_standard(demo: Itss, tmp_path: Path) -> None:
    """docs/framework-changes.md: the derived standard's diff is exactly its changes, and
    every level it changes is a loss decided by its new or stricter criteria, or a level of
    the retired field that its successor's criteria do not give."""
    target = _acme(tmp_path)
    code, out, err = demo("framework", "diff", "builtin", str(target), "--json")
    assert code == 0, err
    found = json.loads(out)
    assert [(f["field"], f["change"], f["parts"]) for f in found["fields"]] == [
        ("itsm.operations", "changed", ["name", "succeeds"]),
        (RETIRED, "removed", []),
    ]
    itsm = {(c["criterion"], c["change"]) for c in found["criteria"] if c["field"] != RETIRED}
    assert itsm == {
        ("itsm.operations.l4.security-training", "added"),
        ("itsm.operations.l4.size.a", "changed"),
    }
    assert {c["change"] for c in found["criteria"] if c["field"] == RETIRED} == {"removed"}
    changes = _impact(demo, str(target))["changes"]
    deciding = {"itsm.operations.l4.security-training", "itsm.operations.l4.size"}
    stricter = [c for c in changes if c["field"] == "itsm.operations" and "was_in" not in c]
    moved = [c for c in changes if c.get("was_in") == RETIRED]
    assert moved  # the demo's people with System Operation levels
    for change in stricter:
        assert change["after"] < change["before"] == 4
        assert set(change["criteria"]) <= deciding
    for change in moved:
        assert change["field"] == "itsm.operations"
        assert change["after"] < change["before"]
        assert change["criteria"]  # what the successor asks that the evidence does not give
    for change in changes:
        assert change["after"] < change["before"]  # nobody gains: nothing was made easier
        assert change["field"] != RETIRED  # its levels are reported in their successor


def _levels(evaluator: Evaluator, evidence: Evidence, day: dt.date) -> list[tuple[str, int, int]]:
    return [(f.field, f.level, f.provisional_level) for f in evaluator.assess(evidence, day).fields]


def test_an_engagement_in_a_retired_field_counts_as_in_its_successor(tmp_path: Path) -> None:
    """The demo's people with engagements in IT Service Management's Operations: recorded in
    the retired System Operation field instead, ACME's standard gives them the same levels."""
    acme = load_framework([_acme(tmp_path)])
    assert acme.successors == {RETIRED: "itsm.operations"}
    evaluator = Evaluator(acme)
    day = dt.date(2026, 4, 1)
    reached = []
    for evidence in generate_people(acme, 120, seed=3):
        if not any(e.field == "itsm.operations" for e in evidence.engagements):
            continue
        retired = evidence.model_copy(
            update={
                "engagements": [
                    e.model_copy(update={"field": RETIRED}) if e.field == "itsm.operations" else e
                    for e in evidence.engagements
                ]
            }
        )
        check_against(retired, acme, "evidence")  # the retired field is a known one
        levels = _levels(evaluator, retired, day)
        assert levels == _levels(evaluator, evidence, day)
        reached += [p for field, _, p in levels if field == "itsm.operations"]
    assert max(reached) > 0
