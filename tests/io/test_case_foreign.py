"""A CASE 1.1 package of another framework, written by hand from the specification
(tests/io/data/acme-data-skills.case.json): it imports as a framework that can be browsed and
assessed by attestation, and a malformed one is refused with the place named."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from itss.engine.evaluate import Evaluator
from itss.engine.evidence import Attestation, Engagement, Evidence, Person
from itss.errors import CatalogueError
from itss.io.case import framework_document
from itss.io.framework import load_framework
from tests.conftest import Itss
from tests.io.test_case import validator

ACME = Path(__file__).with_name("data") / "acme-data-skills.case.json"
PIPELINES = "de.de-pipe"


@pytest.fixture
def package() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(ACME.read_text(encoding="utf-8"))
    return found


def _imported(package: dict[str, Any], folder: Path) -> Path:
    document = framework_document(package, ACME.name)
    path = folder / "acme.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_the_hand_written_package_is_valid_case(package: dict[str, Any]) -> None:
    assert [e.message for e in validator().iter_errors(package)] == []


def test_it_imports_as_a_framework_beside_itss(package: dict[str, Any], tmp_path: Path) -> None:
    framework = load_framework([_imported(package, tmp_path)])
    assert "itsm" in framework.categories  # the built-in framework is still there
    category = framework.categories["de"]
    assert category.name.en == "Data Engineering"
    assert [f.id for f in category.fields] == [PIPELINES, "de.de-qual"]
    assert framework.fields[PIPELINES].levels == [1, 2]
    level_two = framework.by_field[PIPELINES][2]
    complexity = level_two.criteria[0]
    assert complexity.section == "complexity"
    assert [i.text.en for i in complexity.items] == [
        "Streaming sources",
        "Personal data",
        "More than one cloud",
    ]
    first = framework.by_field[PIPELINES][1].criteria
    assert [c.section for c in first] == ["task", "responsibility"]
    assert first[0].sources[0].file == ACME.name
    assert framework.frameworks[-1].version == "2026.1"


def test_its_criteria_are_met_by_attestation(package: dict[str, Any], tmp_path: Path) -> None:
    framework = load_framework([_imported(package, tmp_path)])
    criteria = [c.id for c in framework.by_field[PIPELINES][1].criteria]
    day = dt.date(2026, 4, 1)
    attested = [Attestation(criterion=c, by="manager", date=day) for c in criteria]
    work = Engagement(id="w", field=PIPELINES, role="member", start=dt.date(2025, 4, 1))
    person = Person(id="p1", name="P")
    evaluator = Evaluator(framework)
    both = evaluator.assess(Evidence(person=person, engagements=[work], attestations=attested), day)
    assert [(f.field, f.level) for f in both.fields] == [(PIPELINES, 1)]
    one = Evidence(person=person, engagements=[work], attestations=attested[:1])
    assert [(f.field, f.level, f.provisional_level) for f in evaluator.assess(one, day).fields] == [
        (PIPELINES, 0, 2)  # every criterion of levels 1 and 2 waits for a person's word
    ]


def _broken(package: dict[str, Any], how: str) -> dict[str, Any]:
    broken = copy.deepcopy(package)
    items = {i["humanCodingScheme"]: i for i in broken["CFItems"] if "humanCodingScheme" in i}
    if how == "level number":
        del items["DE.PIPE.L2"]["listEnumeration"]
        items["DE.PIPE.L2"]["humanCodingScheme"] = "DE.PIPE.SECOND"
    elif how == "statement":
        del items["DE.QUAL"]["fullStatement"]
    elif how == "stranger":
        broken["CFAssociations"][0]["originNodeURI"]["identifier"] = "no-such-item"
    elif how == "twice":
        items["DE.PIPE.L2"]["listEnumeration"] = "1"
    elif how == "empty level":
        broken["CFAssociations"] = [
            a for a in broken["CFAssociations"] if a["destinationNodeURI"]["title"] != "l3"
        ]
    return broken


@pytest.mark.parametrize(
    ("how", "place", "problem"),
    [
        ("level number", "CFItems[5]", "a level needs its number"),
        ("statement", "CFItems[10].fullStatement", "missing"),
        ("stranger", "CFAssociations[0].originNodeURI", "no CFItem no-such-item"),
        ("twice", "CFItems[5]", "a second level 1"),
        ("empty level", "CFItems[11]", "a level needs at least one criterion"),
    ],
)
def test_a_malformed_package_is_refused_with_the_place(
    package: dict[str, Any], how: str, place: str, problem: str
) -> None:
    with pytest.raises(CatalogueError) as refused:
        framework_document(_broken(package, how), "acme.json")
    assert refused.value.place == f"acme.json: {place}"
    assert problem in str(refused.value)


def test_the_command_imports_it_and_lists_it(itss: Itss, tmp_path: Path) -> None:
    target = tmp_path / "acme.yaml"
    code, _, err = itss("framework", "import", str(ACME), "-o", str(target))
    assert code == 0, err
    code, out, err = itss("framework", "list", "--framework", str(target), "--lang", "en")
    assert code == 0, err
    assert "Data pipelines" in out
