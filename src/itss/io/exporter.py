"""Writing the HR office's files: the skill map and everyone's evidence.

An evidence export has the sheets (and columns) of an import file, so it can be edited and
imported again; importing it unchanged changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.engine.evidence import Evidence
from itss.i18n import tr
from itss.io.sheets import (
    PEOPLE,
    SHEETS,
    UNITS,
    export_row,
)
from itss.io.tables import TableWriter, table_format

# person, name, unit, (level, provisional level) by field
SkillLine = tuple[str, str, str | None, Mapping[str, tuple[int, int]]]


def _skill_header(
    catalogue: Catalogue, fields: Sequence[str], lang: str, provisional: bool
) -> list[str]:
    """Field columns titled by name (and id), in the chosen language."""
    # The people's columns keep the names of the import file's columns in either language.
    header = ["person_id", "name", "org_unit"]
    for fid in fields:
        known = catalogue.fields.get(fid)
        title = f"{known.name.get(lang)} [{fid}]" if known else fid
        header.append(title)
        if provisional:
            header.append(tr("skillmap.provisional", lang, title=title))
    return header


def skillmap_table(
    lines: Iterable[SkillLine],
    catalogue: Catalogue,
    extra_fields: Sequence[str] = (),
    *,
    lang: str = "ja",
    provisional: bool = False,
) -> tuple[list[str], Iterator[list[Any]]]:
    """The skill map's header and its rows (None: never assessed in that field)."""
    fields = [*catalogue.fields, *extra_fields]

    def rows() -> Iterator[list[Any]]:
        for ref, name, unit, levels in lines:
            cells: list[Any] = [ref, name, unit]
            for fid in fields:
                found = levels.get(fid)
                cells.append(found[0] if found else None)
                if provisional:
                    cells.append(found[1] if found else None)
            yield cells

    return _skill_header(catalogue, fields, lang, provisional), rows()


def write_skillmap(
    path: Path,
    lines: Iterable[SkillLine],
    catalogue: Catalogue,
    extra_fields: Sequence[str] = (),
    *,
    lang: str = "ja",
    provisional: bool = False,
) -> list[Path]:
    """People x fields, the level in each cell (empty: never assessed in that field); with
    `provisional`, each field's provisional level beside it. An .xlsx keeps the header and
    the people's columns in view and filters every column."""
    text = table_format(path) == "csv"
    header, rows = skillmap_table(
        lines, catalogue, extra_fields, lang=lang, provisional=provisional
    )
    with TableWriter(path, ["skillmap"]) as writer:
        sink = writer.open("skillmap", header, freeze="D2", filters=True)
        for cells in rows:
            sink.append(["" if c is None else str(c) for c in cells] if text else cells)
    return writer.paths


def write_evidence(
    path: Path, units: Iterable[Mapping[str, Any]], people: Iterable[tuple[Evidence, str | None]]
) -> list[Path]:
    """The organisation tree, the people and every item of their evidence, sheet by sheet."""
    text = table_format(path) == "csv"
    with TableWriter(path, list(SHEETS)) as writer:
        sinks = {name: writer.open(name, sheet.columns) for name, sheet in SHEETS.items()}
        for unit in units:
            sinks[UNITS.name].append(export_row(UNITS, unit, text=text))
        for evidence, unit_code in people:
            person = evidence.person
            sinks[PEOPLE.name].append(
                export_row(
                    PEOPLE,
                    {
                        "person_id": person.id,
                        "name": person.name,
                        "name_en": person.name_en,
                        "org_unit": unit_code,
                    },
                    text=text,
                )
            )
            _items(sinks, evidence, text)
    return writer.paths


def _items(sinks: Mapping[str, Any], evidence: Evidence, text: bool) -> None:
    for sheet in SHEETS.values():
        if sheet.evidence is None:
            continue
        for item in getattr(evidence, sheet.evidence):
            values = {"person_id": evidence.person.id, **item.model_dump()}
            sinks[sheet.name].append(export_row(sheet, values, text=text))


def write_table(
    path: Path, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[Path]:
    """One table as a CSV file or an .xlsx sheet (header in view, every column filtered)."""
    with TableWriter(path, [name]) as writer:
        sink = writer.open(name, header, freeze="A2", filters=True)
        for cells in rows:
            sink.append(list(cells))
    return writer.paths
