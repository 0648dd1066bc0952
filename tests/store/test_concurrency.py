"""Writers at the same time: the database refuses the second of two racing writes, the store
starts that one again from a fresh read, and no update is lost."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from itss.store import people
from itss.store.change import Change
from itss.store.database import Store
from itss.store.errors import ConflictError, LostRaceError, StaleError, StoreError
from itss.store.models import AssessmentRun, PersonRevision
from tests.database import Staff
from tests.store.factories import engagement, person

Edit = Callable[[people.PersonRecord], people.PersonRecord]


def _adding(ref: str) -> Edit:
    """An edit that adds one engagement to whatever the person has now."""

    def edit(current: people.PersonRecord) -> people.PersonRecord:
        added = [*current.evidence.engagements, engagement(id=ref)]
        return people.PersonRecord(
            current.evidence.model_copy(update={"engagements": added}), current.org_unit
        )

    return edit


def _engagements(store: Store) -> list[str]:
    with store.transaction() as session:
        return [e.id for e in people.load(session, ["alice"])["alice"].record.evidence.engagements]


def test_two_writers_who_read_the_same_revision_both_land(store: Store, staff: Staff) -> None:
    """alice and bob both read revision 1, then both write: bob's write is refused by the
    database and redone from revision 2, so both engagements are there. On SQLite writers
    cannot both read first: each takes the write lock before it reads, so they queue."""
    queued = store.url.get_backend_name() == "sqlite"
    store.run(lambda s: people.write(s, [person("alice", "Alice")], staff.charlie))
    both_read = threading.Barrier(2, timeout=20)
    attempts: dict[str, int] = {"alice": 0, "bob": 0}
    errors: list[BaseException] = []

    def writer(change: Change, ref: str) -> None:
        def work(session: Session) -> int:
            attempts[change.by] += 1
            current = people.load(session, ["alice"])["alice"]
            if attempts[change.by] == 1 and not queued:
                both_read.wait()  # both now hold revision 1
            edited = _adding(ref)(current.record)
            try:
                return people.record(session, edited, change, expected=current.number)
            except StaleError:
                # On PostgreSQL (read committed) the other writer may commit between this
                # transaction's read and its write: the same lost race as the database's own
                # refusal, and run again alike.
                values = {"url": "-", "detail": "committed between the read and the write"}
                raise LostRaceError(key="store.lost_race", values=values) from None

        try:
            store.run(work, attempts=10)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=(staff.alice, "from-alice")),
        threading.Thread(target=writer, args=(staff.bob, "from-bob")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(_engagements(store)) == ["from-alice", "from-bob"]
    # Exactly one of them had to start again, unless they queued.
    assert sorted(attempts.values()) == ([1, 1] if queued else [1, 2])
    with store.transaction() as session:
        assert [r.number for r in people.history(session, "alice")] == [1, 2, 3]


def _four_writers(store: Store, works: Callable[[str], list[Callable[[Session], object]]]) -> None:
    """Four threads at once, each running its own works one after the other; none fails."""
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        for work in works(name):
            try:
                store.run(work, attempts=100)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors


def test_many_writers_lose_nothing(store: Store, staff: Staff) -> None:
    store.run(lambda s: people.write(s, [person("alice", "Alice")], staff.charlie))

    def amending(name: str, n: int) -> Callable[[Session], object]:
        edit, change = _adding(f"{name}-{n}"), Change(name, "test")
        return lambda session: people.amend(session, "alice", edit, change)

    _four_writers(store, lambda name: [amending(name, n) for n in range(5)])
    assert len(_engagements(store)) == 20
    with store.transaction() as session:
        assert len(people.history(session, "alice")) == 21


def test_writers_adding_new_people_at_once_each_get_their_own(store: Store, staff: Staff) -> None:
    """New people are read back by id range: rows of writers who committed meanwhile fall in
    the range too, and must not be taken for one's own."""

    def adding(name: str, round_: int) -> Callable[[Session], object]:
        refs = [f"{name}-{round_}-{n}" for n in range(20)]
        records = [person(ref, ref, engagement(id=f"{ref}-e")) for ref in refs]
        return lambda session: people.write(session, records, staff.alice)

    _four_writers(store, lambda name: [adding(name, r) for r in range(5)])
    with store.transaction() as session:
        assert people.count(session) == 400
        stored = [p for chunk in people.iterate(session) for p in chunk]
    assert len(stored) == 400
    for found in stored:
        evidence = found.record.evidence
        assert found.number == 1
        assert evidence.person.name == evidence.person.id
        assert [e.id for e in evidence.engagements] == [f"{evidence.person.id}-e"]


def test_an_edit_based_on_an_old_read_is_refused_not_applied(store: Store, staff: Staff) -> None:
    """Interactive edits name the revision they started from; a stale one is a conflict."""
    store.run(lambda s: people.write(s, [person("alice", "Alice")], staff.charlie))
    with store.transaction() as session:
        seen = people.load(session, ["alice"])["alice"]
    store.run(lambda s: people.amend(s, "alice", _adding("by-bob"), staff.bob))
    stale = _adding("by-alice")(seen.record)
    with pytest.raises(ConflictError, match="changed meanwhile"):
        store.run(lambda s: people.record(s, stale, staff.alice, expected=seen.number))
    assert _engagements(store) == ["by-bob"]


def test_only_keys_that_writers_race_for_count_as_a_lost_race(store: Store, staff: Staff) -> None:
    """A duplicate revision number is a race (try again); a duplicate elsewhere is a bug."""
    store.run(lambda s: people.write(s, [person("alice", "Alice")], staff.charlie))
    revision = {
        "person_id": 1,
        "number": 1,
        "recorded_at": staff.alice.at,
        "recorded_by": "alice",
        "source": "t",
        "name": "A",
        "name_en": None,
        "org_unit_id": None,
    }
    with pytest.raises(LostRaceError), store.transaction() as session:
        session.execute(insert(PersonRevision), [revision])
    run = {
        "id": 1,
        "started_at": staff.charlie.at,
        "started_by": "charlie",
        "as_of": dt.date(2026, 4, 1),
        "framework_version": "v",
        "policy_name": "p",
        "policy_readings": {},
    }
    with pytest.raises(StoreError) as caught, store.transaction() as session:
        session.execute(insert(AssessmentRun), [run, run])
    assert not isinstance(caught.value, LostRaceError)


def test_worker_processes_read_what_the_run_read(store: Store, staff: Staff) -> None:
    """A run's workers read through the run's exported snapshot (PostgreSQL): a person added
    by another writer during the run is not half-seen by some of them. SQLite needs no
    snapshot, since the run's write lock keeps every other writer out until it ends."""
    store.run(lambda s: people.write(s, [person("alice", "Alice")], staff.charlie))
    with store.transaction() as session:
        token = store.export_snapshot(session)
        if store.url.get_backend_name() == "sqlite":
            assert token is None
            return
        assert people.count(session) == 1
        store.run(lambda s: people.write(s, [person("bob", "Bob")], staff.charlie))
        with store.reading(token) as seen:
            assert people.count(seen) == 1
        with store.reading(None) as latest:
            assert people.count(latest) == 2
