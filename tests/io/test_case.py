"""The framework as a 1EdTech CASE 1.1 package: valid against the official schema, the same
identifiers every time, the whole hierarchy, both languages, and what CASE has no place for
kept in extensions."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from itss.catalogue.catalogue import Catalogue
from itss.io.case import case_package
from tests.conftest import Itss

SCHEMA = (
    Path(__file__).resolve().parents[3] / "shared" / "schemas" / "case-v1p1-cfpackage.schema.json"
)
JST = dt.timezone(dt.timedelta(hours=9))
CHANGED = dt.datetime(2026, 4, 1, tzinfo=JST)


@cache
def validator() -> jsonschema.Draft201909Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    checker = jsonschema.Draft201909Validator.FORMAT_CHECKER
    return jsonschema.Draft201909Validator(schema, format_checker=checker)


@pytest.fixture
def package(framework: Catalogue) -> dict[str, Any]:
    return case_package(framework, CHANGED)


def test_the_package_is_valid_case_1_1(package: dict[str, Any]) -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in validator().iter_errors(package)]
    assert errors == []
    assert package["CFDocument"]["caseVersion"] == "1.1"


def test_identifiers_are_unique_and_the_same_every_time(
    framework: Catalogue, package: dict[str, Any]
) -> None:
    idents = [i["identifier"] for i in package["CFItems"]]
    idents += [a["identifier"] for a in package["CFAssociations"]]
    assert len(idents) == len(set(idents))
    later = case_package(framework, CHANGED + dt.timedelta(days=30))
    assert [i["identifier"] for i in later["CFItems"]] == idents[: len(later["CFItems"])]
    assert case_package(framework, CHANGED) == package  # the same framework, the same package


def test_every_entry_of_the_framework_is_an_item_in_its_place(
    framework: Catalogue, package: dict[str, Any]
) -> None:
    kinds = Counter(i["CFItemType"] for i in package["CFItems"])
    levels = {lv.id for by_number in framework.by_field.values() for lv in by_number.values()}
    tops = sum(len(lv.criteria) for c in framework.categories.values() for lv in c.levels)
    assert kinds["Job category"] == len(framework.categories)
    assert kinds["Specialty field"] == len(framework.fields)
    assert kinds["Level"] == len(levels)
    assert kinds["Criterion"] == tops
    assert kinds["Item"] == len(framework.criteria) - tops
    parents = Counter(
        a["originNodeURI"]["title"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    )
    for item in package["CFItems"]:
        assert parents[item["humanCodingScheme"]] >= 1, item["humanCodingScheme"]


def test_both_languages_and_the_rules_are_kept(
    framework: Catalogue, package: dict[str, Any]
) -> None:
    by_id = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    size = by_id["itsm.operations-management.l5.size.a"]
    own = framework.criteria["itsm.operations-management.l5.size.a"]
    assert size["fullStatement"] == own.text.ja
    assert size["extensions"]["itss"]["text"]["en"] == own.text.en
    assert size["extensions"]["itss"]["rule"] == own.rule
    assert size["extensions"]["itss"]["sources"][0]["line"] == own.sources[0].line
    for item in package["CFItems"]:
        moment = dt.datetime.fromisoformat(item["lastChangeDateTime"])
        assert moment.utcoffset() == dt.timedelta(hours=9)


def test_the_editions_and_the_skill_proficiency(package: dict[str, Any]) -> None:
    editions = [
        (a["originNodeURI"]["title"], a["destinationNodeURI"]["title"])
        for a in package["CFAssociations"]
        if a["associationType"] == "replacedBy"
    ]
    assert editions == [("ops", "itsm")]
    rubrics = package["CFRubrics"]
    assert rubrics
    levels = [
        lv for r in rubrics for c in r["CFRubricCriteria"] for lv in c["CFRubricCriterionLevels"]
    ]
    assert {lv["score"] for lv in levels} <= set(range(1, 8))


def test_the_command_writes_a_package(itss: Itss) -> None:
    code, out, err = itss(
        "framework", "export", "--format", "case", "--changed", "2026-04-01T00:00:00+09:00"
    )
    assert code == 0, err
    assert list(validator().iter_errors(json.loads(out))) == []
    code, _, err = itss("framework", "export", "--format", "case", "--changed", "2026-04-01")
    assert code == 2
    assert "time-zone offset" in err
