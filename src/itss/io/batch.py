"""What an import file says, row by row, and what is wrong with it, place by place.

The spreadsheet readers produce an `ImportBatch`; the store applies it in one transaction.
Every row keeps its `Origin` so that a problem found late (an unknown person, a cycle in the
organisation tree) still names the sheet, row and column it came from.
"""

from __future__ import annotations

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


class ImportRejectedError(ItssError):
    """The file has problems; all of them are listed and nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(key="import.rejected", values={"count": len(self.problems)})

    def localized(self, lang: str) -> str:
        lines = "".join(f"\n  {p.localized(lang)}" for p in self.problems)
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


@dataclass
class ImportBatch:
    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)

    def people_refs(self) -> set[str]:
        """Everyone the batch touches: named in the people sheet or owning an item."""
        return {p.ref for p in self.people} | {i.person for i in self.items}

    def __len__(self) -> int:
        return len(self.units) + len(self.people) + len(self.items)
