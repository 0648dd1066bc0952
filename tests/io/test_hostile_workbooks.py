""".xlsx files that are broken, oversized or hostile: each refused through the CLI with the
file and the place named, in bounded time and memory, nothing imported."""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from itss.catalogue.catalogue import Catalogue
from itss.io import limits
from itss.io.importer import read_import
from tests.conftest import Itss
from tests.io.workbooks import (
    HEAD,
    HEADER,
    SHEET,
    TAIL,
    cell,
    people_workbook,
    row,
    shared,
    sheet,
    with_part,
    with_shared_strings,
)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return people_workbook(tmp_path / "base.xlsx")


def refused(itss: Itss, path: Path, *expected: str) -> str:
    """Imports `path` into a fresh database: refused (exit 2) with `expected` in the one-line
    message, no traceback, and no person stored."""
    itss("db", "init")
    code, out, err = itss("import", str(path))
    assert code == 2, out + err
    assert err.startswith(f"error: {path}")
    for text in expected:
        assert text in err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert len(err) < 600  # never the file's content
    assert "people: 0" in itss("db", "status")[1]
    return err


def test_a_genuine_workbook_still_imports(itss: Itss, base: Path) -> None:
    itss("db", "init")
    code, _, err = itss("import", str(base))
    assert code == 0, err
    assert "people: 1" in itss("db", "status")[1]


def test_a_workbook_with_shared_strings_is_read(
    framework: Catalogue, base: Path, tmp_path: Path
) -> None:
    names = ["e1", "渡辺 健"]
    strings = [name.encode() for name in names]
    path = with_shared_strings(base, tmp_path / "s.xlsx", strings, row(2, *shared_cells()))
    batch, problems = read_import([path], framework)
    assert problems == []
    assert [(p.ref, p.name) for p in batch.people] == [("e1", "渡辺 健")]


def shared_cells() -> list[bytes]:
    return [shared("A2", 0), shared("B2", 1)]


def test_a_sheet_whose_part_is_missing_is_refused(itss: Itss, base: Path, tmp_path: Path) -> None:
    path = with_part(base, tmp_path / "missing.xlsx", SHEET, None)
    refused(itss, path, "sheet 'people' is listed in the workbook but its part", "is missing")


def test_broken_sheet_xml_names_the_sheet_line_and_column(
    itss: Itss, base: Path, tmp_path: Path
) -> None:
    path = with_part(base, tmp_path / "broken.xlsx", SHEET, [HEAD + HEADER + b'<row r="2"><c'])
    refused(itss, path, "sheet 'people': its XML is broken at line 1, column")


ENTITIES = {
    "external entity": b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    "entity expansion": b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
}


@pytest.mark.parametrize("declaration", ENTITIES.values(), ids=ENTITIES.keys())
def test_entity_declarations_are_refused(
    itss: Itss, base: Path, tmp_path: Path, declaration: bytes
) -> None:
    content = b'<?xml version="1.0"?>' + declaration + sheet(row(2, cell("A2", b"&x;&b;")))
    err = refused(itss, with_part(base, tmp_path / "e.xlsx", SHEET, [content]), "XML entities")
    assert "root:" not in err


def test_a_cell_of_a_gibibyte_is_refused_at_once(itss: Itss, base: Path, tmp_path: Path) -> None:
    def content() -> Iterator[bytes]:
        yield HEAD + HEADER + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        yield from (b"x" * (1 << 24) for _ in range(64))
        yield b"</t></is></c></row>" + TAIL

    path = with_part(base, tmp_path / "huge.xlsx", SHEET, content(), level=1)
    assert path.stat().st_size < 8 << 20
    refused(itss, path, "xl/worksheets/sheet1.xml unpacks into", "the limit is 1073741824")


def test_a_part_compressed_like_a_bomb_is_refused(itss: Itss, base: Path, tmp_path: Path) -> None:
    # 50 MiB of empty rows in about 50 KB: no spreadsheet compresses 1,000 to 1.
    empty = b'<row r="2"/>' * (50 << 20 >> 4)
    path = with_part(base, tmp_path / "bomb.xlsx", SHEET, [sheet(empty)])
    refused(itss, path, "is compressed more than 100 to 1")


def test_a_shared_strings_bomb_is_refused(itss: Itss, base: Path, tmp_path: Path) -> None:
    # Two million strings in a file of a few hundred KB: each held in memory once parsed.
    strings = itertools.repeat(b"a", 2 << 20)
    path = with_shared_strings(base, tmp_path / "bomb.xlsx", strings, row(2, *shared_cells()))
    assert path.stat().st_size < 1 << 20
    refused(itss, path, "xl/sharedStrings.xml is compressed more than 100 to 1")


def test_shared_strings_past_their_limit_are_refused(
    itss: Itss, base: Path, tmp_path: Path
) -> None:
    # Random strings: compressed little, but 100 MiB is far more than any workbook's.
    noise = random.Random(2).randbytes(54 << 20).hex().encode()
    strings = (noise[i : i + 24] for i in range(0, len(noise), 24))
    cells = row(2, *shared_cells())
    path = with_shared_strings(base, tmp_path / "big.xlsx", strings, cells, level=1)
    refused(itss, path, "xl/sharedStrings.xml unpacks into", "the limit is 104857600")


def test_a_text_longer_than_any_cell_is_refused(itss: Itss, base: Path, tmp_path: Path) -> None:
    letters = random.Random(1).choices(b"abcdefghijklmnopqrstuvwxyz", k=400_000)
    content = [sheet(row(2, cell("A2", "e2"), cell("B2", bytes(letters))))]
    path = with_part(base, tmp_path / "long.xlsx", SHEET, content)
    refused(itss, path, "holds a text longer than any cell (a cell holds at most 32767 characters)")


def test_a_cell_longer_than_a_spreadsheet_allows_names_its_place(
    itss: Itss, base: Path, tmp_path: Path
) -> None:
    content = [sheet(row(2, cell("A2", "e2"), cell("B2", "名" * 40_000)))]
    path = with_part(base, tmp_path / "long.xlsx", SHEET, content)
    refused(itss, path, "sheet 'people', row 2, column B: a cell of more than 32767 characters")


def test_rows_past_the_last_row_of_a_worksheet_are_refused(
    itss: Itss, base: Path, tmp_path: Path
) -> None:
    content = [sheet(row(2, cell("A2", "e2"), cell("B2", "B")), b'<row r="1048577"/>')]
    path = with_part(base, tmp_path / "rows.xlsx", SHEET, content)
    refused(itss, path, "row 1048577 is outside a worksheet's rows (1 to 1048576)")


@pytest.mark.parametrize(
    ("reference", "expected"),
    [("XFE2", "row 2: a cell right of column XFD"), ("ZZZZ2", "'ZZZZ' is not a valid column")],
)
def test_cells_past_the_last_column_are_refused(
    itss: Itss, base: Path, tmp_path: Path, reference: str, expected: str
) -> None:
    content = [sheet(row(2, cell("A2", "e2"), cell(reference, "x")))]
    refused(itss, with_part(base, tmp_path / "wide.xlsx", SHEET, content), expected)


def test_a_far_value_is_named_by_its_column_without_a_wide_row(
    framework: Catalogue, base: Path, tmp_path: Path
) -> None:
    far = row(2, cell("A2", "e2"), cell("B2", "B"), cell("XFD2", "lost"))
    gap = row(7, cell("A7", "e7"), cell("B7", "G"), cell("D7", "hidden"))
    path = with_part(base, tmp_path / "far.xlsx", SHEET, [sheet(far, gap)])
    _, problems = read_import([path], framework)
    assert [(p.row, p.column) for p in problems] == [(2, "XFD"), (7, "D")]
    assert all("a value in a column without a header" in p.problem for p in problems)


def test_a_sheet_without_row_one_has_no_header(
    framework: Catalogue, base: Path, tmp_path: Path
) -> None:
    content = [HEAD + row(2, cell("A2", "e2"), cell("B2", "B")) + TAIL]
    path = with_part(base, tmp_path / "headless.xlsx", SHEET, content)
    _, problems = read_import([path], framework)
    assert {(p.row, p.column) for p in problems} == {(1, "person_id"), (1, "name")}


def test_a_file_over_the_size_limit_is_refused_before_reading(
    itss: Itss, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is 16 GiB; the check is the same for a smaller one.
    path = tmp_path / "people.csv"
    path.write_text("person_id,name\n" + "e1,A\n" * 1000, encoding="utf-8")
    monkeypatch.setattr("itss.io.tables.CSV_BYTES", 1000)
    refused(itss, path, f"the file is {os.path.getsize(path)} bytes; the limit is 1000")
    assert limits.CSV_BYTES == 16 << 30
