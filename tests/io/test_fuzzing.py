"""Mutated evidence and import files, thousands of them: whatever the damage, only the project's
own error (`ItssError`, which names the file and place) leaves a reader, and the CLI never
reports an internal error. Seeded, so that a failure in CI is the same failure on a laptop."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import itss
from itss.catalogue.catalogue import Catalogue
from itss.cli.main import run
from itss.errors import ItssError
from itss.io.importer import read_import
from itss.settings import get_settings
from tests.conftest import ROOT
from tests.io.workbooks import SHEET, people_workbook, with_part

EXAMPLES = ROOT / "docs" / "examples"
YAML_SEED = (EXAMPLES / "evidence-en.yaml").read_bytes()
JSON_SEED = json.dumps(yaml.safe_load(YAML_SEED), default=str, ensure_ascii=False).encode()
CSV_SEED = "person_id,name,org_unit\ne1,渡辺 健,dev\ne2,'=SUM(A1),\n,,\n".encode()

# Bytes that mean something to one of the parsers: where damage does the most harm.
TOKENS = [
    b"!!timestamp 2020-13-45", b"!!int abc", b"*a", b"&a ", b"<<: ", b"[" * 70, b"{",
    b"]", b'"', b"'", b"\\u0000", b"\x00", b"\xff\xfe", b"9" * 5000, b": ", b"- ", b"\n",
    b"\t", b"#", b"---\n", b"...\n", b"%YAML 1.1\n", b"\xe6\xb8\xa1", b"\x82\xa0",
    b"<!DOCTYPE x>", b"<c r=\"XFD2\"><v>1</v></c>", b'<row r="0"/>', b"&amp;", b"&#0;",
    b"<f>1+1</f>", b"=", b",", b"\r", b"1e309", b"-0", b"null", b"true", b"2019-02-29",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` with one to eight edits: a token, random bytes, a cut, a doubled or lost span."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        end = min(len(data), at + draw(st.integers(0, 64)))
        edit = draw(st.sampled_from(["token", "bytes", "cut", "double", "lose"]))
        if edit == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif edit == "bytes":
            data[at:end] = draw(st.binary(max_size=16))
        elif edit == "cut":
            del data[at:]
        elif edit == "double":
            data[at:at] = data[at:end]
        else:
            del data[at:end]
    return bytes(data)


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        # tmp_path is shared by the examples of a test: each writes its file anew.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def only_our_errors(read: Callable[[], Any]) -> None:
    try:
        read()
    except ItssError as exc:
        message = str(exc)
    else:
        return
    assert message  # it says something


@fuzz(1500)
@given(data=st.one_of(mutated(YAML_SEED), mutated(JSON_SEED)))
def test_the_evidence_reader_raises_only_its_own_error(
    framework: Catalogue, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / ("evidence.json" if data[:1] == b"{" else "evidence.yaml")
    path.write_bytes(data)
    only_our_errors(lambda: itss.read_evidence(path, framework))


@fuzz(800)
@given(data=mutated(CSV_SEED))
def test_the_csv_reader_raises_only_its_own_error(
    framework: Catalogue, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(data)
    only_our_errors(lambda: read_import([path], framework))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workbook for every example (a new one would differ in its time stamps)."""
    return people_workbook(tmp_path_factory.mktemp("seed") / "people.xlsx")


@fuzz(500)
@given(data=st.data())
def test_the_workbook_reader_raises_only_its_own_error(
    framework: Catalogue, tmp_path: Path, workbook: Path, data: st.DataObject
) -> None:
    if data.draw(st.booleans()):  # damage the sheet's XML inside a sound zip
        with zipfile.ZipFile(workbook) as archive:
            xml = archive.read(SHEET)
        path = with_part(workbook, tmp_path / "m.xlsx", SHEET, [data.draw(mutated(xml))])
    else:  # damage the zip itself
        path = tmp_path / "m.xlsx"
        path.write_bytes(data.draw(mutated(workbook.read_bytes())))
    only_our_errors(lambda: read_import([path], framework))


@fuzz(200)
@given(data=st.one_of(mutated(YAML_SEED), mutated(CSV_SEED)))
def test_the_cli_never_reports_an_internal_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ITSS_LANG", "en")
    monkeypatch.delenv("ITSS_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    if not (tmp_path / "itss.sqlite3").exists():
        assert _run(monkeypatch, ["db", "init"]) == 0
    yaml_file = b"format:" in data[:200]
    path = tmp_path / ("evidence.yaml" if yaml_file else "people.csv")
    path.write_bytes(data)
    check = ["import", "--check", str(path)]
    code = _run(monkeypatch, ["assess", str(path), "--as-of", "2024-04-01"] if yaml_file else check)
    _, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "internal error" not in err
    assert "Traceback" not in err


def _run(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> int:
    monkeypatch.setattr(sys, "argv", ["itss", *args])
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    try:
        run()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
