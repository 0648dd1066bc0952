"""The `itss` command end to end: output, JSON against the published schemas, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from itss.catalogue.catalogue import Catalogue
from itss.io.schemas import MODELS, dumps
from tests.conftest import Itss

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
SCHEMAS = ROOT / "docs" / "schemas"


def test_framework_list_shows_every_field(
    itss: Itss, monkeypatch: pytest.MonkeyPatch, framework: Catalogue
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = itss("framework", "list", "--lang", "en")
    assert code == 0
    for fld in framework.fields.values():
        assert fld.id in out
        assert fld.name.get("en") in out


def test_framework_show_one_level_in_english(itss: Itss, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = itss(
        "framework",
        "show",
        "itsm",
        "operations-management",
        "--level",
        "7",
        "--lang",
        "en",
    )
    assert code == 0
    assert "International operations management" in out
    assert "itsm.operations-management.l7.size.a" in out
    assert "Level 6" not in out


def test_framework_show_in_japanese(itss: Itss, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = itss("framework", "show", "cs", "hardware", "--level", "5", "--lang", "ja")
    assert code == 0
    assert "３回以上" in out or "3回以上" in out
    assert "レベル5" in out


def test_framework_show_unknown_category(itss: Itss, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = itss("framework", "show", "nope")
    assert code == 2
    assert "unknown category 'nope'" in err


def test_export_validates_against_published_schema(
    itss: Itss, monkeypatch: pytest.MonkeyPatch, framework: Catalogue
) -> None:
    code, out, _ = itss("framework", "export", "--format", "json")
    assert code == 0
    data = json.loads(out)
    schema = json.loads((SCHEMAS / "catalogue.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert {c["id"] for c in data["categories"]} == set(framework.categories)
    assert data["framework_version"] == framework.version


@pytest.mark.parametrize("name", sorted(MODELS))
def test_published_schemas_are_current(name: str) -> None:
    published = (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    assert published == dumps(name), "run: python -m itss.io.schemas"


@pytest.mark.parametrize(
    ("example", "lang", "field", "level"),
    [
        ("evidence-ja.yaml", "ja", "itsm.operations-management", 4),
        ("evidence-en.yaml", "en", "cs.hardware", 4),
    ],
)
def test_assess_examples_as_json(
    itss: Itss,
    monkeypatch: pytest.MonkeyPatch,
    example: str,
    lang: str,
    field: str,
    level: int,
) -> None:
    code, out, _ = itss(
        "assess",
        str(EXAMPLES / example),
        "--json",
        "--as-of",
        "2026-04-01",
        "--lang",
        lang,
    )
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, json.loads((SCHEMAS / "assessment.schema.json").read_text()))
    levels = {f["field"]: f["level"] for f in data["fields"]}
    assert levels[field] == level
    assert all(f["reached"]["met"] for f in data["fields"] if f["level"])


def test_assess_table_explains_and_lists_what_is_missing(
    itss: Itss, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    code, out, _ = itss(
        "assess",
        str(EXAMPLES / "evidence-en.yaml"),
        "--lang",
        "en",
        "--as-of",
        "2026-04-01",
    )
    assert code == 0
    assert "Hardware" in out
    assert "To reach level 5" in out
    assert "more successful engagements as responsible person" in out


def test_assess_as_of_a_past_date(itss: Itss, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = itss(
        "assess",
        str(EXAMPLES / "evidence-ja.yaml"),
        "--json",
        "--as-of",
        "2017-01-01",
    )
    assert code == 0
    assert {f["field"]: f["level"] for f in json.loads(out)["fields"]} == {
        "itsm.operations-management": 0
    }


BAD_EVIDENCE = [
    ("start: 2018-04-01", "start: 2018-13-45", "engagements[1](retail-ops-2018).start", "date"),
    ("end: 2018-03-31", "end: 2015-03-31", "engagements[0](bank-ops-2016)", "before start"),
    (
        "headcount: 12",
        "headcount: -3",
        "engagements[0](bank-ops-2016).headcount",
        "greater than or equal to 0",
    ),
    (
        "headcount: 12",
        "headcount: 99999999",
        "engagements[0](bank-ops-2016).headcount",
        "less than or equal to 1000000",
    ),
    (
        "field: itsm.operations-management\n    role: member",
        "field: itsm.nowhere\n    role: member",
        "engagements[0](bank-ops-2016).field",
        "unknown specialty field 'itsm.nowhere'",
    ),
    (
        "- itsm.operations-management.cx.operations-requirements\n"
        "      - itsm.operations-management.cx.structure\n    description: 地方",
        "- itsm.operations-management.cx.made-up\n    description: 地方",
        "engagements[0](bank-ops-2016).criteria[0]",
        "unknown criterion",
    ),
    ("role: member", "role: boss", "engagements[0](bank-ops-2016).role", "boss"),
    (
        "criterion: itsm.operations-management.l3.responsibility.conduct",
        "criterion: itsm.x",
        "attestations[0].criterion",
        "unknown criterion",
    ),
]


@pytest.mark.parametrize(("old", "new", "where", "problem"), BAD_EVIDENCE)
def test_bad_evidence_names_file_place_and_problem(
    itss: Itss,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    old: str,
    new: str,
    where: str,
    problem: str,
) -> None:
    text = (EXAMPLES / "evidence-ja.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = itss("assess", str(path))
    assert code == 2
    assert str(path) in err
    assert where in err
    assert problem in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.yaml", b"", "is empty"),
        ("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("broken.yaml", b"person: [unclosed", "invalid YAML"),
        ("bomb.yaml", b"a: &a [1,2]\nb: [*a,*a]\n", "aliases"),
        ("number.yaml", b"42\n", "mapping"),
        ("broken.json", b'{"person": ', "line 1, column 12"),
        ("typed.json", b'{"person": {"id": 1}}', "person.id"),
    ],
)
def test_unreadable_evidence_is_refused(
    itss: Itss,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    content: bytes,
    problem: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = itss("assess", str(path))
    assert code == 2
    assert problem in err


def test_missing_file_and_bad_date_and_bad_policy(
    itss: Itss, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, _, err = itss("assess", str(tmp_path / "none.yaml"))
    assert code == 2
    assert "cannot be read" in err
    example = str(EXAMPLES / "evidence-ja.yaml")
    code, _, err = itss("assess", example, "--as-of", "yesterday")
    assert code == 2
    assert "'yesterday' is not a date" in err
    policy = tmp_path / "policy.yaml"
    policy.write_text("readings: {succession-count: several}\n", encoding="utf-8")
    code, _, err = itss("assess", example, "--policy", str(policy))
    assert code == 2
    assert "readings.succession-count" in err
    assert "unknown reading 'several'" in err


def test_policy_changes_the_result(
    itss: Itss, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("name: all-areas\nreadings: {expertise-scope: all-areas}\n", encoding="utf-8")
    code, out, _ = itss(
        "assess",
        str(EXAMPLES / "evidence-ja.yaml"),
        "--json",
        "--as-of",
        "2026-04-01",
        "--policy",
        str(policy),
    )
    assert code == 0
    data = json.loads(out)
    assert data["policy"] == "all-areas"
    assert data["fields"][0]["level"] == 0


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "itss.cli.main", "assess", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("エラー: ")  # Japanese unless told otherwise
    assert done.stderr.endswith("empty.yaml: 空です\n")
    assert "Traceback" not in done.stderr


def test_every_problem_of_an_evidence_file_at_once_with_the_nearest_ids(
    itss: Itss, tmp_path: Path
) -> None:
    source = (ROOT / "docs/examples/evidence-ja.yaml").read_text(encoding="utf-8")
    bad = (
        source.replace(
            "field: itsm.operations-management\n", "field: itsm.operation-management\n", 1
        )
        .replace(
            "itsm.operations-management.cx.structure", "itsm.operations-management.cx.structur"
        )
        .replace(
            "criterion: itsm.operations-management.l3.responsibility.conduct", "criterion: x.y"
        )
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    code, _, err = itss("assess", str(path))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) >= 3, err
    assert "unknown specialty field 'itsm.operation-management' (did you mean " in err
    assert "'itsm.operations-management'" in err
    assert "(did you mean 'itsm.operations-management.cx.structure'" in err
    assert "attestations[0].criterion: unknown criterion 'x.y'" in err
    assert all(str(path) in line for line in lines)


def test_every_validation_problem_at_once(itss: Itss, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "person: {id: p, name: P}\n"
        "engagements:\n"
        "  - {id: a, field: itsm.operations, role: boss, start: 2020-01-01}\n"
        "  - {id: b, field: itsm.operations, role: member, start: April}\n",
        encoding="utf-8",
    )
    code, _, err = itss("assess", str(path))
    assert code == 2
    assert "engagements[0](a).role" in err
    assert "engagements[1](b).start: not a date" in err
