"""YAML and JSON files built to break the reader: each is refused with its place, in time."""

from __future__ import annotations

from pathlib import Path

import pytest

import itss
from itss.catalogue.catalogue import Catalogue
from tests.conftest import Itss

PERSON = "person: {id: p, name: P}\n"


def _refusal(framework: Catalogue, path: Path) -> itss.EvidenceError:
    with pytest.raises(itss.EvidenceError) as caught:
        itss.read_evidence(path, framework)
    return caught.value


@pytest.mark.parametrize(
    ("suffix", "text", "where", "problem"),
    [
        (".yaml", PERSON + "x: " + "[" * 30000 + "]" * 30000 + "\n", "line 2", "nested more than"),
        (".yaml", PERSON + "x: " + "[" * 65 + "]" * 65 + "\n", "line 2", "nested more than 64"),
        (".json", '{"x": ' + "[" * 30000 + "]" * 30000 + "}", "", "nested too deeply"),
        (".yaml", PERSON + "x: " + "9" * 5000 + "\n", "line 2, column 4", "more than 1000 digits"),
        (".json", '{"x": ' + "9" * 5000 + "}", "line 1, column 7", "more than 1000 digits"),
        (".yaml", PERSON + "x: !!timestamp 2020-13-45\n", "line 2", "explicit YAML tags"),
        (".yaml", PERSON + "x: !!int abc\n", "line 2", "explicit YAML tags"),
        (".yaml", PERSON + "x: !!float abc\n", "line 2", "explicit YAML tags"),
        (".yaml", PERSON + "x: !!timestamp P\n", "line 2", "explicit YAML tags"),
        (
            ".yaml",
            PERSON + "engagements: []\nengagements: []\n",
            "line 3, column 1",
            "'engagements' is given twice",
        ),
        (
            ".json",
            '{"person": {"id": "p", "name": "P"}, "person": {}}',
            "",
            "'person' is given twice",
        ),
        (".yaml", PERSON + "a: &x [1]\nb: *x\n", "line 3", "aliases"),
    ],
)
def test_hostile_documents_are_refused_with_their_place(
    framework: Catalogue, tmp_path: Path, suffix: str, text: str, where: str, problem: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    error = _refusal(framework, path)
    assert error.where.startswith(where)
    assert problem in error.problem


def test_a_deep_file_is_an_error_through_the_cli_not_a_crash(itss: Itss, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(PERSON + "x: " + "[" * 30000 + "]" * 30000 + "\n", encoding="utf-8")
    code, _, err = itss("assess", str(path))
    assert code == 2
    assert "nested more than 64 levels deep" in err
    assert "internal error" not in err
