"""One pattern for every resource an HR file carries: create, read back, change, refuse.

Each resource (org units, people, and each kind of evidence) is imported from a CSV file
and from an .xlsx sheet, read back through the evidence export, changed by a second import
(the old state stays readable), and a bad row is refused with its sheet, row and column
while the database stays exactly as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from itss.catalogue.catalogue import Catalogue
from itss.io.batch import ImportRejectedError
from itss.io.exporter import write_evidence
from itss.io.importer import read_import
from itss.io.sheets import SHEETS, export_row
from itss.io.tables import TableWriter
from itss.store import imports, org, people
from itss.store.change import Change
from itss.store.database import Store
from tests.database import content
from tests.store.factories import ACTIVITY, AREA, CRITERION, SKILL, SKILL_FIELD

T0 = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(days=1)
T2 = T0 + dt.timedelta(days=2)
BASE = {
    "org_units": [{"code": "hq", "name": "本社"}],
    "people": [
        {"person_id": "alice", "name": "有栖 アリス", "org_unit": "hq"},
        {"person_id": "bob", "name": "Bob", "org_unit": "hq"},
    ],
}


@dataclass(frozen=True)
class Resource:
    sheet: str
    row: dict[str, str]
    change: dict[str, str]  # a second import of the row with these values
    bad: tuple[str, str, str]  # column, value, what the problem says
    keyed: bool = False  # a changed row replaces the old one (else it is one more item)
    key: tuple[str, ...] = field(default=("person_id",))


RESOURCES = [
    Resource(
        "org_units",
        {"code": "ops", "name": "運用部", "parent": "hq"},
        {"name": "運用本部"},
        ("parent", "nowhere", "unknown organisation unit"),
        keyed=True,
        key=("code",),
    ),
    Resource(
        "people",
        {"person_id": "dave", "name": "Dave", "org_unit": "hq"},
        {"name": "David"},
        ("name", "", "a value is required"),
        keyed=True,
    ),
    Resource(
        "engagements",
        {
            "person_id": "alice",
            "id": "e1",
            "field": "itsm.operations",
            "role": "leader",
            "start": "2020-04-01",
            "end": "2021-03-31",
            "headcount": "12",
            "criteria": "itsm.operations.cx.structure",
            "succeeded": "true",
            "description": "運用",
        },
        {"role": "responsible"},
        ("role", "boss", "Input should be 'member'"),
        keyed=True,
    ),
    Resource(
        "expertise",
        {"person_id": "alice", "area": AREA, "depth": "basic", "since": "2020-01-01"},
        {"depth": "practises_alone"},
        ("depth", "guru", "Input should be 'basic'"),
    ),
    Resource(
        "succession",
        {"person_id": "alice", "type": ACTIVITY, "date": "2022-01-01", "title": "運用の本"},
        {"title": "運用の本 第2版"},
        ("type", "activity.none", "unknown succession"),
    ),
    Resource(
        "mentoring",
        {"person_id": "alice", "start": "2021-04-01", "mentee": "dave", "note": "OJT"},
        {"note": "OJT 2"},
        ("start", "April", "not a date"),
    ),
    Resource(
        "qualifications",
        {
            "person_id": "alice",
            "id": "ipa.sm",
            "date": "2018-10-01",
            "name": "ITサービスマネージャ",
        },
        {"date": "2019-10-01"},
        ("date", "2018-02-30", "not a date of the calendar"),
    ),
    Resource(
        "skills",
        {"person_id": "alice", "item": SKILL, "field": SKILL_FIELD, "level": "3"},
        {"level": "4"},
        ("level", "9", "less than or equal to 7"),
    ),
    Resource(
        "attestations",
        {"person_id": "alice", "by": "bob", "date": "2024-03-01", "criterion": CRITERION},
        {"note": "確認済"},
        ("criterion", "no.such", "unknown criterion"),
    ),
]
FORMATS = ["csv", "xlsx"]


def _write(path: Path, sheets: dict[str, list[dict[str, str]]]) -> list[Path]:
    """Sheets to one .xlsx, or to one CSV file per sheet."""
    text = path.suffix == ".csv"
    with TableWriter(path, list(sheets)) as writer:
        for name, rows in sheets.items():
            sink = writer.open(name, SHEETS[name].columns)
            for row in rows:
                sink.append(
                    export_row(SHEETS[name], {k: v or None for k, v in row.items()}, text=text)
                )
    return writer.paths


def _import(store: Store, framework: Catalogue, paths: list[Path], moment: dt.datetime) -> None:
    batch, problems = read_import(paths, framework)
    change = Change("charlie", "import", moment)
    store.run(lambda s: imports.apply(s, batch, change, problems=problems))


def _exported(
    store: Store, tmp_path: Path, resource: Resource, moment: dt.datetime | None = None
) -> list[dict[str, str]]:
    """The resource's rows in the evidence export (as recorded at `moment`)."""
    target = tmp_path / f"export-{moment.day if moment else 0}.csv"
    with store.transaction() as session:
        units = [vars(u) for u in org.tree(session, at=moment).values()]
        everyone = [(r.evidence, r.org_unit) for r in people.records(session, at=moment)]
        write_evidence(target, units, everyone)
    sheet = target.with_name(f"{target.stem}-{resource.sheet}.csv")
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    wanted = tuple(resource.row[k] for k in resource.key)
    return [r for r in rows if tuple(r[k] for k in resource.key) == wanted]


def _expected(resource: Resource, *rows: dict[str, str]) -> list[dict[str, str]]:
    """Rows as the export writes them: every column, defaults filled in."""
    defaults = {"succeeded": "true"} if resource.sheet == "engagements" else {}
    columns = SHEETS[resource.sheet].columns
    return [{c: row.get(c) or defaults.get(c, "") for c in columns} for row in rows]


@pytest.fixture
def ready(store: Store, framework: Catalogue, tmp_path: Path) -> Store:
    """hq, alice and bob exist before each resource test."""
    _import(store, framework, _write(tmp_path / "base.xlsx", BASE), T0)
    return store


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.sheet)
def test_a_resource_is_created_and_read_back(
    ready: Store, framework: Catalogue, tmp_path: Path, resource: Resource, fmt: str
) -> None:
    paths = _write(tmp_path / f"create.{fmt}", {resource.sheet: [resource.row]})
    _import(ready, framework, paths, T1)
    assert _exported(ready, tmp_path, resource) == _expected(resource, resource.row)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.sheet)
def test_a_change_keeps_the_previous_state_readable(
    ready: Store, framework: Catalogue, tmp_path: Path, resource: Resource, fmt: str
) -> None:
    changed = resource.row | resource.change
    _import(ready, framework, _write(tmp_path / f"a.{fmt}", {resource.sheet: [resource.row]}), T1)
    _import(ready, framework, _write(tmp_path / f"b.{fmt}", {resource.sheet: [changed]}), T2)
    now = (
        _expected(resource, changed)
        if resource.keyed
        else _expected(resource, resource.row, changed)
    )
    assert _exported(ready, tmp_path, resource) == now
    assert _exported(ready, tmp_path, resource, T1) == _expected(resource, resource.row)
    assert _exported(ready, tmp_path, resource, T0) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.sheet)
def test_a_bad_row_is_named_and_nothing_is_imported(
    ready: Store, framework: Catalogue, tmp_path: Path, resource: Resource, fmt: str
) -> None:
    column, value, problem = resource.bad
    bad = (
        resource.row
        | {column: value}
        | {k: f"{v}-2" for k, v in resource.row.items() if k in ("code", "id") and k != column}
    )
    paths = _write(tmp_path / f"bad.{fmt}", {resource.sheet: [resource.row, bad]})
    before = content(ready)
    with pytest.raises(ImportRejectedError) as caught:
        _import(ready, framework, paths, T1)
    sheet = paths[0].name if fmt == "csv" else resource.sheet
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [(sheet, 3, column)]
    assert problem in caught.value.problems[0].problem
    assert content(ready) == before


def test_every_sheet_has_a_resource_test() -> None:
    assert {r.sheet for r in RESOURCES} == set(SHEETS)
