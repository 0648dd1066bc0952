"""Reading .xlsx workbooks that anyone may have made, by hand or to do harm.

An .xlsx is a zip of XML parts, and a small one can unpack into gigabytes, hide one cell of a
gigabyte, declare XML entities, leave out a sheet, or put a value a million columns to the
right. Every part is therefore read once, unparsed, before openpyxl sees it: its size, its
compression ratio, the longest text between two tags, and entity declarations are checked
there (`inspect`). Rows are then streamed from openpyxl's sheet parser with their real row
and column numbers, so that neither a far cell nor a far row makes anything wide or long.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.etree import ElementTree

from itss.io.limits import (
    CELL_CHARS,
    COLUMNS,
    FILE_BYTES,
    OTHER_PART_BYTES,
    RATIO,
    RATIO_FROM,
    ROWS,
    SHEET_PART_BYTES,
    STRINGS_PART_BYTES,
    TEXT_BYTES,
    TOTAL_BYTES,
    TableFileError,
)

_CHUNK = 1 << 16  # below TEXT_BYTES, so that a chunk's inner runs need no look

_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_WORKSHEET = _TYPES + "worksheet+xml"
_STRINGS = _TYPES + "sharedStrings+xml"
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


@cache
def _openpyxl() -> ModuleType:
    """openpyxl, imported on first use: it costs every command a tenth of a second to start."""
    import openpyxl.reader.excel  # noqa: PLC0415
    import openpyxl.worksheet._reader  # noqa: PLC0415

    return openpyxl


def _refused(path: Path, key: str, **values: Any) -> TableFileError:
    return TableFileError(key=key, values={"path": path, **values})


def _reason(exc: BaseException) -> str:
    """What a library said about a broken file, short: it may quote the file's content."""
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


# -- before parsing ---------------------------------------------------------------------------


def inspect(path: Path) -> None:
    """Refuse a workbook whose parts are too large, too compressed, hold a text longer than any
    cell, or declare XML entities, reading every part once without parsing it."""
    size = path.stat().st_size
    if size > FILE_BYTES:
        raise _refused(path, "table.too_large", size=size, limit=FILE_BYTES)
    try:
        with zipfile.ZipFile(path) as archive:
            _inspect_parts(path, archive)
    except TableFileError:
        raise
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError) as exc:
        raise _refused(path, "table.not_xlsx", reason=_reason(exc)) from None
    except RuntimeError as exc:  # an encrypted member
        raise _refused(path, "table.not_xlsx", reason=_reason(exc)) from None


def _inspect_parts(path: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    types = _content_types(path, archive)
    declared = sum(info.file_size for info in infos)
    if declared > TOTAL_BYTES:
        raise _refused(path, "table.unpacks_too_large", size=declared, limit=TOTAL_BYTES)
    total = 0
    for info in infos:
        total += _Part(path, info, _part_limit(info.filename, types)).read(archive)
        if total > TOTAL_BYTES:
            raise _refused(path, "table.unpacks_too_large", size=total, limit=TOTAL_BYTES)


def _content_types(path: Path, archive: zipfile.ZipFile) -> dict[str, set[str]]:
    """Each overridden part's declared content types, from [Content_Types].xml (parsed only
    once its own check found it small and free of entity declarations)."""
    name = "[Content_Types].xml"
    if name not in archive.namelist():
        return {}
    _Part(path, archive.getinfo(name), OTHER_PART_BYTES).read(archive)
    try:
        root = ElementTree.fromstring(archive.read(name))
    except ElementTree.ParseError as exc:
        raise _refused(path, "table.not_xlsx", reason=f"{name}: {_reason(exc)}") from None
    types: dict[str, set[str]] = {}
    for element in root:
        if element.tag.endswith("}Override") or element.tag == "Override":
            part = element.get("PartName", "").lstrip("/")
            types.setdefault(part, set()).add(element.get("ContentType", ""))
    return types


def _part_limit(name: str, types: dict[str, set[str]]) -> int:
    """Only worksheets are streamed; everything else openpyxl parses whole, into memory."""
    kinds = types.get(name, set())
    if kinds == {_WORKSHEET} and name != "xl/styles.xml":
        return SHEET_PART_BYTES
    return STRINGS_PART_BYTES if kinds == {_STRINGS} else OTHER_PART_BYTES


@dataclass
class _Part:
    path: Path
    info: zipfile.ZipInfo
    limit: int
    size: int = 0
    run: int = 0  # bytes since the last '<'
    tail: bytes = b""

    def read(self, archive: zipfile.ZipFile) -> int:
        if self.info.file_size > self.limit:
            self._too_large(self.info.file_size)
        xml = self.info.filename.endswith((".xml", ".rels"))
        with archive.open(self.info) as stream:
            while chunk := stream.read(_CHUNK):
                self._count(len(chunk))
                if xml:
                    self._scan(chunk)
        return self.size

    def _count(self, more: int) -> None:
        # The zip's own sizes can lie: what comes out of the decompressor is counted.
        self.size += more
        if self.size > self.limit:
            self._too_large(self.size)
        compressed = max(self.info.compress_size, 1)
        if self.size > RATIO_FROM and self.size > RATIO * compressed:
            values = {"part": self.info.filename, "ratio": RATIO}
            raise _refused(self.path, "table.too_compressed", **values)

    def _scan(self, chunk: bytes) -> None:
        window = self.tail + chunk
        if any(declaration in window for declaration in _DECLARATIONS):
            raise _refused(self.path, "table.xml_entities", part=self.info.filename)
        self.tail = chunk[-16:]
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
        else:
            self.run += first
            self._check_run()
            self.run = len(chunk) - chunk.rfind(b"<") - 1
        self._check_run()

    def _check_run(self) -> None:
        if self.run > TEXT_BYTES:
            values = {"part": self.info.filename, "chars": CELL_CHARS}
            raise _refused(self.path, "table.text_too_long", **values)

    def _too_large(self, size: int) -> None:
        values = {"part": self.info.filename, "size": size, "limit": self.limit}
        raise _refused(self.path, "table.part_too_large", **values)


# -- parsing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula, not a value: the importer refuses it."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Beyond:
    """Stands for a row's cells right of the header, up to the first value there: that value
    and its column (a far value must not make the row as wide as the sheet)."""

    column: str
    value: Any

    def __str__(self) -> str:
        return str(self.value)


@dataclass
class Sheet:
    title: str
    rows: Iterator[tuple[int, list[Any]]]  # (row number, cells), only the rows in the file


def sheets(path: Path) -> Iterator[Sheet]:
    """The workbook's sheets in order, each with its rows; `inspect` must have passed."""
    reader = _opened(path)
    try:
        for title, part in _sheet_parts(path, reader):
            yield Sheet(title, _Rows(path, title, reader, part).rows())
    finally:
        reader.archive.close()


def _opened(path: Path) -> Any:
    """openpyxl's reader of the workbook, having read its manifest, shared strings, sheet list
    and styles (for dates). Not its sheets: openpyxl would parse each whole to size it."""
    excel = _openpyxl().reader.excel
    try:
        reader = excel.ExcelReader(path, read_only=True, data_only=False)
    except Exception as exc:  # whatever openpyxl raises on a broken file, it is the file
        raise _refused(path, "table.not_xlsx", reason=_reason(exc)) from None
    try:
        # Its warnings are about what it drops (drawings, extensions): nothing imported.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            excel.apply_stylesheet(reader.archive, reader.wb)
    except Exception as exc:  # as above
        reader.archive.close()
        raise _refused(path, "table.not_xlsx", reason=_reason(exc)) from None
    return reader


def _sheet_parts(path: Path, reader: Any) -> Iterator[tuple[str, str]]:
    """(title, part) of every worksheet the workbook lists; one whose part is missing is
    refused (openpyxl skips it, and its rows would be lost without a word)."""
    for sheet, rel in reader.parser.find_sheets():
        if "chartsheet" in rel.Type:
            continue
        if rel.target not in reader.valid_files:
            raise _refused(path, "table.sheet_missing", sheet=sheet.name, part=rel.target)
        yield sheet.name, rel.target


class _Rows:
    """One sheet's rows from openpyxl's streaming parser, bounded and checked."""

    def __init__(self, path: Path, title: str, reader: Any, part: str) -> None:
        self.path, self.title, self.reader, self.part = path, title, reader, part
        self.width: int | None = None  # the header's, once row 1 is read

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        book = self.reader.wb
        with self.reader.archive.open(self.part) as source:
            parser = _parser()(
                source,
                self.reader.shared_strings,
                data_only=False,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            parsed = parser.parse()
            while (row := self._next(parsed)) is not None:
                yield self._row(*row)

    def _next(self, parsed: Iterator[tuple[int, list[dict[str, Any]]]]) -> Any:
        try:
            return next(parsed, None)
        except Exception as exc:  # malformed XML, a bad number or cell reference ...
            where = getattr(exc, "position", None)
            raise self._broken(exc, where) from None

    def _broken(self, exc: Exception, where: tuple[int, int] | None) -> TableFileError:
        if where is None:
            return _refused(self.path, "table.sheet_broken", sheet=self.title, reason=_reason(exc))
        line, column = where
        values = {"sheet": self.title, "line": line, "column": column, "reason": _reason(exc)}
        return _refused(self.path, "table.sheet_broken_at", **values)

    def _row(self, number: int, cells: list[dict[str, Any]]) -> tuple[int, list[Any]]:
        if number > ROWS or number < 1:
            raise _refused(self.path, "table.row_outside", sheet=self.title, row=number, rows=ROWS)
        width = self.width if self.width is not None else COLUMNS
        values: list[Any] = [None] * min(width, max((c["column"] for c in cells), default=0))
        for cell in cells:
            self._place(values, number, cell, width)
        if number == 1:
            self.width = len(values)
        return number, values

    def _place(self, values: list[Any], number: int, cell: dict[str, Any], width: int) -> None:
        column, value = cell["column"], cell["value"]
        if column > COLUMNS:
            raise _refused(self.path, "table.column_outside", sheet=self.title, row=number)
        if cell["data_type"] == "f":
            value = Formula(str(value))
        elif value.__class__ is str and len(value) > CELL_CHARS:
            letter = _openpyxl().utils.get_column_letter(column)
            place = {"sheet": self.title, "row": number, "column": letter, "chars": CELL_CHARS}
            raise _refused(self.path, "table.cell_too_long", **place)
        if column <= width:
            values[column - 1] = value
        elif (
            value is not None
            and str(value).strip()
            and not (values and isinstance(values[-1], Beyond))
        ):
            letter = _openpyxl().utils.get_column_letter(column)
            values.append(Beyond(letter, value))


@cache
def _parser() -> type:
    reader = _openpyxl().worksheet._reader
    base = reader.WorkSheetParser
    inline = reader.INLINE_STRING
    main = inline.removesuffix("is")
    plain, run = f"{main}t", f"{main}r"

    class QuietParser(base):  # type: ignore[misc, valid-type]
        """openpyxl's sheet parser without what an import never uses and it would warn about
        (conditional formats and extensions it drops), reading inline strings faster."""

        def parse_formatting(self, element: Any) -> None:
            pass

        def parse_extensions(self, element: Any) -> None:
            pass

        def parse_cell(self, element: Any) -> dict[str, Any]:
            # openpyxl builds a rich-text object for each inline string (the form it writes
            # itself, and so ours), a third of the time of reading such a sheet. Its content
            # is the plain text and each run's, without phonetic guides: read them directly.
            text = element.find(inline) if element.get("t") == "inlineStr" else None
            if text is None:
                return base.parse_cell(self, element)  # type: ignore[no-any-return]
            element.remove(text)
            cell: dict[str, Any] = base.parse_cell(self, element)
            if cell["data_type"] == "inlineStr":  # not a formula
                # find and findall of a plain tag, not iterfind: they skip ElementPath.
                parts = [text.find(plain), *(r.find(plain) for r in text.findall(run))]
                content = "".join(t.text or "" for t in parts if t is not None)
                cell["value"], cell["data_type"] = content, "s"
            return cell

    return QuietParser


def _ends_beyond(values: list[Any]) -> bool:
    return bool(values) and isinstance(values[-1], Beyond)
