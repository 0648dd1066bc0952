"""Reading import files (CSV, .xlsx) into an `ImportBatch`, with every problem row by row.

Each row is validated by the model of its sheet (the engine's evidence models) and checked
against the loaded framework (unknown fields, criteria...). Nothing stops at the first
problem: the caller gets all of them, each naming sheet, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pydantic import BaseModel, ValidationError

from itss.catalogue.catalogue import Catalogue
from itss.engine.evidence import Engagement, Evidence, Person, evidence_problems
from itss.errors import Phrase, excerpt
from itss.io.batch import (
    ImportBatch,
    ItemRow,
    Origin,
    PersonRow,
    Problem,
    ProblemList,
    UnitRow,
)
from itss.io.limits import COLUMNS
from itss.io.sheets import (
    COMMENT,
    LISTS_SHEET,
    REFERENCE_SHEET,
    SHEETS,
    PersonSheetRow,
    Sheet,
    UnitSheetRow,
    row_values,
)
from itss.io.tables import Table, column_letter, read_tables, table_format
from itss.io.validation import phrase
from itss.io.xlsx import Beyond, Formula

_NOBODY = Person(id="-", name="-")
_COLUMN = re.compile(r"\.([a-z_]+)(?:\[\d+\])?$")  # "engagements[0](e1).criteria[2]" -> criteria


def _described(sheets: Iterable[Sheet]) -> str:
    return "; ".join(f"{s.name}: {', '.join(s.columns)}" for s in sheets)


def _validation_problems(origin: Origin, exc: ValidationError) -> Iterable[Problem]:
    for error in exc.errors():
        column = str(error["loc"][0]) if error["loc"] else ""
        found = Phrase("import.required") if error["type"] == "missing" else phrase(error)
        if isinstance(found, Phrase):
            yield Problem.keyed(origin, column, found.key, **found.values)
        else:
            yield Problem.at(origin, column, found)


class _Reader:
    """Accumulates the batch and the problems over any number of files."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.batch = ImportBatch()
        self.problems = ProblemList()
        self.seen: dict[tuple[str, ...], Origin] = {}
        # The framework's verdict on the ids of items seen, by item: rows repeat the same
        # ones endlessly. Bounded: every item of a million people would not fit.
        self.checked: LRUCache[Any, list[tuple[str, Phrase]]] = LRUCache(maxsize=20_000)

    def repeats(self) -> None:
        """Person ids and engagement ids given twice, found once every file is read."""
        for found in self.batch.repeats():
            first = found.first
            self._keyed(
                found.origin, found.column, "import.repeats", sheet=first.sheet, row=first.row
            )

    def read(self, path: Path) -> None:
        is_csv = table_format(path) == "csv"
        for table in read_tables(path):
            sheet = self._sheet_of(table, is_csv)
            if sheet is not None and self._header_ok(sheet, table):
                columns = sheet.read_columns(table.header)
                width = len(columns)
                unheaded = [i for i, (name, _) in enumerate(columns) if not name]
                for number, cells in table.rows:
                    if cells and _commented(cells[0]):
                        continue  # an example row or a note
                    outside = [*unheaded, *range(width, len(cells))]
                    if outside and self._unheaded(table.name, number, cells, outside):
                        continue
                    if values := row_values(columns, cells):  # else a blank row: skipped
                        origin = Origin(table.name, number)
                        if not table.formulas or self._values_ok(origin, values):
                            self._row(sheet, origin, values)

    def _unheaded(
        self, sheet: str, number: int, cells: Sequence[Any], outside: Sequence[int]
    ) -> bool:
        """A value in a column without a header (blank, or right of the last one) would be
        lost: refused, its column named by letter."""
        for index in outside:
            cell = cells[index] if index < len(cells) else None
            if cell is not None and str(cell).strip():
                column = _column_name(index, cell)
                self._keyed(Origin(sheet, number), column, "import.beyond_header")
                return True
        return False

    def _values_ok(self, origin: Origin, values: dict[str, Any]) -> bool:
        """Refuse formula cells: their value is whatever a spreadsheet would compute."""
        formulas = [(c, v) for c, v in values.items() if isinstance(v, Formula)]
        for column, formula in formulas:
            self._keyed(origin, column, "import.formula", formula=excerpt(formula.text))
        return not formulas

    def _sheet_of(self, table: Table, is_csv: bool) -> Sheet | None:
        if not is_csv:
            if table.name not in SHEETS and table.name not in (REFERENCE_SHEET, LISTS_SHEET):
                sheets = ", ".join(SHEETS)
                self._keyed(Origin(table.name, 1), "", "import.unknown_sheet", sheets=sheets)
            return SHEETS.get(table.name)
        found = [
            s
            for s in SHEETS.values()
            if set(table.header) - {""} <= set(s.columns) and s.required <= set(table.header)
        ]
        if len(found) != 1:
            described = _described(SHEETS.values())
            self._keyed(Origin(table.name, 1), "", "import.which_sheet", columns=described)
            return None
        return found[0]

    def _header_ok(self, sheet: Sheet, table: Table) -> bool:
        before = self.problems.total
        origin = Origin(table.name, 1)
        for column in sorted(set(table.header) - set(sheet.columns) - {""}):
            known = ", ".join(sheet.columns)
            self._keyed(origin, column, "import.unknown_column", sheet=sheet.name, columns=known)
        for column in sorted(sheet.required - set(table.header)):
            self._keyed(origin, column, "import.column_missing")
        for column in sorted({c for c in table.header if c and table.header.count(c) > 1}):
            self._keyed(origin, column, "import.column_twice")
        return self.problems.total == before

    def _problem(self, origin: Origin, column: str, problem: str | Phrase) -> None:
        if isinstance(problem, Phrase):
            self._keyed(origin, column, problem.key, **problem.values)
        else:
            self.problems.append(Problem.at(origin, column, problem))

    def _keyed(self, origin: Origin, column: str, key: str, **values: Any) -> None:
        self.problems.append(Problem.keyed(origin, column, key, **values))

    def _row(self, sheet: Sheet, origin: Origin, values: dict[str, Any]) -> None:
        try:
            if sheet.evidence is not None:
                self._item(sheet, sheet.evidence, origin, values)
            elif sheet.model is PersonSheetRow:
                self._person(origin, PersonSheetRow.model_validate(values))
            else:
                self._unit(origin, UnitSheetRow.model_validate(values))
        except ValidationError as exc:
            self.problems.extend(_validation_problems(origin, exc))

    def _unique(self, key: tuple[str, ...], origin: Origin, column: str) -> bool:
        first = self.seen.setdefault(key, origin)
        if first is not origin:
            self._keyed(origin, column, "import.repeats", sheet=first.sheet, row=first.row)
        return first is origin

    def _unit(self, origin: Origin, row: UnitSheetRow) -> None:
        if self._unique(("unit", row.code), origin, "code"):
            self.batch.add_unit(UnitRow(origin, row.code, row.name, row.name_en, row.parent))

    def _person(self, origin: Origin, row: PersonSheetRow) -> None:
        # A repeated person id is found by the batch once every file is read (`repeats`).
        self.batch.add_person(PersonRow(origin, row.person_id, row.name, row.name_en, row.org_unit))

    def _item(self, sheet: Sheet, kind: str, origin: Origin, values: dict[str, Any]) -> None:
        person = values.pop("person_id", None)
        if person is None:
            self._keyed(origin, "person_id", "import.required")
        try:
            item = sheet.model.model_validate(values)
        except ValidationError as exc:
            self.problems.extend(_validation_problems(origin, exc))
            self._known_unvalidated(origin, kind, sheet.model.model_construct(**values))
            return
        if person is None:
            return
        if self._known(origin, kind, item):
            # Only engagements have ids that must not repeat: the batch finds repeats.
            key = getattr(item, "id") if kind == "engagements" else None  # noqa: B009
            self.batch.add_item(ItemRow(origin, str(person), kind, item), key)

    def _known_unvalidated(self, origin: Origin, kind: str, item: BaseModel) -> None:
        """Unknown ids in a row with other problems too: reported, where they can be read."""
        try:
            found = self._check(kind, item)
        except (AttributeError, TypeError):
            return  # a value the check needs is missing or malformed: reported already
        for column, problem in found:
            self._problem(origin, column, problem)

    def _known(self, origin: Origin, kind: str, item: BaseModel) -> bool:
        """Whether the framework knows the ids the item refers to (a problem if not)."""
        # Rows repeat the same field and criteria endlessly: check each combination once.
        key = (kind, item.field, tuple(item.criteria)) if isinstance(item, Engagement) else item
        if key not in self.checked:
            self.checked[key] = self._check(kind, item)
        found = self.checked[key]
        for column, problem in found:
            self._problem(origin, column, problem)
        return not found

    def _check(self, kind: str, item: BaseModel) -> list[tuple[str, Phrase]]:
        """The framework's own check of evidence ids, applied to this one item: each
        problem with its column."""
        lists: dict[str, Any] = {kind: [item]}
        evidence = Evidence.model_construct(person=_NOBODY, **lists)
        return [
            (match.group(1) if (match := _COLUMN.search(where)) else "", problem)
            for where, problem in evidence_problems(evidence, self.catalogue)
        ]


def _column_name(index: int, cell: Any) -> str:
    """A spreadsheet's column letter; a CSV row may go on past XFD (16,384): its number."""
    if isinstance(cell, Beyond):
        return cell.column
    return column_letter(index + 1) if index < COLUMNS else str(index + 1)


def _commented(first: Any) -> bool:
    return isinstance(first, str) and first.lstrip().startswith(COMMENT)


def read_import(paths: Sequence[Path], catalogue: Catalogue) -> tuple[ImportBatch, ProblemList]:
    """The rows of these files and the problems found in them (the store checks the rest).
    The caller closes the batch (it holds a temporary file)."""
    reader = _Reader(catalogue)
    try:
        for path in paths:
            reader.read(path)
        reader.repeats()
    except BaseException:
        reader.batch.close()
        raise
    return reader.batch, reader.problems
