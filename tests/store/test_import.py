"""Importing HR files: every problem at once, all or nothing, templates, round trips."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import URL

from itss.catalogue.catalogue import Catalogue
from itss.io.batch import ImportRejectedError, Problem, ProblemList
from itss.io.exporter import write_evidence
from itss.io.importer import read_import
from itss.io.limits import TableFileError
from itss.io.sheets import SHEETS
from itss.io.template import write_template
from itss.store import imports, org, people
from itss.store.change import Change
from itss.store.database import Store
from tests.database import Staff, content
from tests.store.factories import every_kind, many

ENGAGEMENT_HEADER = list(SHEETS["engagements"].columns)


def _apply(
    store: Store, framework: Catalogue, paths: list[Path], change: Change
) -> imports.ImportSummary:
    batch, problems = read_import(paths, framework)
    return store.run(lambda s: imports.apply(s, batch, change, problems=problems))


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_every_problem_of_every_sheet_is_listed(
    store: Store, framework: Catalogue, tmp_path: Path, staff: Staff
) -> None:
    path = _workbook(
        tmp_path / "hr.xlsx",
        {
            "people": [
                ["person_id", "name", "org_unit"],
                ["alice", "Alice", "nowhere"],
                ["bob", None, None],
                ["alice", "Alice again", None],
            ],
            "engagements": [
                ["person_id", "id", "field", "role", "start", "end", "headcount"],
                [
                    "alice",
                    "e1",
                    "itsm.operations",
                    "leader",
                    dt.date(2020, 4, 1),
                    dt.date(2019, 4, 1),
                    5,
                ],
                ["zed", "e1", "itsm.nothing", "member", "2020-04-01", None, -2],
                ["alice", "e2", "itsm.operations", "member", "2020-04-01", None, 3],
            ],
            "Sheet9": [["anything"]],
        },
    )
    before = content(store)
    with pytest.raises(ImportRejectedError) as caught:
        _apply(store, framework, [path], staff.charlie)
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [
        ("Sheet9", 1, ""),
        ("engagements", 2, ""),  # ends before it starts: the row as a whole
        ("engagements", 3, "field"),
        ("engagements", 3, "headcount"),
        ("people", 2, "org_unit"),
        ("people", 3, "name"),
        ("people", 4, "person_id"),
    ]
    assert "is before start" in caught.value.problems[1].problem
    assert "repeats people, row 2" in caught.value.problems[-1].problem
    assert "people, row 3, column name: a value is required" in str(caught.value)
    assert content(store) == before


def test_an_unknown_person_is_found_against_the_database(
    store: Store, framework: Catalogue, tmp_path: Path, staff: Staff
) -> None:
    store.run(lambda s: people.write(s, many(1, prefix="known"), staff.charlie))
    path = tmp_path / "engagements.csv"
    path.write_text(
        "person_id,id,field,role,start\n"
        "known000000,x,itsm.operations,member,2020-01-01\n"
        "stranger,y,itsm.operations,member,2020-01-01\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejectedError) as caught:
        _apply(store, framework, [path], staff.charlie)
    assert caught.value.problems == [
        Problem(
            "engagements.csv",
            3,
            "person_id",
            "unknown person 'stranger': add them to the people sheet",
        )
    ]


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("person_id,name,shoe_size", ("people.csv", 1, "")),  # fits no sheet
        ("person_id,id,field,role", ("people.csv", 1, "")),  # engagements without start
        ("person_id,name,name,org_unit", ("people.csv", 1, "name")),  # a column twice
    ],
)
def test_a_csv_header_that_is_wrong_is_refused(
    framework: Catalogue, tmp_path: Path, header: str, problem: tuple[str, int, str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"{header}\nalice,Alice,x,y\n", encoding="utf-8")
    _, problems = read_import([path], framework)
    assert [(p.sheet, p.row, p.column) for p in problems] == [problem]


def test_a_sheet_with_unknown_and_missing_columns_names_them(
    framework: Catalogue, tmp_path: Path
) -> None:
    path = _workbook(tmp_path / "x.xlsx", {"engagements": [["person_id", "id", "colour"]]})
    _, problems = read_import([path], framework)
    assert {(p.column, p.problem.split(";")[0]) for p in problems} == {
        ("colour", "unknown column"),
        ("field", "required column is missing"),
        ("role", "required column is missing"),
        ("start", "required column is missing"),
    }


def test_numbers_and_dates_from_excel_and_shift_jis_csv_are_read(
    framework: Catalogue, tmp_path: Path
) -> None:
    book = _workbook(tmp_path / "x.xlsx", {"people": [["person_id", "name"], [1001, "社員"]]})
    sjis = tmp_path / "engagements.csv"
    sjis.write_bytes(
        "person_id,id,field,role,start,description\n"
        "1001,e1,itsm.operations,member,2020/04/01,勘定系\n".encode("cp932")
    )
    batch, problems = read_import([book, sjis], framework)
    assert [p.ref for p in batch.people] == ["1001"]
    assert problems == []
    assert [getattr(i.item, "start") for i in batch.items] == [dt.date(2020, 4, 1)]  # noqa: B009


def test_files_that_are_not_tables_are_refused(framework: Catalogue, tmp_path: Path) -> None:
    fake = tmp_path / "x.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(TableFileError, match=r"x\.xlsx: not a readable \.xlsx"):
        read_import([fake], framework)
    with pytest.raises(TableFileError, match=r"use a \.csv or \.xlsx file"):
        read_import([tmp_path / "x.ods"], framework)


def test_the_template_lists_sheets_columns_and_valid_values(
    framework: Catalogue, tmp_path: Path
) -> None:
    [path] = write_template(tmp_path / "template.xlsx", framework)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*SHEETS, "reference", "lists"]
    header = [c.value for c in book["engagements"][1]]
    assert header == ENGAGEMENT_HEADER
    values = {row[1] for row in book["reference"].iter_rows(values_only=True)}
    assert set(framework.fields) <= values
    assert {"member", "overall_responsible"} <= values
    assert book["lists"].sheet_state == "hidden"
    for name in SHEETS:  # an example row on every sheet, marked as one
        example = [c.value for c in book[name][2]]
        assert str(example[0]).startswith("#"), name
        assert sum(v is not None for v in example) >= 2, name
    written = write_template(tmp_path / "template.csv", framework)
    assert [p.name for p in written] == [f"template-{name}.csv" for name in SHEETS]
    batch, problems = read_import(written, framework)  # the examples alone import nothing
    assert (len(batch), problems) == (0, [])


def _dropdowns(sheet: Any) -> dict[str, list[str]]:
    """Column letter -> the values its dropdown offers (read from the lists sheet)."""
    lists = sheet.parent["lists"]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        source = validation.formula1.split("!")[1].replace("$", "")
        values = [c.value for row in lists[source] for c in row]
        for cells in validation.sqref.ranges:
            found[cells.coord.split(":")[0].rstrip("0123456789")] = values
    return found


def test_the_template_offers_the_frameworks_values_as_dropdowns(
    framework: Catalogue, tmp_path: Path
) -> None:
    [path] = write_template(tmp_path / "template.xlsx", framework)
    book = openpyxl.load_workbook(path)
    engagements = _dropdowns(book["engagements"])
    assert engagements["C"] == list(framework.fields)  # field
    assert engagements["D"] == ["member", "leader", "responsible", "overall_responsible"]
    expertise = _dropdowns(book["expertise"])
    assert expertise["C"][0] == "basic"  # depth
    assert set(expertise["B"]) <= set(framework.concepts)  # area
    assert expertise["B"]
    attested = _dropdowns(book["attestations"])["D"]  # criterion
    assert attested
    assert set(attested) <= set(framework.criteria)


def test_a_filled_template_imports(
    store: Store, framework: Catalogue, tmp_path: Path, staff: Staff
) -> None:
    [path] = write_template(tmp_path / "template.xlsx", framework)
    book = openpyxl.load_workbook(path)
    book["org_units"].append(["hq", "本社", "Head office", None])
    book["people"].append(["alice", "有栖 アリス", "Alice Arisu", "hq"])
    book["engagements"].append(
        ["alice", "e1", "itsm.operations", "leader", dt.datetime(2019, 4, 1), None, 20]
    )
    book.save(path)
    summary = _apply(store, framework, [path], staff.charlie)
    assert (summary.rows, summary.people.created, summary.units.created) == (3, 1, 1)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_into_a_new_database_unchanged(
    store: Store, other_url: URL, framework: Catalogue, tmp_path: Path, staff: Staff, fmt: str
) -> None:
    """Export, import elsewhere, export again: the same; importing it again changes nothing."""

    def export(source: Store, name: str) -> list[Path]:
        with source.transaction() as session:
            units = [vars(u) for u in org.tree(session).values()]
            everyone = [(r.evidence, r.org_unit) for r in people.records(session)]
            return write_evidence(tmp_path / f"{name}.{fmt}", units, everyone)

    store.run(lambda s: org.write_units(s, [org.UnitRecord("hq", "本社")], staff.charlie))
    records = [people.PersonRecord(every_kind(f"p{i}", f"社員 {i}"), "hq") for i in range(3)]
    store.run(lambda s: people.write(s, records, staff.charlie))
    first = export(store, "first")
    elsewhere = Store(other_url)
    summary = _apply(elsewhere, framework, first, staff.charlie)
    assert (summary.people.created, summary.units.created) == (3, 1)
    second = export(elsewhere, "second")
    if fmt == "csv":
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    else:
        assert _cells(first[0]) == _cells(second[0])
    again = _apply(elsewhere, framework, second, staff.charlie)
    assert (again.people.unchanged, again.people.revised, again.units.unchanged) == (3, 0, 1)
    elsewhere.dispose()


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from itss.engine.evidence import Evidence  # noqa: PLC0415

    evidence = Evidence.model_validate({"person": {"id": "x", "name": '=HYPERLINK("x")'}})
    [path] = write_evidence(tmp_path / "e.xlsx", [], [(evidence, None)])
    cell = openpyxl.load_workbook(path)["people"]["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")


def test_csv_exports_open_in_excel_with_japanese_text(tmp_path: Path) -> None:
    from itss.engine.evidence import Evidence  # noqa: PLC0415

    evidence = Evidence.model_validate({"person": {"id": "x", "name": "佐藤"}})
    paths = write_evidence(tmp_path / "e.csv", [], [(evidence, None)])
    people_csv = next(p for p in paths if p.name == "e-people.csv")
    assert people_csv.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel looks for
    with people_csv.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1][:2] == ["x", "佐藤"]


def test_a_file_wrong_in_every_row_keeps_the_first_problems_and_counts_them_all(
    framework: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ProblemList, "LISTED", 5)  # ten thousand, in use
    path = tmp_path / "engagements.csv"
    rows = "".join(f"p{i},e1,itsm.operations,wizard,2018-04-01\n" for i in range(12))
    path.write_text("person_id,id,field,role,start\n" + rows, encoding="utf-8")
    _, problems = read_import([path], framework)
    assert [(p.row, p.column) for p in problems] == [(row, "role") for row in range(2, 7)]
    assert problems.total == 12
    refused = ImportRejectedError(problems)
    assert refused.values["count"] == 12
    shown = refused.localized("en").splitlines()
    assert shown[0] == "nothing was imported: 12 problem(s)"
    assert len(shown) == 1 + 5 + 1
    assert shown[-1].strip() == "… and 7 more problem(s), not listed: the first are above"


def test_what_the_database_finds_wrong_in_every_row_is_counted_too(
    store: Store,
    framework: Catalogue,
    staff: Staff,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ProblemList, "LISTED", 5)
    path = tmp_path / "engagements.csv"  # valid rows, of twelve people nobody knows
    rows = "".join(f"p{i},e1,itsm.operations,member,2018-04-01\n" for i in range(12))
    path.write_text("person_id,id,field,role,start\n" + rows, encoding="utf-8")
    with pytest.raises(ImportRejectedError) as refused:
        _apply(store, framework, [path], staff.charlie)
    assert refused.value.values["count"] == 12
    listed = refused.value.problems
    assert [p.column for p in listed] == ["person_id"] * 5
    assert listed == sorted(listed)
    assert refused.value.unlisted == 7
