"""What an import file says, row by row, and what is wrong with it, place by place.

The spreadsheet readers produce an `ImportBatch` (held in a temporary file, so that its
size is the disk's concern, not the memory's); the store applies it in one transaction.
Every row keeps its `Origin` so that a problem found late (an unknown person, a cycle in the
organisation tree) still names the sheet, row and column it came from.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from itss.errors import ItssError


@dataclass(frozen=True, order=True)
class Origin:
    sheet: str
    row: int


@dataclass(frozen=True, order=True)
class Problem:
    sheet: str
    row: int
    column: str
    problem: str  # in English
    # The message catalogue's key and values, for the problem in the user's language.
    key: str | None = field(default=None, compare=False)
    values: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @classmethod
    def at(cls, origin: Origin, column: str, problem: str) -> Problem:
        return cls(origin.sheet, origin.row, column, problem)

    @classmethod
    def keyed(cls, origin: Origin, column: str, key: str, **values: Any) -> Problem:
        """A problem told by the message catalogue (`key`, `values`)."""
        from itss.i18n import tr  # noqa: PLC0415 - the catalogue sits above this module

        english = tr(key, "en", **values)
        return cls(origin.sheet, origin.row, column, english, key, tuple(values.items()))

    def text(self, lang: str) -> str:
        """The problem itself in a language (English where it has no key)."""
        if self.key is None:
            return self.problem
        from itss.i18n import tr  # noqa: PLC0415

        return tr(self.key, lang, **dict(self.values))

    def __str__(self) -> str:
        return self.localized("en")

    def localized(self, lang: str) -> str:
        from itss.i18n import tr  # noqa: PLC0415 - the catalogue sits above this module

        key = "import.problem.column" if self.column else "import.problem.row"
        problem = self.text(lang)
        return tr(key, lang, sheet=self.sheet, row=self.row, column=self.column, problem=problem)


class ProblemList(list[Problem]):
    """Problems in the order they were found: every one counted, the first `LISTED` kept.

    A file wrong in each of its rows (a column of dates in an unknown form) has as many
    problems as rows: held in full, 300,000 of them took an import to 537 MiB, and a nation's
    7.8 million rows would not fit. The first ten thousand show what is wrong."""

    LISTED = 10_000

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        super().__init__()
        self.total = 0
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        self.total += 1
        if len(self) < self.LISTED:
            super().append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)
        if isinstance(problems, ProblemList):  # and those it counted without keeping
            self.total += problems.unlisted

    @property
    def unlisted(self) -> int:
        return self.total - len(self)

    @classmethod
    def joined(cls, *parts: Iterable[Problem]) -> ProblemList:
        """The problems of all parts, in order, each part's count kept."""
        found = cls()
        for part in parts:
            found.extend(part)
        return found


class ImportRejectedError(ItssError):
    """The file has problems; they are listed (the first `ProblemList.LISTED` of them, the
    rest counted) and nothing was imported."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = ProblemList(problems)
        self.problems = sorted(found)
        self.unlisted = found.unlisted
        super().__init__(key="import.rejected", values={"count": found.total})

    def localized(self, lang: str) -> str:
        from itss.i18n import tr  # noqa: PLC0415 - the catalogue sits above this module

        lines = "".join(f"\n  {p.localized(lang)}" for p in self.problems)
        if self.unlisted:
            lines += "\n  " + tr("import.unlisted", lang, count=self.unlisted)
        return super().localized(lang) + lines


@dataclass(frozen=True)
class UnitRow:
    origin: Origin
    code: str
    name: str
    name_en: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class PersonRow:
    origin: Origin
    ref: str
    name: str
    name_en: str | None = None
    org_unit: str | None = None


@dataclass(frozen=True)
class ItemRow:
    """One evidence item (an engagement, a qualification...) of one person."""

    origin: Origin
    person: str
    kind: str  # the list of `Evidence` it goes to: "engagements", "qualifications", ...
    item: BaseModel


@dataclass(frozen=True)
class PersonRows:
    """What a batch says of one person: their row of the people sheet (the last, if any)
    and their items, in the order of the files."""

    ref: str
    person: PersonRow | None
    items: list[ItemRow]


@dataclass(frozen=True, order=True)
class Repeat:
    """A row whose key an earlier row already had (the first is named in the problem)."""

    origin: Origin
    column: str
    first: Origin


_SCHEMA = """
CREATE TABLE people (seq INTEGER PRIMARY KEY, ref TEXT NOT NULL, sheet TEXT NOT NULL,
    row INTEGER NOT NULL, name TEXT NOT NULL, name_en TEXT, org_unit TEXT);
CREATE TABLE items (seq INTEGER PRIMARY KEY, person TEXT NOT NULL, kind TEXT NOT NULL,
    key TEXT, sheet TEXT NOT NULL, row INTEGER NOT NULL, data TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX people_by_ref ON people (ref);
CREATE INDEX items_by_person ON items (person, key);
"""
_REPEATS = """
SELECT r.sheet, r.row, f.sheet, f.row FROM {table} AS r
JOIN (SELECT {key}, MIN(seq) AS first FROM {table} {where} GROUP BY {key} HAVING COUNT(*) > 1)
    AS d ON {joined} AND r.seq > d.first
JOIN {table} AS f ON f.seq = d.first
"""
_PENDING = 10_000  # rows kept in memory before they are written to the batch's file


class ScratchFullError(ItssError):
    """The disk that holds an import's working file is full: nothing was imported."""


@contextmanager
def scratch_room() -> Iterator[None]:
    """An import's working file that runs out of room, said as such, with the folder it is
    in and what to do: the driver's "database or disk is full" says neither."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode != sqlite3.SQLITE_FULL:
            raise
        raise ScratchFullError(
            key="import.scratch_full", values={"folder": scratch_folder()}
        ) from None


def scratch_folder() -> str:
    """The folder of a batch's file: SQLite's own choice on Unix, the first of these that
    can be written to."""
    named = (os.environ.get("SQLITE_TMPDIR"), os.environ.get("TMPDIR"))
    for folder in (*named, "/var/tmp", "/usr/tmp", "/tmp"):
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return folder
    return os.getcwd()


class ImportBatch:
    """The rows of an import, any number of them, in bounded memory.

    People and items go to a private temporary SQLite database (on disk once past its
    cache, deleted when the batch is closed): an organisation of a million people is
    several million rows, which held as objects took gigabytes. Org units are few and are
    held. Rows are read back person by person, repeated keys found by the database."""

    CACHE_KIB = 32_768  # the temporary database's page cache: its share of the memory

    def __init__(self) -> None:
        self.units: list[UnitRow] = []
        self._db = sqlite3.connect("", check_same_thread=False)
        self._db.execute(f"PRAGMA cache_size = -{self.CACHE_KIB}")
        self._db.executescript(_SCHEMA)
        self._people: list[tuple[Any, ...]] = []
        self._items: list[tuple[Any, ...]] = []
        self._models: dict[str, type[BaseModel]] = {}
        self._indexed = False

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ImportBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_unit(self, row: UnitRow) -> None:
        self.units.append(row)

    def add_person(self, row: PersonRow) -> None:
        origin = row.origin
        self._people.append(
            (row.ref, origin.sheet, origin.row, row.name, row.name_en, row.org_unit)
        )
        if len(self._people) >= _PENDING:
            self._flush()

    def add_item(self, row: ItemRow, key: str | None = None) -> None:
        """An item; `key`, if given, must not repeat among the person's keyed items (only
        engagements have one: their id)."""
        self._models.setdefault(row.kind, type(row.item))
        origin = row.origin
        data = row.item.model_dump_json()
        self._items.append((row.person, row.kind, key, origin.sheet, origin.row, data))
        if len(self._items) >= _PENDING:
            self._flush()

    def _flush(self) -> None:
        if not self._people and not self._items:
            return
        with self._db:
            if self._people:
                self._db.executemany(
                    "INSERT INTO people (ref, sheet, row, name, name_en, org_unit)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    self._people,
                )
            if self._items:
                self._db.executemany(
                    "INSERT INTO items (person, kind, key, sheet, row, data)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    self._items,
                )
        self._people.clear()
        self._items.clear()

    def _query(self, sql: str, *params: Any) -> sqlite3.Cursor:
        """Rows of the batch, once every row read is in its file and indexed."""
        self._flush()
        if not self._indexed:
            self._db.executescript(_INDEXES)
            self._indexed = True
        return self._db.execute(sql, params)

    @property
    def people(self) -> Iterator[PersonRow]:
        """The people sheets' rows, in the order of the files."""
        for ref, sheet, row, name, name_en, unit in self._query(
            "SELECT ref, sheet, row, name, name_en, org_unit FROM people ORDER BY seq"
        ):
            yield PersonRow(Origin(sheet, row), ref, name, name_en, unit)

    @property
    def items(self) -> Iterator[ItemRow]:
        """Every item, in the order of the files."""
        for person, kind, sheet, row, data in self._query(
            "SELECT person, kind, sheet, row, data FROM items ORDER BY seq"
        ):
            yield self._item(person, kind, sheet, row, data)

    def _item(self, person: str, kind: str, sheet: str, row: int, data: str) -> ItemRow:
        return ItemRow(
            Origin(sheet, row), person, kind, self._models[kind].model_validate_json(data)
        )

    def counts(self) -> dict[str, int]:
        """Rows by what they are: units, people, items."""
        people = self._query("SELECT COUNT(*) FROM people").fetchone()[0]
        items = self._query("SELECT COUNT(*) FROM items").fetchone()[0]
        return {"units": len(self.units), "people": people, "items": items}

    def __len__(self) -> int:
        return sum(self.counts().values())

    def people_count(self) -> int:
        """How many people the batch touches: named in a people sheet or owning an item."""
        return int(
            self._query(
                "SELECT COUNT(*) FROM (SELECT ref FROM people UNION SELECT person FROM items)"
            ).fetchone()[0]
        )

    def repeats(self) -> Iterator[Repeat]:
        """Every people row whose person id an earlier one had, every item whose key (an
        engagement's id) an earlier item of the same person had."""
        people = _REPEATS.format(table="people", key="ref", where="", joined="r.ref = d.ref")
        for sheet, row, first_sheet, first_row in self._query(people):
            yield Repeat(Origin(sheet, row), "person_id", Origin(first_sheet, first_row))
        items = _REPEATS.format(
            table="items",
            key="person, key",
            where="WHERE key IS NOT NULL",
            joined="r.person = d.person AND r.key = d.key",
        )
        for sheet, row, first_sheet, first_row in self._query(items):
            yield Repeat(Origin(sheet, row), "id", Origin(first_sheet, first_row))

    def owners_unnamed(self) -> Iterator[tuple[str, Origin]]:
        """Each item's owner that no people sheet names, with the item's place, by owner."""
        for person, sheet, row in self._query(
            "SELECT person, sheet, row FROM items WHERE person NOT IN (SELECT ref FROM people)"
            " ORDER BY person, seq"
        ):
            yield person, Origin(sheet, row)

    def by_person(self, size: int) -> Iterator[list[PersonRows]]:
        """Everyone the batch touches with their rows, `size` people at a time, by id."""
        refs = self._query("SELECT ref FROM people UNION SELECT person FROM items ORDER BY 1")
        while chunk := [ref for (ref,) in refs.fetchmany(size)]:
            yield self._rows_of(chunk)

    def _rows_of(self, refs: list[str]) -> list[PersonRows]:
        first, last = refs[0], refs[-1]
        people: dict[str, PersonRow] = {}
        for ref, sheet, row, name, name_en, unit in self._query(
            "SELECT ref, sheet, row, name, name_en, org_unit FROM people"
            " WHERE ref BETWEEN ? AND ? ORDER BY seq",
            first,
            last,
        ):
            people[ref] = PersonRow(Origin(sheet, row), ref, name, name_en, unit)
        items: dict[str, list[ItemRow]] = {ref: [] for ref in refs}
        for person, kind, sheet, row, data in self._query(
            "SELECT person, kind, sheet, row, data FROM items"
            " WHERE person BETWEEN ? AND ? ORDER BY seq",
            first,
            last,
        ):
            items[person].append(self._item(person, kind, sheet, row, data))
        return [PersonRows(ref, people.get(ref), items[ref]) for ref in refs]
