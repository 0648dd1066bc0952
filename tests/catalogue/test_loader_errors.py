"""A malformed or inconsistent framework file is refused with file, place and problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import itss
from itss.errors import CatalogueError
from itss.io.framework import builtin_files

LEVEL = "categories[0](example).levels[0](example.operations-management.l4)"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "where", "problem"),
    [
        (
            "        field: example.operations-management\n",
            "        field: example.nowhere\n",
            LEVEL,
            "unknown field 'example.nowhere'",
        ),
        (
            "      - id: example.operations-management.l4\n        level: 4",
            "      - id: example.operations-management.l4\n        level: 9",
            f"{LEVEL}.level",
            "less than or equal to 7",
        ),
        (
            "{kind: measure, measure: headcount, min: 35}",
            "{kind: measure, measure: headcount, min: thirty-five}",
            "criterion(example.operations-management.l4.size.a).rule",
            "valid number",
        ),
        (
            "rule: {kind: mentoring}",
            "rule: {kind: telepathy}",
            "criterion(example.operations-management.l4.mentoring).rule",
            "unknown rule kind 'telepathy'",
        ),
        (
            "- id: example.operations-management.l4.mentoring",
            "- id: example.operations-management.l4.succession",
            "criteria[6]",
            "duplicate id 'example.operations-management.l4.succession'",
        ),
        (
            "rule: {kind: checklist, min: 2}",
            "rule: {kind: checklist, min: 2, most: 3}",
            "complexity).rule",
            "most: Extra inputs are not permitted",
        ),
        (
            "rule: {kind: checklist, min: 2}",
            "rule: {kind: checklist, min: 2, ambiguities: {some: {two: {most: 3}}}}",
            "complexity).rule",
            "reading 'two': checklist: most: Extra inputs are not permitted",
        ),
        (
            "rule: {kind: checklist, min: 2}",
            "rule: {kind: checklist, min: 2, ambiguities: [some]}",
            "complexity).rule",
            "`ambiguities` must map ambiguity ids to their readings",
        ),
        (
            "        levels: [4]\n",
            "        levels: [3, 4]\n",
            "categories[0](example)",
            "lists levels [3] that no level defines",
        ),
        ("format: itss-framework/1", "format: itss-framework/9", "format", "itss-framework/1"),
        (
            "        levels: [4]\n",
            "        levels: [4]\n        succeeds: [example.operations-management]\n",
            "fields(example.operations-management).succeeds",
            "a field cannot succeed itself",
        ),
    ],
)
def test_bad_framework_is_refused_with_place(
    example_copy: Path, old: str, new: str, where: str, problem: str
) -> None:
    _edit(example_copy, old, new)
    with pytest.raises(CatalogueError) as caught:
        itss.load_framework([example_copy], include_builtin=False)
    message = str(caught.value)
    assert str(example_copy) in message
    assert where in message
    assert problem in message


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"\xff\xfe\xfa not utf8", "not UTF-8"),
        (b"a: [1, 2\n", "invalid YAML"),
        (b"- just\n- a list\n", "mapping"),
        (b"a: &x [1]\nb: *x\n", "aliases"),
    ],
)
def test_unreadable_file_is_refused(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    with pytest.raises(CatalogueError, match=problem):
        itss.load_framework([path], include_builtin=False)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [{','.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CatalogueError, match="aliases"):
        itss.load_framework([path], include_builtin=False)


def test_tailored_category_clashing_with_builtin_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(Path(builtin_files()[0]).read_text(encoding="utf-8"))
    path = tmp_path / "clash.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError, match="already defined"):
        itss.load_framework([path])


def test_tailored_file_loads_beside_builtin(example_copy: Path) -> None:
    catalogue = itss.load_framework([example_copy])
    assert "example" in catalogue.categories
    assert {"itsm", "ops", "cs"} <= set(catalogue.categories)


def test_tailored_file_can_replace_a_builtin_category(tmp_path: Path) -> None:
    builtin = itss.load_framework()
    original = builtin.categories["cs"]
    data: dict[str, Any] = {
        "format": "itss-framework/1",
        "replaces": ["cs"],
        "framework": {"id": "acme-itss", "name": {"ja": "ACME標準"}},
        "categories": [original.model_dump(mode="json", exclude_none=True)],
    }
    data["categories"][0]["levels"] = [
        lv for lv in data["categories"][0]["levels"] if lv["level"] != 5
    ]
    for fld in data["categories"][0]["fields"]:
        fld["levels"] = [n for n in fld["levels"] if n != 5]
    path = tmp_path / "acme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    tailored = itss.load_framework([path])
    assert 5 not in tailored.by_field["cs.hardware"]
    assert 5 in builtin.by_field["cs.hardware"]


def test_two_fields_cannot_succeed_the_same_one(tmp_path: Path) -> None:
    data = yaml.safe_load(Path(builtin_files()[0]).read_text(encoding="utf-8"))
    data["replaces"] = [data["categories"][0]["id"]]
    fields = data["categories"][0]["fields"]
    for found in fields[:2]:
        found["succeeds"] = ["ops.system-operation"]
    path = tmp_path / "twice.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        itss.load_framework([path])
    assert f"fields({fields[1]['id']}).succeeds" in str(caught.value)
    assert "'ops.system-operation' is already succeeded by" in str(caught.value)
