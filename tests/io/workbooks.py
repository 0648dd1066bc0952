"""Workbooks made part by part, as a careless office or an attacker would make them."""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
TYPES = "[Content_Types].xml"
HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = b"</sheetData></worksheet>"


def shared(reference: str, index: int) -> bytes:
    return b'<c r="%s" t="s"><v>%d</v></c>' % (reference.encode(), index)


def cell(reference: str, text: str | bytes) -> bytes:
    body = text.encode() if isinstance(text, str) else text
    return b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (reference.encode(), body)


def row(number: int, *cells: bytes) -> bytes:
    return b'<row r="%d">%s</row>' % (number, b"".join(cells))


HEADER = row(1, cell("A1", "person_id"), cell("B1", "name"))


def sheet(*rows: bytes) -> bytes:
    return HEAD + HEADER + b"".join(rows) + TAIL


def people_workbook(path: Path) -> Path:
    """A genuine workbook with a `people` sheet: header and one person."""
    book = Workbook(write_only=True)
    people = book.create_sheet("people")
    for values in (["person_id", "name"], ["e1", "渡辺 健"]):
        people.append(values)
    book.save(path)
    return path


def shared_strings(strings: Iterable[bytes]) -> Iterator[bytes]:
    yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings = iter(strings)
    while block := list(itertools.islice(strings, 1 << 16)):
        yield b"".join(b"<si><t>" + text + b"</t></si>" for text in block)
    yield b"</sst>"


def with_shared_strings(
    source: Path, target: Path, strings: Iterable[bytes], *rows: bytes, level: int = 6
) -> Path:
    """`source` whose sheet's `rows` may refer to `strings` (`t="s"`), as spreadsheets save
    text: the strings part, declared in the content types."""
    with zipfile.ZipFile(source) as old:
        types = old.read(TYPES)
    override = b'<Override PartName="/%s" ContentType="%s" />' % (STRINGS.encode(), STRINGS_TYPE)
    parts = {
        TYPES: [types.replace(b"</Types>", override + b"</Types>")],
        STRINGS: shared_strings(strings),
        SHEET: [sheet(*rows)],
    }
    return with_parts(source, target, parts, level=level)


def with_part(
    source: Path, target: Path, part: str, content: Iterable[bytes] | None, *, level: int = 6
) -> Path:
    """`source` with one part replaced by `content` (streamed), or left out (None)."""
    return with_parts(source, target, {part: content}, level=level)


def with_parts(
    source: Path, target: Path, parts: Mapping[str, Iterable[bytes] | None], *, level: int
) -> Path:
    """`source` with parts replaced or added (`content`) or left out (None)."""
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as new,
    ):
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info, old.read(info))
        for part, content in parts.items():
            if content is not None:
                with new.open(part, "w", force_zip64=True) as stream:
                    for chunk in content:
                        stream.write(chunk)
    return target
