"""The standings kept as runs are stored answer as the rule of the latest assessment does
(the skill map, the level counts, the gaps): whatever runs (of everyone or of a unit, of any
day, in any order), edits, moves and leaves came before."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from itss.catalogue.catalogue import Catalogue
from itss.demo import generate_people
from itss.engine.evaluate import Evaluator
from itss.store import assessing, migrate, org, people, targets, views
from itss.store.database import Store
from itss.store.models import (
    FILL_FACTOR,
    AssessmentLevel,
    AssessmentRow,
    AssessmentRun,
    Person,
    PersonRevision,
    StandingCount,
)
from tests.database import Staff
from tests.store.test_assessing import UNITS

RUN_DAYS = [dt.date(2025, 1, 1), dt.date(2025, 10, 1), dt.date(2026, 4, 1)]
LEAVE_DAYS = [dt.date(2025, 6, 30), dt.date(2026, 4, 1), dt.date(2030, 1, 1), None]
READ_DAYS = [None, dt.date(2026, 4, 1), dt.date(2027, 1, 1), dt.date(2025, 10, 1)]
FIELD = "itsm.operations"
PEOPLE = 12


@pytest.fixture
def staffed(store: Store, framework: Catalogue, staff: Staff) -> list[people.PersonRecord]:
    records = [
        people.PersonRecord(e, "ops" if i % 2 else "cs")
        for i, e in enumerate(generate_people(framework, PEOPLE, seed=8))
    ]

    def setup(session: Session) -> None:
        org.write_units(session, UNITS, staff.charlie)
        people.write(session, records, staff.charlie)
        plan = [
            targets.TargetRecord("hq", FIELD, 1, 20, dt.date(2024, 4, 1)),
            targets.TargetRecord("ops", FIELD, 2, 5, dt.date(2024, 4, 1)),
        ]
        targets.add_targets(session, plan, staff.charlie, fields=framework.fields)

    store.run(setup)
    return records


def _expected_map(session: Session, day: dt.date | None, unit: str | None) -> dict[str, Any]:
    """The skill map worked out here from every stored assessment, by the rule: each
    person's assessment with the latest as-of date by `day` (then the latest run), in the
    unit it saw them in; nobody whose current revision says they left by `day`."""
    where = None if unit is None else org.subtree(session, unit)
    query = (
        select(Person.ref, AssessmentRow.id, AssessmentRun.as_of, AssessmentRun.id)
        .add_columns(PersonRevision.org_unit_id)
        .join(AssessmentRow, AssessmentRow.person_id == Person.id)
        .join(AssessmentRun, AssessmentRun.id == AssessmentRow.run_id)
        .join(PersonRevision, PersonRevision.id == AssessmentRow.revision_id)
    )
    latest: dict[str, tuple[dt.date, int, int, int | None]] = {}
    for ref, ident, as_of, run, unit_id in session.execute(query):
        if (day is None or as_of <= day) and (as_of, run) > latest.get(ref, (as_of, -1))[:2]:
            latest[ref] = (as_of, run, ident, unit_id)
    left = {r for r, on in _leave_dates(session).items() if on and (day is None or on <= day)}
    shown = {
        ref: ident
        for ref, (_, _, ident, unit_id) in latest.items()
        if ref not in left and (where is None or unit_id in where)
    }
    levels = session.execute(select(AssessmentLevel)).scalars()
    found: dict[str, dict[str, int]] = {ref: {} for ref in shown}
    by_id = {ident: ref for ref, ident in shown.items()}
    for level in levels:
        if level.assessment_id in by_id:
            found[by_id[level.assessment_id]][level.field] = level.level
    return found


def _leave_dates(session: Session) -> dict[str, dt.date | None]:
    """Each person's leave date, as their current (highest-numbered) revision says."""
    query = (
        select(Person.ref, PersonRevision.left_on)
        .join(PersonRevision, PersonRevision.person_id == Person.id)
        .order_by(PersonRevision.number)
    )
    return dict(session.execute(query).all())


def _tally(expected: dict[str, dict[str, int]]) -> dict[str, dict[int, int]]:
    found: dict[str, Counter[int]] = {}
    for levels in expected.values():
        for fld, level in levels.items():
            found.setdefault(fld, Counter())[level] += 1
    return {f: dict(sorted(c.items())) for f, c in sorted(found.items())}


def _having(expected: dict[str, dict[str, int]], level: int) -> int:
    return sum(1 for levels in expected.values() if levels.get(FIELD, 0) >= level)


def _assert_the_views_answer_as_the_rule(store: Store) -> None:
    with store.transaction() as session:
        for day in READ_DAYS:
            for unit in (None, "hq", "ops"):
                expected = _expected_map(session, day, unit)
                shown = views.skill_map(session, day=day, unit=unit)
                assert {r.ref: {f: v for f, (v, _) in r.levels.items()} for r in shown} == (
                    expected
                ), (day, unit)
                counted = views.level_counts(session, day=day, unit=unit)
                assert counted == _tally(expected), (day, unit)
            if day is not None:
                have = {g.target.unit: g.have for g in targets.gaps(session, day)}
                hq = _having(_expected_map(session, day, "hq"), 1)
                ops = _having(_expected_map(session, day, "ops"), 2)
                assert have == {"hq": hq, "ops": ops}, day


step = st.one_of(
    st.tuples(st.just("run"), st.sampled_from(RUN_DAYS), st.sampled_from([None, "ops", "cs"])),
    st.tuples(st.just("edit"), st.integers(0, PEOPLE - 1), st.booleans()),
    st.tuples(st.just("move"), st.integers(0, PEOPLE - 1), st.sampled_from(["ops", "cs", "hq"])),
    st.tuples(st.just("leave"), st.integers(0, PEOPLE - 1), st.sampled_from(LEAVE_DAYS)),
)


def _apply(
    store: Store,
    evaluator: Evaluator,
    records: list[people.PersonRecord],
    staff: Staff,
    action: tuple[Any, ...],
) -> None:
    kind, what, how = action
    if kind == "run":
        units = None
        if how is not None:
            with store.transaction() as session:
                units = tuple(org.subtree(session, how))
        assessing.assess_all(store, evaluator, what, staff.charlie, units=units)
        return
    record = records[what]
    if kind == "edit":
        kept = record.evidence.engagements[1:] if how else record.evidence.engagements
        record = people.PersonRecord(
            record.evidence.model_copy(update={"engagements": kept}), record.org_unit
        )
    elif kind == "move":
        record = people.PersonRecord(record.evidence, how)
    else:
        record = people.PersonRecord(record.evidence, record.org_unit, left_on=how)
    records[what] = record
    store.run(lambda s: people.write(s, [record], staff.charlie))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_the_views_answer_as_the_rule_after_any_history(
    store: Store,
    framework: Catalogue,
    staffed: list[people.PersonRecord],
    staff: Staff,
    steps: list[tuple[Any, ...]],
) -> None:
    """Each example goes on from the database the examples before it left: the histories
    only grow longer, and the skill map, the counts and the gaps must answer as the rule
    does after every one."""
    evaluator = Evaluator(framework)
    for action in steps:
        _apply(store, evaluator, staffed, staff, action)
    _assert_the_views_answer_as_the_rule(store)


def test_a_run_in_worker_processes_keeps_the_counts(
    store: Store, framework: Catalogue, staffed: list[people.PersonRecord], staff: Staff
) -> None:
    evaluator = Evaluator(framework)
    assessing.assess_all(store, evaluator, RUN_DAYS[1], staff.charlie, jobs=2, chunk=5)
    moved = people.PersonRecord(staffed[0].evidence, "ops")
    store.run(lambda s: people.write(s, [moved], staff.charlie))
    assessing.assess_all(store, evaluator, RUN_DAYS[2], staff.charlie, jobs=2, chunk=5)
    _assert_the_views_answer_as_the_rule(store)
    with store.transaction() as session:
        assert len(views.skill_map(session, day=None)) == PEOPLE


def _stored_counts(store: Store) -> set[tuple[Any, ...]]:
    with store.transaction() as session:
        query = select(
            StandingCount.org_unit_id,
            StandingCount.field,
            StandingCount.level,
            StandingCount.people,
        )
        return {tuple(row) for row in session.execute(query)}


def test_the_upgrade_counts_what_was_stored_before_it(
    store: Store, framework: Catalogue, staffed: list[people.PersonRecord], staff: Staff
) -> None:
    """Schema 0012 finds each person's standing assessment among those stored before it, as
    the runs that come after it keep it."""
    evaluator = Evaluator(framework)
    for day in (RUN_DAYS[2], RUN_DAYS[0], RUN_DAYS[1]):  # the last made is not the latest
        assessing.assess_all(store, evaluator, day, staff.charlie)
    kept = _stored_counts(store)
    assert kept
    migrate.downgrade(store, "0011")
    with store.engine.connect() as connection:
        tables = connection.execute(text("SELECT * FROM assessments")).all()
    assert len(tables) == 3 * PEOPLE
    migrate.upgrade(store)
    assert _stored_counts(store) == kept
    _assert_the_views_answer_as_the_rule(store)


def test_standings_are_kept_across_the_upgrade_that_updates_them_in_place(
    store: Store, framework: Catalogue, staffed: list[people.PersonRecord], staff: Staff
) -> None:
    """Schema 0014 keeps every standing, and the runs after it move them as before; on
    PostgreSQL, each page of standings has room for the next version of its rows, and no
    index holds the assessment a run changes (or no update could stay in its page)."""
    evaluator = Evaluator(framework)
    assessing.assess_all(store, evaluator, RUN_DAYS[0], staff.charlie)
    kept = _stored_counts(store)
    migrate.downgrade(store, "0013")
    migrate.upgrade(store)
    assert _stored_counts(store) == kept
    assessing.assess_all(store, evaluator, RUN_DAYS[1], staff.charlie)
    _assert_the_views_answer_as_the_rule(store)
    if store.url.get_backend_name() == "postgresql":
        with store.engine.connect() as connection:
            options = connection.scalar(
                text("SELECT reloptions FROM pg_class WHERE relname = 'standings'")
            )
            indexed = connection.scalars(text(INDEXED_COLUMNS), {"table": "standings"}).all()
        assert options == [f"fillfactor={FILL_FACTOR}"]
        assert "assessment_id" not in indexed


def test_people_without_a_unit_counted_twice_are_merged_by_the_upgrade_that_refuses_it(
    store: Store,
) -> None:
    migrate.downgrade(store, "0014")
    with store.engine.begin() as connection:
        connection.execute(text(UNITLESS_TWICE))
    migrate.upgrade(store)
    with store.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT org_unit_id, field, level, people FROM standing_counts ORDER BY id")
        ).all()
    assert [tuple(row) for row in rows] == [(None, "f", 3, 7), (None, "f", 4, 1)]


UNITLESS_TWICE = """
INSERT INTO standing_counts (org_unit_id, field, level, people)
VALUES (NULL, 'f', 3, 2), (NULL, 'f', 4, 1), (NULL, 'f', 3, 5)
"""


INDEXED_COLUMNS = """
SELECT a.attname FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
WHERE t.relname = :table
"""


def test_runs_at_once_each_move_the_counts_from_what_the_other_left(
    store: Store, framework: Catalogue, staffed: list[people.PersonRecord], staff: Staff
) -> None:
    """Four runs of everyone at once, of different days: each finds the standings another
    left, or waits for it, and none counts a person twice."""
    evaluator = Evaluator(framework)
    errors: list[BaseException] = []

    def run(day: dt.date) -> None:
        try:
            assessing.assess_all(store, evaluator, day, staff.charlie, chunk=4)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    days = [*RUN_DAYS, RUN_DAYS[0]]
    threads = [threading.Thread(target=run, args=(day,)) for day in days]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    _assert_the_views_answer_as_the_rule(store)
