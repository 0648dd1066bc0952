"""CSV and .xlsx files that would corrupt data or crash the reader: refused, place named,
nothing imported."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from itss.catalogue.catalogue import Catalogue
from itss.io.importer import read_import
from itss.io.limits import TableFileError
from itss.io.tables import TableWriter
from tests.conftest import Itss


def test_a_csv_in_two_encodings_is_refused_naming_the_lines(
    framework: Catalogue, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        b"person_id,name\n" + "e1,渡辺 健\n".encode() + "e2,佐藤 花子\n".encode("cp932")
    )
    with pytest.raises(TableFileError) as caught:
        read_import([path], framework)
    message = str(caught.value)
    assert "line 2 is UTF-8, line 3 is not" in message
    assert "different encodings" in message


ASCII_ROWS = "".join(f"a{n},x\n" for n in range(5000)).encode()


@pytest.mark.parametrize(
    ("content", "lines"),
    [
        # Shift_JIS first, UTF-8 thousands of lines later: the file is read line by line
        (
            b"person_id,name\n" + "e1,渡辺\n".encode("cp932") + ASCII_ROWS + "e2,佐藤\n".encode(),
            (2, 5003),
        ),
        # UTF-8 after a BOM, then Shift_JIS
        (
            "\ufeffperson_id,name\ne1,渡辺\n".encode() + ASCII_ROWS + "e2,佐藤\n".encode("cp932"),
            (5003, 2),
        ),
    ],
    ids=["shift-jis-then-utf-8", "bom-utf-8-then-shift-jis"],
)
def test_two_encodings_far_apart_are_refused_naming_both_lines(
    framework: Catalogue, tmp_path: Path, content: bytes, lines: tuple[int, int]
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    with pytest.raises(TableFileError) as caught:
        read_import([path], framework)
    not_utf8, utf8 = lines
    assert f"line {utf8} is UTF-8, line {not_utf8} is not" in str(caught.value)


def test_a_utf8_csv_with_a_bom_is_read(framework: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("\ufeffperson_id,name\ne1,渡辺 健\n".encode())
    batch, problems = read_import([path], framework)
    assert problems == []
    assert [(p.ref, p.name) for p in batch.people] == [("e1", "渡辺 健")]


def test_a_shift_jis_csv_alone_is_still_read(framework: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("person_id,name\ne1,渡辺 健\ne2,佐藤 花子\n".encode("cp932"))
    batch, problems = read_import([path], framework)
    assert problems == []
    assert [p.name for p in batch.people] == ["渡辺 健", "佐藤 花子"]


def test_a_cell_over_the_csv_limit_names_its_line(framework: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"person_id,name\ne1,{'x' * 200_000}\n", encoding="utf-8")
    with pytest.raises(TableFileError) as caught:
        read_import([path], framework)
    message = str(caught.value)
    assert "line 2: cannot be read as CSV (field larger than field limit" in message
    assert len(message) < 300  # never the value itself


@pytest.mark.parametrize("bad", ["e\x001", "e\n1", "\x07"])
def test_control_characters_in_ids_and_names_are_refused(
    framework: Catalogue, tmp_path: Path, bad: str
) -> None:
    path = tmp_path / "people.csv"
    quoted = bad.replace('"', '""')
    path.write_text(f'person_id,name\n"{quoted}",x\ne2,"{quoted}"\n', encoding="utf-8")
    _, problems = read_import([path], framework)
    assert [(p.row, p.column) for p in problems] == [(2, "person_id"), (3, "name")]
    assert all("must not contain control characters" in p.problem for p in problems)


def test_a_mixed_encoding_import_changes_nothing(itss: Itss, tmp_path: Path) -> None:
    itss("db", "init")
    path = tmp_path / "people.csv"
    path.write_bytes("person_id,name\ne1,渡辺 健\n".encode() + "e2,佐藤\n".encode("cp932"))
    code, _, err = itss("import", str(path), "--lang", "ja")
    assert code == 2
    assert "文字コードが行によって異なります" in err
    code, out, _ = itss("db", "status")
    assert "people: 0" in out


def _previous(tmp_path: Path) -> list[Path]:
    """A complete earlier export of two tables."""
    with TableWriter(tmp_path / "out.csv", ["a", "b"]) as writer:
        for name in ("a", "b"):
            writer.open(name, ["x"]).append(["complete"])
    return writer.paths


def test_a_failed_export_leaves_the_previous_one_whole(tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in _previous(tmp_path)}

    def half_way() -> None:
        with TableWriter(tmp_path / "out.csv", ["a", "b"]) as writer:
            writer.open("a", ["x"]).append(["new"])
            raise RuntimeError("failed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        half_way()
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out-a.csv", "out-b.csv"]


def test_a_killed_export_leaves_the_previous_one_whole(tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in _previous(tmp_path)}
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from itss.io.tables import TableWriter\n"
        "with TableWriter(Path(sys.argv[1]), ['a', 'b']) as writer:\n"
        "    writer.open('a', ['x']).append(['new'])\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "out.csv")], check=False, timeout=120
    )
    assert done.returncode == -signal.SIGKILL
    assert {p: p.read_bytes() for p in before} == before


def test_an_export_into_a_missing_folder_is_a_clean_error(itss: Itss, tmp_path: Path) -> None:
    itss("db", "init")
    code, _, err = itss("export", "evidence", "-o", str(tmp_path / "missing" / "x.csv"))
    assert code == 2
    assert err.startswith("error: ")
    assert "cannot be written (No such file or directory)" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_values_outside_the_headed_columns_are_refused(
    framework: Catalogue, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    wide = ",".join([""] * 99_998 + ["lost"])
    rows = f"person_id,name,\ne1,A\ne2,B,,\ne3,C,{wide}\ne4,D,hidden\n"
    path.write_text(rows, encoding="utf-8")
    _, problems = read_import([path], framework)
    found = [(p.row, p.column, p.problem) for p in problems if p.row > 1]
    beyond = "a value in a column without a header (only headed columns are imported)"
    assert found == [(4, "100001", beyond), (5, "C", beyond)]
