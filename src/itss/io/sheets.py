"""The sheets of an import or export file: their columns, and cells to values and back.

A sheet's columns are the fields of a pydantic model, so the engine's own evidence models
validate every row: `engagements` has the columns of `Engagement` plus `person_id`, and so on
for every list of `Evidence`. Two more sheets carry the organisation tree and the people.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic.fields import FieldInfo

from itss.engine.evidence import PLAIN, Evidence
from itss.io.xlsx import Formula

Ref = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PLAIN)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=PLAIN)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=PLAIN)]
SEPARATOR = ";"  # between the values of a list column such as `criteria`
Shape = Literal["text", "list", "other"]


class UnitSheetRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code
    name: Name
    name_en: Name | None = None
    parent: Code | None = None


class PersonSheetRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    person_id: Ref
    name: Name
    name_en: Name | None = None
    org_unit: Code | None = None


def _shape(info: FieldInfo) -> Shape:
    """What a cell of this field holds: text, a `;`-separated list, or anything else."""
    annotation = info.annotation
    if typing.get_origin(annotation) is list:
        return "list"
    options = typing.get_args(annotation) or (annotation,)
    return "text" if str in options else "other"


@dataclass(frozen=True)
class Sheet:
    """One kind of sheet: its name, the model of its rows, and (for evidence) its list."""

    name: str
    model: type[BaseModel]
    evidence: str | None = None  # the `Evidence` list its rows go to

    @property
    def columns(self) -> tuple[str, ...]:
        owner = ("person_id",) if self.evidence else ()
        return (*owner, *self.model.model_fields)

    @property
    def required(self) -> frozenset[str]:
        owner = {"person_id"} if self.evidence else set()
        return frozenset(owner | {n for n, f in self.model.model_fields.items() if f.is_required()})

    def read_columns(self, header: list[str]) -> list[tuple[str, Shape]]:
        """The header's columns with their shapes (unknown columns are refused before)."""
        return [(c, self.shapes.get(c, "text")) for c in header]

    @cached_property
    def shapes(self) -> dict[str, Shape]:
        """The shape of each column's cells (person_id is text)."""
        shapes: dict[str, Shape] = {"person_id": "text"}
        return shapes | {n: _shape(f) for n, f in self.model.model_fields.items()}


def _item_sheets() -> list[Sheet]:
    """One sheet per list of `Evidence` (engagements, expertise, ...), in its order."""
    sheets = []
    for name, info in Evidence.model_fields.items():
        args = typing.get_args(info.annotation)
        if typing.get_origin(info.annotation) is list and args and issubclass(args[0], BaseModel):
            sheets.append(Sheet(name, args[0], evidence=name))
    return sheets


UNITS = Sheet("org_units", UnitSheetRow)
PEOPLE = Sheet("people", PersonSheetRow)
SHEETS: dict[str, Sheet] = {s.name: s for s in (UNITS, PEOPLE, *_item_sheets())}
REFERENCE_SHEET = "reference"  # the template's list of valid values; never imported
LISTS_SHEET = "lists"  # the values behind the template's dropdowns; never imported
COMMENT = "#"  # a row whose first cell starts with it is an example or a note: skipped


def cell_value(shape: Shape, raw: Any) -> Any:
    """A cell as the row model wants it; None when the cell is empty."""
    if isinstance(raw, Formula):  # kept as it is, for the importer to refuse
        return raw
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw:
            return None
    if raw is None:
        return None
    if shape == "list":
        return [part.strip() for part in str(raw).split(SEPARATOR) if part.strip()]
    if shape == "text" and isinstance(raw, int | float) and not isinstance(raw, bool):
        # A spreadsheet turns an id such as 1001 into a number; it was text.
        return str(int(raw)) if float(raw).is_integer() else str(raw)
    return raw


def row_values(columns: list[tuple[str, Shape]], cells: Iterable[Any]) -> dict[str, Any]:
    """The non-empty cells of a row by column name; `columns` as from `Sheet.read_columns`."""
    values = {}
    for (column, shape), raw in zip(columns, cells, strict=False):
        # Most cells are text that needs only stripping (every CSV cell): kept inline, as
        # this runs for every cell of every row.
        if raw.__class__ is str and shape != "list":
            if text := raw.strip():
                values[column] = text
        elif raw is not None and (value := cell_value(shape, raw)) is not None:
            values[column] = value
    values.pop("", None)  # a column without a header
    return values


def export_cell(value: Any, *, text: bool) -> Any:
    """A value as a cell: lists joined; for CSV (`text`) everything as a string."""
    if isinstance(value, list | tuple):
        return SEPARATOR.join(str(v) for v in value)
    if not text:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def export_row(sheet: Sheet, values: Mapping[str, Any], *, text: bool) -> list[Any]:
    return [export_cell(values.get(column), text=text) for column in sheet.columns]
