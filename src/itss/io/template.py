"""The import template: every sheet with its columns, an example row each, and the values
its columns accept (as dropdowns in an .xlsx).

An example row starts with "#" in its first cell: the importer skips such rows, so a template
filled in below its examples imports as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Criterion
from itss.engine.evidence import DEPTHS, ROLES
from itss.io.sheets import COMMENT, LISTS_SHEET, REFERENCE_SHEET, SHEETS, export_row
from itss.io.tables import TableWriter, column_letter, table_format

EXAMPLE_PERSON = f"{COMMENT} e0001"


@dataclass(frozen=True)
class Choices:
    """The values one kind of column accepts, for the reference and the dropdowns."""

    name: str
    values: list[str]
    columns: tuple[tuple[str, str], ...]  # (sheet, column) that take one of the values


def _concepts(catalogue: Catalogue, section: str) -> list[str]:
    """The concept ids of the checklist items of one section (complexity, expertise, ...)."""
    found = {c.concept for c in catalogue.criteria.values() if c.concept and c.section == section}
    return sorted(found)


def _attestable(criterion: Criterion) -> bool:
    return criterion.attestation or (criterion.rule or {}).get("kind") == "attested"


def choices(catalogue: Catalogue) -> list[Choices]:
    skill_items = sorted(catalogue.skill_items)
    return [
        Choices(
            "field",
            list(catalogue.fields),
            (("engagements", "field"), ("skills", "field"), ("attestations", "field")),
        ),
        Choices("role", list(ROLES), (("engagements", "role"),)),
        Choices("depth", list(DEPTHS), (("expertise", "depth"),)),
        Choices("area", _concepts(catalogue, "expertise"), (("expertise", "area"),)),
        Choices("activity", _concepts(catalogue, "succession"), (("succession", "type"),)),
        Choices("skill_item", skill_items, (("skills", "item"), ("attestations", "skill_item"))),
        Choices(
            "attested_criterion",
            sorted(c.id for c in catalogue.criteria.values() if _attestable(c)),
            (("attestations", "criterion"),),
        ),
        Choices("complexity", _concepts(catalogue, "complexity"), ()),  # a list: no dropdown
    ]


def _examples(catalogue: Catalogue) -> dict[str, dict[str, Any]]:
    """One plausible row per sheet, made of ids the framework knows."""
    field = next(iter(catalogue.fields))
    complexity = [c for c in _concepts(catalogue, "complexity") if c.startswith(field)][:2]
    person = {"person_id": EXAMPLE_PERSON}
    return {
        "org_units": {"code": f"{COMMENT} hq", "name": "本社", "name_en": "Head office"},
        "people": person | {"name": "山田 太郎", "name_en": "Taro Yamada", "org_unit": "hq"},
        "engagements": person
        | {
            "id": "e1",
            "field": field,
            "role": "leader",
            "start": "2019-04-01",
            "end": "2021-03-31",
            "headcount": 12,
            "criteria": complexity,
            "succeeded": True,
            "description": "勘定系システムの運用",
        },
        "expertise": person
        | {"area": _first(_concepts(catalogue, "expertise")), "depth": "practises_alone"},
        "succession": person
        | {
            "type": _first(_concepts(catalogue, "succession")),
            "date": "2022-06-01",
            "title": "運用自動化の社内講演",
        },
        "mentoring": person | {"start": "2021-04-01", "end": "2022-03-31", "mentee": "新人2名"},
        "qualifications": person | {"id": "ap", "date": "2018-06-20", "name": "応用情報技術者"},
        "skills": person
        | {"item": _first(sorted(catalogue.skill_items)), "field": field, "level": 3},
        "attestations": person
        | {"by": "佐藤 花子", "date": "2023-03-31", "criterion": _attestable_first(catalogue)},
    }


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _attestable_first(catalogue: Catalogue) -> str | None:
    return next((c.id for c in catalogue.criteria.values() if _attestable(c)), None)


def _reference(catalogue: Catalogue) -> Iterator[list[str]]:
    """The values the columns accept, with their names (the human-readable list)."""
    for fid, fld in catalogue.fields.items():
        yield ["field", fid, fld.name.ja, fld.name.get("en")]
    yield from (["role", role, "", ""] for role in ROLES)
    yield from (["depth", depth, "", ""] for depth in DEPTHS)
    for concept, criteria in catalogue.concepts.items():
        yield ["criteria / area / type", concept, criteria[0].text.ja, criteria[0].text.get("en")]
    for item_id, item in sorted(catalogue.skill_items.items()):
        yield ["skill_item", item_id, item.name.ja, item.name.get("en")]


def write_template(path: Path, catalogue: Catalogue) -> list[Path]:
    """Every sheet with its header and an example row; an .xlsx also has the reference, the
    lists behind its dropdowns, and a dropdown on every column that takes one id."""
    xlsx = table_format(path) == "xlsx"
    names = [*SHEETS, *((REFERENCE_SHEET, LISTS_SHEET) if xlsx else ())]
    examples = _examples(catalogue)
    with TableWriter(path, names) as writer:
        for name, sheet in SHEETS.items():
            sink = writer.open(name, sheet.columns, freeze="A2")
            sink.append(export_row(sheet, examples[name], text=not xlsx))
        if xlsx:
            _reference_sheets(writer, catalogue)
    return writer.paths


def _reference_sheets(writer: TableWriter, catalogue: Catalogue) -> None:
    sink = writer.open(REFERENCE_SHEET, ["kind", "value", "name", "name_en"], filters=True)
    for line in _reference(catalogue):
        sink.append(line)
    lists = choices(catalogue)
    sink = writer.open(LISTS_SHEET, [c.name for c in lists], hidden=True)
    for row in _columns_as_rows([c.values for c in lists]):
        sink.append(row)
    for number, found in enumerate(lists, start=1):
        letter = column_letter(number)
        source = f"{LISTS_SHEET}!${letter}$2:${letter}${len(found.values) + 1}"
        for sheet, column in found.columns:
            writer.dropdown(sheet, SHEETS[sheet].columns.index(column) + 1, source)


def _columns_as_rows(columns: list[list[str]]) -> Iterable[list[str | None]]:
    longest = max((len(c) for c in columns), default=0)
    for index in range(longest):
        yield [c[index] if index < len(c) else None for c in columns]
