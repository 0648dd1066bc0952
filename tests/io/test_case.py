"""The framework as a 1EdTech CASE 1.1 package: valid against the official schema, the same
identifiers every time, the whole hierarchy, both languages, and what CASE has no place for
kept in extensions."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from itss.catalogue.catalogue import Catalogue
from itss.errors import CatalogueError
from itss.io.case import case_package, framework_document
from itss.io.framework import load_framework
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


def test_export_import_export_is_the_same_to_the_byte(framework: Catalogue, tmp_path: Path) -> None:
    first = json.dumps(case_package(framework, CHANGED), ensure_ascii=False, indent=1)
    document = framework_document(json.loads(first), "itss.case.json")
    path = tmp_path / "imported.yaml"
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)  # as the command
    path.write_text(text, encoding="utf-8")
    imported = load_framework([path], include_builtin=False)
    assert imported.fields.keys() == framework.fields.keys()
    assert imported.criteria.keys() == framework.criteria.keys()
    again = json.dumps(case_package(imported, CHANGED), ensure_ascii=False, indent=1)
    assert again == first


def _broken(package: dict[str, Any], how: str) -> Any:
    broken = copy.deepcopy(package)
    if how == "extensions":
        del broken["CFItems"][3]["extensions"]
    elif how == "items":
        broken["CFItems"] = "none"
    elif how == "document":
        del broken["CFDocument"]
    return broken


@pytest.mark.parametrize(
    ("how", "place"),
    [("extensions", "CFItems[3].extensions"), ("items", "CFItems"), ("document", "CFDocument")],
)
def test_a_malformed_package_is_refused_with_the_place(
    package: dict[str, Any], how: str, place: str
) -> None:
    with pytest.raises(CatalogueError) as refused:
        framework_document(_broken(package, how), "bad.json")
    assert refused.value.place.startswith(f"bad.json: {place}")


def test_the_command_imports_a_package_as_a_framework_file(itss: Itss, tmp_path: Path) -> None:
    code, out, err = itss(
        "framework", "export", "--format", "case", "--changed", "2026-04-01T00:00:00+09:00"
    )
    assert code == 0, err
    package = tmp_path / "itss.case.json"
    package.write_text(out, encoding="utf-8")
    target = tmp_path / "imported.yaml"
    code, _, err = itss("framework", "import", str(package), "-o", str(target))
    assert code == 0, err
    assert load_framework([target], include_builtin=False).fields.keys()
    package.write_text('{"CFDocument": {}}', encoding="utf-8")
    code, _, err = itss("framework", "import", str(package), "-o", str(tmp_path / "no.yaml"))
    assert code != 0
    assert "itss.case.json" in err
    assert not (tmp_path / "no.yaml").exists()
