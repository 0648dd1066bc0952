"""Tables in files: CSV (one table per file) and .xlsx (one table per sheet), both ways.

Reading streams rows (openpyxl's read-only mode, the csv module) and numbers them as a
spreadsheet does: the header is row 1. Writing streams too (write-only workbooks).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any, Protocol

from itss.errors import ItssError

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CSV_ENCODINGS = ("utf-8-sig", "cp932")  # UTF-8 (with or without BOM), else Excel's Shift_JIS


@cache
def _xlsx() -> ModuleType:
    """openpyxl, imported on first use: it costs every command a tenth of a second to start,
    and CSV work never needs it."""
    import openpyxl  # noqa: PLC0415
    import openpyxl.cell  # noqa: PLC0415
    import openpyxl.utils.exceptions  # noqa: PLC0415

    return openpyxl


class TableFileError(ItssError):
    """A file cannot be read or written as a table."""


@dataclass
class Table:
    name: str  # the sheet's name, or the CSV file's name
    header: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (spreadsheet row number, cells), blanks too


def table_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise TableFileError(f"{path}: use a .csv or .xlsx file (not {suffix or 'no suffix'})")
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


def _decoded(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TableFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableFileError(f"{path}: is neither UTF-8 nor Shift_JIS text")


def _csv_table(path: Path) -> Table:
    reader = csv.reader(io.StringIO(_decoded(path), newline=""))
    return Table(path.name, _header(next(reader, None)), _numbered(reader))


def _xlsx_tables(path: Path) -> Iterator[Table]:
    try:
        book = _xlsx().load_workbook(path, read_only=True, data_only=True)
    except (
        OSError,
        _xlsx().utils.exceptions.InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
    ) as exc:
        raise TableFileError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            yield Table(sheet.title, _header(next(rows, None)), _numbered(rows))
    finally:
        book.close()


# -- writing -----------------------------------------------------------------------------------


class Sink(Protocol):
    def append(self, row: Sequence[Any]) -> None: ...


class _CsvSink:
    def __init__(self, handle: IO[str]) -> None:
        self.writer = csv.writer(handle)

    def append(self, row: Sequence[Any]) -> None:
        self.writer.writerow(row)


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

    A single table to a .csv path goes to exactly that path.
    """

    def __init__(self, path: Path, names: Sequence[str]) -> None:
        self.path, self.names, self.format = path, list(names), table_format(path)
        self.paths: list[Path] = []
        self._stack = ExitStack()
        self._book: Workbook | None = None

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
        if self._book is not None and exc[0] is None:
            self._save(self._book)

    def open(self, name: str, header: Sequence[str]) -> Sink:
        sink = self._csv(name) if self.format == "csv" else self._sheet(name)
        sink.append(list(header))
        return sink

    def _csv(self, name: str) -> Sink:
        target = (
            self.path
            if len(self.names) == 1
            else self.path.with_name(f"{self.path.stem}-{name}.csv")
        )
        self.paths.append(target)
        handle = self._stack.enter_context(self._opened(target))
        return _CsvSink(handle)

    def _opened(self, target: Path) -> IO[str]:
        try:
            # utf-8-sig: Excel then reads Japanese text correctly when the file is opened.
            return target.open("w", encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise TableFileError(f"{target}: cannot be written ({exc.strerror or exc})") from None

    def _sheet(self, name: str) -> Sink:
        if self._book is None:
            self._book = _xlsx().Workbook(write_only=True)
            self.paths.append(self.path)
        return _SheetSink(self._book.create_sheet(name))

    def _save(self, book: Workbook) -> None:
        try:
            book.save(self.path)
        except OSError as exc:
            raise TableFileError(
                f"{self.path}: cannot be written ({exc.strerror or exc})"
            ) from None
