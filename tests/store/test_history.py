"""People, org units and their history: nothing is overwritten, any past moment can be read."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itss.engine.evidence import Evidence
from itss.store import org, people
from itss.store.change import Change
from itss.store.errors import ConflictError, StoreError
from itss.store.models import EngagementRow, PersonRevision
from itss.store.org import UnitRecord
from tests.database import Staff
from tests.store.factories import engagement, every_kind, person

T0 = dt.datetime(2025, 4, 1, 9, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(days=30)
T2 = T0 + dt.timedelta(days=60)
TREE = [
    UnitRecord("hq", "本社", "Head office"),
    UnitRecord("ops", "運用部", None, "hq"),
    UnitRecord("ops-1", "運用一課", None, "ops"),
]


def at(change: Change, moment: dt.datetime) -> Change:
    return Change(change.by, change.source, moment)


def test_every_kind_of_evidence_comes_back_as_it_went_in(session: Session, staff: Staff) -> None:
    alice = people.PersonRecord(every_kind("alice", "有栖 アリス"))
    summary = people.write(session, [alice], staff.alice)
    assert (summary.created, summary.revised) == (1, 0)
    stored = people.load(session, ["alice"])["alice"]
    assert stored.record == alice
    assert (stored.number, stored.recorded_by) == (1, "alice")


def test_writing_the_same_record_again_changes_nothing(session: Session, staff: Staff) -> None:
    alice = person("alice", "Alice", engagement())
    people.write(session, [alice], staff.alice)
    summary = people.write(session, [alice], staff.charlie)
    assert (summary.created, summary.revised, summary.unchanged) == (0, 0, 1)
    assert len(people.history(session, "alice")) == 1


def test_a_change_appends_a_revision_and_the_past_stays_readable(
    session: Session, staff: Staff
) -> None:
    first, second = engagement(id="e1"), engagement(id="e2", field="itsm.service-desk")
    people.write(session, [person("alice", "Alice", first)], at(staff.alice, T0))
    people.write(session, [person("alice", "Alice", first, second)], at(staff.alice, T1))
    people.write(session, [person("alice", "Alice Smith", second)], at(staff.charlie, T2))

    revisions = people.history(session, "alice")
    assert [(r.number, r.recorded_by) for r in revisions] == [
        (1, "alice"),
        (2, "alice"),
        (3, "charlie"),
    ]

    def ids(moment: dt.datetime) -> list[str]:
        evidence = people.load(session, ["alice"], at=moment)["alice"].record.evidence
        return [e.id for e in evidence.engagements]

    assert ids(T0 + dt.timedelta(days=1)) == ["e1"]
    assert ids(T1) == ["e1", "e2"]
    assert ids(T2) == ["e2"]
    assert people.load(session, ["alice"], at=T0 - dt.timedelta(seconds=1)) == {}
    # Append-only: every engagement row ever written is still there.
    assert session.scalar(select(func.count()).select_from(EngagementRow)) == 1 + 2 + 1


def test_a_writer_with_a_stale_revision_is_refused(session: Session, staff: Staff) -> None:
    """Optimistic concurrency for interactive edits: say which revision you read."""
    assert people.record(session, person("alice", "Alice", engagement()), staff.alice) == 1
    assert (
        people.record(session, person("alice", "Alice", engagement()), staff.alice, expected=1) == 2
    )
    with pytest.raises(ConflictError, match="revision 2, you read 1"):
        people.record(session, person("alice", "Alice B"), staff.bob, expected=1)
    assert session.scalar(select(func.max(PersonRevision.number))) == 2


def test_the_tree_reads_recursively_and_keeps_its_history(session: Session, staff: Staff) -> None:
    org.write_units(session, TREE, at(staff.charlie, T0))
    org.write_units(
        session, [UnitRecord("ops", "運用本部", "Operations", "hq")], at(staff.charlie, T1)
    )
    ids = org.unit_ids(session, ["hq", "ops", "ops-1"])
    assert org.subtree(session, "ops") == {ids["ops"], ids["ops-1"]}
    assert org.subtree(session, "hq") == set(ids.values())
    assert org.tree(session)["ops"].name == "運用本部"
    assert org.tree(session, at=T0)["ops"].name == "運用部"


def test_a_loop_in_the_tree_is_refused(session: Session, staff: Staff) -> None:
    org.write_units(session, TREE, staff.charlie)
    with pytest.raises(StoreError, match="loop: hq > ops-1 > ops > hq"):
        org.write_units(session, [UnitRecord("hq", "本社", parent="ops-1")], staff.charlie)


def test_people_belong_to_units_and_unknown_units_are_refused(
    session: Session, staff: Staff
) -> None:
    org.write_units(session, TREE, staff.charlie)
    people.write(session, [person("bob", "Bob", unit="ops")], staff.charlie)
    assert people.load(session, ["bob"])["bob"].record.org_unit == "ops"
    with pytest.raises(StoreError, match="unknown organisation unit"):
        people.write(session, [person("charlie", "Charlie", unit="nowhere")], staff.charlie)


def test_everyone_can_be_streamed_in_chunks(session: Session, staff: Staff) -> None:
    people.write(session, [person(f"p{i:03d}", f"P {i}") for i in range(25)], staff.charlie)
    chunks = list(people.iterate(session, chunk=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert [r.ref for r in people.records(session)] == [f"p{i:03d}" for i in range(25)]
    assert people.count(session) == 25


def test_a_run_reads_everyones_current_evidence_as_it_went_in(
    session: Session, staff: Staff
) -> None:
    # What a run reads is assembled as JSON by the database, not by the ordinary reading.
    disordered = [engagement(id=ref, start=dt.date(2010, 4, 1)) for ref in ("e9", "e1", "e5")]
    everyone = [
        *(people.PersonRecord(every_kind(f"k{i}", f"種類 {i}")) for i in range(3)),
        person("bare", "空 ソラ"),
        person("order", "順 ジュン", *disordered),
        person("leaver", "去 サル", engagement()),
    ]
    people.write(session, everyone, at(staff.alice, T0))
    revised = person("order", "順 ジュン", *reversed(disordered), name_en="Jun")
    leaving = people.PersonRecord(everyone[-1].evidence, None, dt.date(2025, 4, 30))
    people.write(session, [revised, leaving], at(staff.alice, T1))
    read = {
        d.revision_id: Evidence.model_validate_json(d.document)
        for d in people.documents(session, (0, 10**9))
    }
    current = people.load(session, [r.ref for r in everyone])
    assert read == {
        s.revision_id: s.record.evidence for s in current.values() if s.record.left_on is None
    }
    assert [e.id for e in read[current["order"].revision_id].engagements] == ["e5", "e1", "e9"]
