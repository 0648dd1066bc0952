"""Files as HR offices write them: dates in their own forms, formula cells refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from itss.catalogue.catalogue import Catalogue
from itss.engine.evidence import Qualification
from itss.io import xlsx
from itss.io.importer import read_import
from itss.io.tables import neutralised, restored
from tests.io.workbooks import SHEET, people_workbook, row, sheet, with_part


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2018-04-01", dt.date(2018, 4, 1)),
        ("2018/4/1", dt.date(2018, 4, 1)),
        ("2018/04/01", dt.date(2018, 4, 1)),
        ("2018.4.1", dt.date(2018, 4, 1)),
        ("2018年4月1日", dt.date(2018, 4, 1)),
        (" 2018/12/31 ", dt.date(2018, 12, 31)),
        (dt.datetime(2018, 4, 1), dt.date(2018, 4, 1)),
        (dt.date(2018, 4, 1), dt.date(2018, 4, 1)),
    ],
)
def test_dates_in_the_forms_people_write_them(written: object, day: dt.date) -> None:
    found = Qualification.model_validate({"id": "ap", "date": written, "name": "AP"})
    assert found.date == day


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("2018/2/30", "not a date of the calendar"),
        ("1/4/2018", "not a date"),
        ("April 2018", "not a date"),
        (dt.datetime(2018, 4, 1, 9, 30), "without a time of day"),
    ],
)
def test_a_refused_date_says_which_forms_are_accepted(written: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as caught:
        Qualification.model_validate({"id": "ap", "date": written, "name": "AP"})
    assert "2018/4/1" in str(caught.value)


def test_an_excel_date_cell_and_a_slashed_date_import(framework: Catalogue, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    people = book.create_sheet("people")
    people.append(["person_id", "name"])
    people.append(["p1", "P"])
    sheet = book.create_sheet("qualifications")
    sheet.append(["person_id", "id", "date", "name"])
    sheet.append(["p1", "ap", dt.datetime(2018, 4, 1), "AP"])
    sheet.append(["p1", "ap", "2019/4/1", "AP"])
    book.save(tmp_path / "hr.xlsx")
    batch, problems = read_import([tmp_path / "hr.xlsx"], framework)
    assert problems == []
    dates = [getattr(i.item, "date") for i in batch.items]  # noqa: B009
    assert dates == [dt.date(2018, 4, 1), dt.date(2019, 4, 1)]


def test_formula_cells_are_refused_with_their_place(framework: Catalogue, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet("engagements")
    sheet.append(["person_id", "id", "field", "role", "start", "headcount", "description"])
    sheet.append(["p1", "e1", "itsm.operations", "leader", "2018-04-01", "=10+15", "x"])
    sheet.append(["=A2", "e2", "itsm.operations", "leader", "2018-04-01", 3, "x"])
    book.save(tmp_path / "hr.xlsx")
    _, problems = read_import([tmp_path / "hr.xlsx"], framework)
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("engagements", 2, "headcount"),
        ("engagements", 3, "person_id"),
    ]
    assert all("holds a formula" in p.problem for p in problems)
    assert "'=10+15'" in problems[0].problem


@pytest.mark.parametrize(
    "text", ["=1+1", "+81 3", "-x", "@SUM(A1)", "\tx", "plain", "-5", "+3.5", "'=x", "''-y", ""]
)
def test_neutralised_text_is_restored_exactly(text: str) -> None:
    assert restored(neutralised(text)) == text


# Inline strings as spreadsheets may write them: plain, in formatted runs, with a phonetic
# guide (furigana, not part of the text), empty; and a formula in a cell typed as one.
INLINE = [
    ("<is><t>e1</t></is>", "e1"),
    ("<is><r><t>渡辺</t></r><r><rPr><b/></rPr><t> 健</t></r></is>", "渡辺 健"),
    ('<is><t>渡辺</t><rPh sb="0" eb="2"><t>わたなべ</t></rPh></is>', "渡辺"),
    ('<is><t xml:space="preserve"> a </t></is>', " a "),
    ("<is><t/></is>", ""),
]


@pytest.mark.parametrize(("body", "text"), INLINE)
def test_inline_strings_read_as_the_spreadsheet_shows_them(
    framework: Catalogue, tmp_path: Path, body: str, text: str
) -> None:
    cells = b'<c r="A2" t="inlineStr"><is><t>p1</t></is></c><c r="B2" t="inlineStr">%s</c>'
    base = people_workbook(tmp_path / "base.xlsx")
    path = with_part(base, tmp_path / "inline.xlsx", SHEET, [sheet(row(2, cells % body.encode()))])
    shown = openpyxl.load_workbook(path).worksheets[0]["B2"].value  # openpyxl's whole reading
    read = next(dict(each.rows)[2][1] for each in xlsx.sheets(path))  # the first sheet's
    assert (read, shown) == (text, text)
    batch, problems = read_import([path], framework)
    assert [p.name for p in batch.people] == ([text.strip()] if text.strip() else [])
    assert [(p.row, p.column) for p in problems] == ([] if text.strip() else [(2, "name")])


def test_a_formula_in_an_inline_string_cell_is_refused(
    framework: Catalogue, tmp_path: Path
) -> None:
    cells = b'<c r="A2" t="inlineStr"><is><t>p1</t></is></c>'
    cells += b'<c r="B2" t="inlineStr"><f>A2&amp;"x"</f><is><t>p1x</t></is></c>'
    path = with_part(
        people_workbook(tmp_path / "base.xlsx"), tmp_path / "f.xlsx", SHEET, [sheet(row(2, cells))]
    )
    _, problems = read_import([path], framework)
    assert [(p.row, p.column) for p in problems] == [(2, "name")]
    assert "holds a formula" in problems[0].problem
