"""Tables in files: CSV (one table per file) and .xlsx (one table per sheet), both ways.

Reading streams rows (openpyxl's read-only mode, the csv module) and numbers them as a
spreadsheet does: the header is row 1. Writing streams too (write-only workbooks).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any, Protocol

from itss.io import xlsx
from itss.io.limits import CSV_BYTES, ROWS, TableFileError

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_ROWS = ROWS


@cache
def _xlsx() -> ModuleType:
    """openpyxl, imported on first use: it costs every command a tenth of a second to start,
    and CSV work never needs it."""
    import openpyxl  # noqa: PLC0415
    import openpyxl.cell  # noqa: PLC0415
    import openpyxl.worksheet.datavalidation  # noqa: PLC0415

    return openpyxl


@dataclass
class Table:
    name: str  # the sheet's name, or the CSV file's name
    header: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (spreadsheet row number, cells), blanks too
    formulas: bool = False  # whether a cell may be a `Formula` (.xlsx; CSV has only text)


def table_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        key = "table.format" if suffix else "table.format_none"
        raise TableFileError(key=key, values={"path": path, "suffix": suffix})
    return suffix[1:]


def read_tables(path: Path) -> Iterator[Table]:
    if table_format(path) == "csv":
        yield _csv_table(path)
    else:
        yield from _xlsx_tables(path)


def _numbered(rows: Iterator[Sequence[Any]]) -> Iterator[tuple[int, Sequence[Any]]]:
    """Rows after the header with their spreadsheet numbers (blank ones included)."""
    return enumerate(rows, start=2)


def _header(cells: Sequence[Any] | None) -> list[str]:
    return [str(c).strip() if c is not None else "" for c in cells or ()]


BOM = "\ufeff".encode()


class _Lines:
    """A CSV file's lines as text, decoded as they are read (the file is never held whole):
    UTF-8 (with or without BOM), else Shift_JIS throughout. A file whose lines disagree
    (some UTF-8, some not) is refused: decoding it either way garbles names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.apostrophe = False  # whether a line read so far holds one (see `_unquoted`)
        self._utf8_line: int | None = None  # the first line that is UTF-8 and not ASCII
        self._shift_jis_from: int | None = None  # the first line that is not UTF-8

    def __iter__(self) -> Iterator[str]:
        try:
            size = self.path.stat().st_size
            if size > CSV_BYTES:
                values = {"path": self.path, "size": size, "limit": CSV_BYTES}
                raise TableFileError(key="table.too_large", values=values)
            with self.path.open("rb") as handle:
                for number, raw in enumerate(handle, start=1):
                    line = self._decoded(number, raw[3:] if number == 1 and raw[:3] == BOM else raw)
                    self.apostrophe = self.apostrophe or "'" in line
                    yield line
        except OSError as exc:
            values = {"path": self.path, "reason": exc.strerror or exc}
            raise TableFileError(key="table.unreadable", values=values) from None

    def _decoded(self, number: int, raw: bytes) -> str:
        if raw.isascii():
            return raw.decode("ascii")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._shift_jis(number, raw)
        if self._shift_jis_from is not None:
            self._mixed(self._shift_jis_from, number)
        if self._utf8_line is None:
            self._utf8_line = number
        return text

    def _shift_jis(self, number: int, raw: bytes) -> str:
        if self._utf8_line is not None:
            self._mixed(number, self._utf8_line)
        if self._shift_jis_from is None:
            self._shift_jis_from = number
        try:
            return raw.decode("cp932")
        except UnicodeDecodeError:
            raise TableFileError(key="table.encoding", values={"path": self.path}) from None

    def _mixed(self, line: int, utf8_line: int) -> None:
        values = {"path": self.path, "line": line, "utf8_line": utf8_line}
        raise TableFileError(key="table.mixed_encoding", values=values)


def _csv_table(path: Path) -> Table:
    lines = _Lines(path)
    reader = csv.reader(lines)
    header = _header(next(_checked(reader, path), None))
    return Table(path.name, header, _numbered(_unquoted(_checked(reader, path), lines)))


def _checked(reader: Any, path: Path) -> Iterator[list[str]]:
    """The reader's rows; what the csv module refuses (a cell over its size limit), named by
    its line."""
    try:
        yield from reader
    except csv.Error as exc:
        values = {"path": path, "line": reader.line_num, "reason": exc}
        raise TableFileError(key="table.csv", values=values) from None


def _unquoted(rows: Iterator[list[str]], lines: _Lines) -> Iterator[list[str]]:
    """Rows with the apostrophe that `neutralised` put before formula-like text removed.
    Most files hold no apostrophe at all: their rows need no look for one."""
    for row in rows:
        if lines.apostrophe:
            for index, cell in enumerate(row):
                if cell[:1] == "'":
                    row[index] = restored(cell)
        yield row


def _xlsx_tables(path: Path) -> Iterator[Table]:
    xlsx.inspect(path)
    for sheet in xlsx.sheets(path):
        first = next(sheet.rows, None)
        if first is not None and first[0] == 1:
            header, rows = _header(first[1]), sheet.rows
        else:  # no row 1: no header, and the first row read is a row of data
            header, rows = [], itertools.chain([first] if first else [], sheet.rows)
        yield Table(sheet.title, header, rows, formulas=True)


# -- writing -----------------------------------------------------------------------------------


def column_letter(number: int) -> str:
    return str(_xlsx().utils.get_column_letter(number))


class Sink(Protocol):
    def append(self, row: Sequence[Any]) -> None: ...


# A cell starting with one of these opens as a formula in a spreadsheet (OWASP, "CSV
# injection"): such text is written with a leading apostrophe, which spreadsheets show as
# text and the importer removes again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _formula_like(text: str) -> bool:
    # Apostrophes put before such text are looked through, so that text that itself
    # begins with an apostrophe and a formula sign also comes back exactly.
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_START) and not _is_number(bare)


def neutralised(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert; numbers stay numbers."""
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def restored(text: str) -> str:
    """A CSV cell as it was before `neutralised`."""
    if text.startswith("'") and _formula_like(text):
        return text[1:]
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A CSV file as text, line by line, as the CSV exports write it (a BOM for Excel,
    formula-like text neutralised): for sending it as it is made."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in itertools.chain([header], rows):
        writer.writerow([neutralised("" if v is None else v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


class _CsvSink:
    def __init__(self, handle: IO[str]) -> None:
        self.writer = csv.writer(handle)

    def append(self, row: Sequence[Any]) -> None:
        self.writer.writerow([neutralised(v) for v in row])


class _SheetSink:
    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet

    def append(self, row: Sequence[Any]) -> None:
        self.sheet.append([self._safe(v) for v in row])

    def _safe(self, value: Any) -> Any:
        """Text that starts with '=' stays text: data must never become a formula."""
        if isinstance(value, str) and value.startswith("="):
            cell = _xlsx().cell.WriteOnlyCell(self.sheet, value)
            cell.data_type = "s"
            return cell
        return value


class TableWriter:
    """Several named tables to one .xlsx, or to one CSV file each (`<stem>-<name>.csv`).

    A single table to a .csv path goes to exactly that path. Every file is written beside
    its target under a temporary name and takes the target's name only when all of them
    are complete: a writer that fails or is killed leaves the previous files as they were.
    """

    def __init__(self, path: Path, names: Sequence[str]) -> None:
        self.path, self.names, self.format = path, list(names), table_format(path)
        self.paths: list[Path] = []
        self._stack = ExitStack()
        self._book: Workbook | None = None
        self._sheets: dict[str, WriteOnlyWorksheet] = {}

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
        try:
            if exc[0] is None:
                if self._book is not None:
                    self._save(self._book)
                for path in self.paths:
                    os.replace(_partial(path), path)
        finally:
            for path in self.paths:
                _partial(path).unlink(missing_ok=True)

    def open(
        self,
        name: str,
        header: Sequence[str],
        *,
        freeze: str | None = None,
        filters: bool = False,
        hidden: bool = False,
    ) -> Sink:
        """A table with its header; an .xlsx sheet may freeze the panes above and left of the
        cell `freeze` and put filters on the header (a CSV file has neither)."""
        if self.format == "csv":
            sink: Sink = self._csv(name)
        else:
            sheet = self._worksheet(name)
            sheet.freeze_panes = freeze
            if hidden:
                sheet.sheet_state = "hidden"  # type: ignore[attr-defined] # missing in the stubs
            if filters and header:
                # Not in openpyxl's stubs of write-only sheets, which do have it.
                sheet.auto_filter.ref = f"A1:{column_letter(len(header))}1"  # type: ignore[attr-defined]
            sink = _SheetSink(sheet)
        sink.append(list(header))
        return sink

    def dropdown(self, sheet: str, column: int, source: str) -> None:
        """In an .xlsx, a column of a sheet opened before accepts only the values of the
        range `source` (a dropdown on every row below the header); CSV has none."""
        target = self._sheets.get(sheet)
        if target is None:
            return
        letter = column_letter(column)
        validation = _xlsx().worksheet.datavalidation.DataValidation(
            type="list", formula1=source, allow_blank=True, showErrorMessage=True
        )
        validation.add(f"{letter}2:{letter}{XLSX_ROWS}")
        target.data_validations.append(validation)  # type: ignore[attr-defined] # as above

    def _csv(self, name: str) -> Sink:
        target = (
            self.path
            if len(self.names) == 1
            else self.path.with_name(f"{self.path.stem}-{name}.csv")
        )
        handle = self._stack.enter_context(self._opened(target))
        self.paths.append(target)
        return _CsvSink(handle)

    def _opened(self, target: Path) -> IO[str]:
        try:
            # utf-8-sig: Excel then reads Japanese text correctly when the file is opened.
            return _partial(target).open("w", encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise TableFileError(
                key="table.unwritable", values={"path": target, "reason": exc.strerror or exc}
            ) from None

    def _worksheet(self, name: str) -> WriteOnlyWorksheet:
        if self._book is None:
            self._book = _xlsx().Workbook(write_only=True)
            self.paths.append(self.path)
        sheet: WriteOnlyWorksheet = self._book.create_sheet(name)
        self._sheets[name] = sheet
        return sheet

    def _save(self, book: Workbook) -> None:
        try:
            book.save(_partial(self.path))
        except OSError as exc:
            raise TableFileError(
                key="table.unwritable", values={"path": self.path, "reason": exc.strerror or exc}
            ) from None


def _partial(path: Path) -> Path:
    """Where a file is written until it is complete (same folder: the rename is atomic)."""
    return path.with_name(f".{path.name}.partial")
