"""The rows of an import held outside memory: read back person by person, in id order, and
repeated keys found, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from itss.engine.evidence import Engagement, Qualification
from itss.io.batch import ImportBatch, ItemRow, Origin, PersonRow, Repeat


@pytest.fixture
def batch() -> Iterator[ImportBatch]:
    with ImportBatch() as held:
        yield held


def _engagement(row: int, person: str, engagement: str) -> ItemRow:
    item = Engagement(
        id=engagement, field="itsm.operations", role="member", start=dt.date(2020, 4, 1)
    )
    return ItemRow(Origin("engagements", row), person, "engagements", item)


def _qualification(row: int, person: str) -> ItemRow:
    item = Qualification(id="ip.fe", date=dt.date(2019, 4, 1))
    return ItemRow(Origin("qualifications", row), person, "qualifications", item)


def _add(batch: ImportBatch, row: ItemRow) -> None:
    key = getattr(row.item, "id") if row.kind == "engagements" else None  # noqa: B009
    batch.add_item(row, key)


def test_people_come_back_in_id_order_a_chunk_at_a_time(batch: ImportBatch) -> None:
    batch.add_person(PersonRow(Origin("people", 2), "p3", "Third"))
    batch.add_person(PersonRow(Origin("people", 3), "p1", "First"))
    batch.add_person(PersonRow(Origin("people", 4), "p1", "First, renamed"))
    for row in (_engagement(2, "p2", "e1"), _engagement(3, "p1", "e2"), _qualification(2, "p1")):
        _add(batch, row)
    chunks = list(batch.by_person(2))
    assert [[rows.ref for rows in chunk] for chunk in chunks] == [["p1", "p2"], ["p3"]]
    p1, p2 = chunks[0]
    assert p1.person is not None
    assert p1.person.name == "First, renamed"  # the last row
    assert [(i.kind, i.origin.row) for i in p1.items] == [
        ("engagements", 3),
        ("qualifications", 2),
    ]
    assert p1.items[0].item == _engagement(3, "p1", "e2").item  # the same validated model
    assert p2.person is None  # owns an item, not named in a people sheet
    assert batch.people_count() == 3
    assert batch.counts() == {"units": 0, "people": 3, "items": 3}


def test_repeated_people_and_engagements_name_the_first_row(batch: ImportBatch) -> None:
    for row, ref in ((2, "p1"), (3, "p2"), (4, "p1"), (5, "p1")):
        batch.add_person(PersonRow(Origin("people", row), ref, ref))
    _add(batch, _engagement(2, "p1", "e1"))
    _add(batch, _engagement(3, "p2", "e1"))  # the same id for another person: allowed
    _add(batch, _engagement(4, "p1", "e1"))
    _add(batch, _qualification(2, "p1"))
    _add(batch, _qualification(3, "p1"))  # items without a key may repeat
    assert sorted(batch.repeats()) == [
        Repeat(Origin("engagements", 4), "id", Origin("engagements", 2)),
        Repeat(Origin("people", 4), "person_id", Origin("people", 2)),
        Repeat(Origin("people", 5), "person_id", Origin("people", 2)),
    ]


def test_owners_that_no_people_sheet_names(batch: ImportBatch) -> None:
    batch.add_person(PersonRow(Origin("people", 2), "p1", "One"))
    for row in (_engagement(2, "p9", "e1"), _engagement(3, "p1", "e2"), _qualification(2, "p5")):
        _add(batch, row)
    assert list(batch.owners_unnamed()) == [
        ("p5", Origin("qualifications", 2)),
        ("p9", Origin("engagements", 2)),
    ]


def test_more_rows_than_are_held_in_memory_all_come_back(batch: ImportBatch) -> None:
    many = 25_000  # past the rows kept before they are written out, twice
    for number in range(many):
        _add(batch, _engagement(number + 2, f"p{number % 1000:04d}", f"e{number}"))
    people = [rows for chunk in batch.by_person(300) for rows in chunk]
    assert len(people) == 1000
    assert sum(len(rows.items) for rows in people) == many
    assert [rows.ref for rows in people] == sorted(rows.ref for rows in people)
    assert list(batch.repeats()) == []
    assert len(batch) == many
