"""Assessment runs: snapshots equal the engine's verdicts, are kept, and answer for any date."""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from itss.catalogue.catalogue import Catalogue
from itss.demo import generate_people
from itss.engine.evaluate import Evaluator
from itss.engine.evidence import Evidence
from itss.io.exporter import write_skillmap
from itss.io.snapshot import decode, encode
from itss.store import assessing, codec, database, migrate, org, people, targets, views
from itss.store.change import Change
from itss.store.database import Store
from itss.store.errors import StoreError
from itss.store.models import AssessmentLevel, AssessmentRow
from itss.store.org import UnitRecord
from tests.database import Staff, planned_rows

AS_OF = dt.date(2026, 4, 1)
UNITS = [
    UnitRecord("hq", "本社"),
    UnitRecord("ops", "運用部", parent="hq"),
    UnitRecord("cs", "CS部", parent="hq"),
]


@pytest.fixture
def organisation(store: Store, framework: Catalogue, staff: Staff) -> list[people.PersonRecord]:
    """Thirty synthetic people spread over two units."""
    records = [
        people.PersonRecord(e, "ops" if i % 2 else "cs")
        for i, e in enumerate(generate_people(framework, 30, seed=5))
    ]

    def setup(session: Session) -> None:
        org.write_units(session, UNITS, staff.charlie)
        people.write(session, records, staff.charlie)

    store.run(setup)
    return records


def _run(
    store: Store,
    evaluator: Evaluator,
    day: dt.date = AS_OF,
    jobs: int = 1,
    *,
    explained: bool = False,
) -> assessing.RunSummary:
    change = Change("charlie", "t")
    return assessing.assess_all(store, evaluator, day, change, jobs=jobs, explained=explained)


def test_snapshots_hold_the_engines_levels_and_verdicts(
    store: Store, framework: Catalogue, organisation: list[people.PersonRecord]
) -> None:
    evaluator = Evaluator(framework)
    summary = _run(store, evaluator, explained=True)
    assert summary.people == 30
    with store.transaction() as session:
        rows = {r.ref: r.levels for r in views.skill_map(session)}
        for record in organisation:
            expected = evaluator.assess(record.evidence, AS_OF)
            assert rows[record.ref] == {
                f.field: (f.level, f.provisional_level) for f in expected.fields
            }
            stored = views.stored(session, record.ref)
            assert stored is not None
            assert stored.snapshot is not None
            assert decode(stored.snapshot) == decode(encode(expected))


def test_worker_processes_give_the_same_snapshots(
    store: Store, framework: Catalogue, organisation: list[people.PersonRecord]
) -> None:
    evaluator = Evaluator(framework)
    one = _run(store, evaluator, jobs=1, explained=True)
    two = _run(store, evaluator, jobs=2, explained=True)
    with store.transaction() as session:

        def snapshots(run_id: int) -> list[tuple[int, bytes]]:
            query = (
                select(AssessmentRow.person_id, AssessmentRow.codec, AssessmentRow.snapshot)
                .where(AssessmentRow.run_id == run_id)
                .order_by(AssessmentRow.person_id)
            )
            rows = session.execute(query)
            return [(p, codec.decompress(c, r)) for p, c, r in rows if c and r]

        assert len(snapshots(one.run_id)) == 30
        assert snapshots(one.run_id) == snapshots(two.run_id)
        assert views.distribution(session, one.run_id) == views.distribution(session, two.run_id)


def test_levels_on_a_past_date_come_from_the_run_of_that_time(
    store: Store, framework: Catalogue, staff: Staff
) -> None:
    evaluator = Evaluator(framework)

    def levels(evidence: Evidence, day: dt.date) -> dict[str, tuple[int, int]]:
        return {
            f.field: (f.level, f.provisional_level) for f in evaluator.assess(evidence, day).fields
        }

    def early(evidence: Evidence) -> Evidence:
        return evidence.model_copy(update={"engagements": evidence.engagements[:1]})

    senior = next(
        e
        for e in generate_people(framework, 50, seed=2)
        if levels(e, AS_OF) != levels(early(e), dt.date(2024, 4, 1))
    )
    junior = early(senior)
    store.run(lambda s: people.write(s, [people.PersonRecord(junior)], staff.alice))
    _run(store, evaluator, dt.date(2024, 4, 1))
    store.run(lambda s: people.write(s, [people.PersonRecord(senior)], staff.alice))
    _run(store, evaluator, AS_OF)
    ref = senior.person.id
    with store.transaction() as session:
        before = views.levels_on(session, ref, dt.date(2025, 1, 1))
        now = views.levels_on(session, ref, AS_OF)
        assert views.levels_on(session, ref, dt.date(2023, 1, 1)) == {}
    assert before == levels(junior, dt.date(2024, 4, 1))
    assert now == levels(senior, AS_OF) != before


def test_a_new_run_leaves_earlier_snapshots_untouched(
    store: Store, framework: Catalogue, organisation: list[people.PersonRecord]
) -> None:
    evaluator = Evaluator(framework)
    first = _run(store, evaluator)
    query = select(AssessmentLevel).order_by(AssessmentLevel.assessment_id, AssessmentLevel.field)
    with store.transaction() as session:
        kept = [(r.assessment_id, r.field, r.level) for r in session.scalars(query)]
    second = _run(store, evaluator, dt.date(2027, 4, 1))
    with store.transaction() as session:
        again = [(r.assessment_id, r.field, r.level) for r in session.scalars(query)]
        assert again[: len(kept)] == kept
        counts = views.distribution(session, second.run_id)
    assert second.run_id == first.run_id + 1
    assert sum(sum(c.values()) for c in counts.values()) > 0


def test_the_skill_map_of_a_unit_includes_the_units_below(
    store: Store, framework: Catalogue, organisation: list[people.PersonRecord], tmp_path: Path
) -> None:
    _run(store, Evaluator(framework))
    with store.transaction() as session:
        everyone = views.skill_map(session)
        ops = views.skill_map(session, unit="ops")
        assert len(views.skill_map(session, unit="hq")) == len(everyone) == 30
    assert {r.org_unit for r in ops} == {"ops"}
    assert len(ops) == 15
    lines = [(r.ref, r.name, r.org_unit, r.levels) for r in ops]
    [path] = write_skillmap(tmp_path / "map.xlsx", lines, framework, lang="en")
    sheet = openpyxl.load_workbook(path)["skillmap"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["person_id", "name", "org_unit"]
    assert header[3:] == [f"{f.name.get('en')} [{i}]" for i, f in framework.fields.items()]
    assert sheet.freeze_panes == "D2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}1"
    first = ops[0]
    row = [c.value for c in sheet[2]]
    assert row[0] == first.ref
    assert {f: v for f, v in zip(framework.fields, row[3:], strict=True) if v is not None} == {
        f: lv for f, (lv, _) in first.levels.items()
    }


@pytest.mark.parametrize(("unit", "offset", "limit"), [(None, 0, 7), (None, 28, 7), ("ops", 3, 5)])
def test_a_page_of_the_skill_map_and_the_counts_agree_with_the_whole_map(
    store: Store,
    framework: Catalogue,
    organisation: list[people.PersonRecord],
    unit: str | None,
    offset: int,
    limit: int,
) -> None:
    _run(store, Evaluator(framework), dt.date(2025, 4, 1))
    _run(store, Evaluator(framework))  # a later run: only each person's latest counts
    with store.transaction() as session:
        whole = views.skill_map(session, unit=unit)
        total, page = views.skill_map_page(session, day=None, unit=unit, offset=offset, limit=limit)
        counts = views.level_counts(session, day=None, unit=unit)
    assert total == len(whole) == (30 if unit is None else 15)
    assert page == whole[offset : offset + limit]
    expected: dict[str, Counter[int]] = {}
    for row in whole:
        for field, (level, _) in row.levels.items():
            expected.setdefault(field, Counter())[level] += 1
    assert counts == {f: dict(c) for f, c in expected.items()}


def test_targets_in_force_and_the_gaps_against_them(
    store: Store, framework: Catalogue, organisation: list[people.PersonRecord], staff: Staff
) -> None:
    _run(store, Evaluator(framework))
    field = "itsm.operations"
    plan = [
        targets.TargetRecord("hq", field, 1, 10, dt.date(2025, 4, 1)),
        targets.TargetRecord("hq", field, 1, 50, dt.date(2026, 1, 1)),
        targets.TargetRecord("ops", field, 3, 2, dt.date(2025, 4, 1), dt.date(2025, 12, 31)),
    ]
    store.run(lambda s: targets.add_targets(s, plan, staff.charlie, fields=framework.fields))
    with store.transaction() as session:
        assert targets.targets_on(session, dt.date(2025, 6, 1)) == [plan[0], plan[2]]
        gaps = targets.gaps(session, AS_OF)
        levels = [r.levels.get(field, (0, 0))[0] for r in views.skill_map(session)]
    assert [g.target for g in gaps] == [plan[1]]
    assert gaps[0].have == Counter(lv >= 1 for lv in levels)[True]
    assert gaps[0].missing == 50 - gaps[0].have
    with pytest.raises(StoreError, match="exists already"):
        store.run(lambda s: targets.add_targets(s, plan[:1], staff.charlie))
    with pytest.raises(StoreError, match="unknown specialty field"):
        store.run(
            lambda s: targets.add_targets(
                s,
                [targets.TargetRecord("hq", "nope", 1, 1, AS_OF)],
                staff.charlie,
                fields=framework.fields,
            )
        )


def test_snapshots_survive_the_codec_migration_both_ways(
    store: Store, framework: Catalogue, organisation: list[people.PersonRecord]
) -> None:
    """0002 labels old zlib rows and writes zstd; going back to 0001 recompresses as zlib."""
    evaluator = Evaluator(framework)
    _run(store, evaluator, explained=True)
    refs = [record.ref for record in organisation]

    def stored() -> dict[str, dict[str, object] | None]:
        with store.transaction() as session:
            found = {ref: views.stored(session, ref) for ref in refs}
        return {r: decode(s.snapshot) if s and s.snapshot else None for r, s in found.items()}

    before = stored()
    assert all(before.values())
    migrate.downgrade(store, "0001")
    with store.engine.connect() as connection:
        old = connection.execute(text("SELECT snapshot_zlib FROM assessments")).scalars().all()
    assert len(old) == len(refs)
    assert {decode(zlib.decompress(blob))["person"] for blob in old} == set(refs)
    migrate.upgrade(store)
    assert stored() == before
    _run(store, evaluator, AS_OF + dt.timedelta(days=1), explained=True)
    with store.transaction() as session:
        codecs = Counter(session.scalars(select(AssessmentRow.codec)))
    assert codecs == {"zlib": len(refs), "zstd": len(refs)}


def test_a_run_of_levels_alone_keeps_the_schema_from_going_back(
    store: Store, framework: Catalogue, organisation: list[people.PersonRecord]
) -> None:
    """Schema 0010 has no place for an assessment without its snapshot: going down is
    refused, and nothing is changed."""
    summary = _run(store, Evaluator(framework))
    with pytest.raises(RuntimeError, match="30 stored assessments keep their levels alone"):
        migrate.downgrade(store, "0010")
    migrate.require_current(store)
    with store.transaction() as session:
        kept = session.execute(
            select(AssessmentRow.snapshot).where(AssessmentRow.run_id == summary.run_id)
        ).scalars()
        assert list(kept) == [None] * 30
        assert len(views.skill_map(session)) == 30


DAYS = [dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2025, 11, 1), AS_OF, None]


@pytest.fixture
def several_runs(
    store: Store, framework: Catalogue, organisation: list[people.PersonRecord], staff: Staff
) -> None:
    """Runs of everyone and of one unit, one of a past day made later, the same day run
    again after an edit, and a leaver."""
    evaluator = Evaluator(framework)
    _run(store, evaluator, dt.date(2025, 4, 1))
    with store.transaction() as session:
        ops = org.subtree(session, "ops")
    assessing.assess_all(store, evaluator, AS_OF, staff.charlie, units=tuple(ops))
    _run(store, evaluator, dt.date(2025, 10, 1))  # made later, of an earlier day
    first = organisation[1]  # of ops: no engagements now, and the same day assessed again
    emptied = first.evidence.model_copy(update={"engagements": []})
    store.run(lambda s: people.write(s, [people.PersonRecord(emptied, "ops")], staff.charlie))
    assessing.assess_all(store, evaluator, dt.date(2025, 10, 1), staff.charlie, units=tuple(ops))
    leaver = people.PersonRecord(organisation[3].evidence, "ops", left_on=dt.date(2025, 6, 30))
    store.run(lambda s: people.write(s, [leaver], staff.charlie))


def _expected_levels(session: Session, day: dt.date | None) -> dict[str, dict[str, int]]:
    """Each person's levels on `day`, from their whole history: the latest as-of date by
    then, the later run of a day; leavers by then left out."""
    found = {}
    for ref in sorted(session.scalars(text("SELECT ref FROM people"))):
        left_on = session.scalar(
            text(
                "SELECT left_on FROM person_revisions r JOIN people p ON p.id = r.person_id"
                " WHERE p.ref = :ref ORDER BY r.number DESC LIMIT 1"
            ),
            {"ref": ref},
        )
        if left_on is not None and (day is None or str(left_on) <= str(day)):
            continue
        runs = [r for r in views.history(session, ref) if day is None or r.as_of <= day]
        if runs:
            latest = max(runs, key=lambda r: (r.as_of, r.run_id))
            found[ref] = {f: level for f, (level, _) in latest.levels.items()}
    return found


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_maps_counts_and_gaps_agree_with_each_persons_history(
    store: Store, framework: Catalogue, several_runs: None, staff: Staff, day: dt.date | None
) -> None:
    field = "itsm.operations"
    plan = [
        targets.TargetRecord("hq", field, 1, 20, dt.date(2024, 4, 1)),
        targets.TargetRecord("ops", field, 2, 5, dt.date(2024, 4, 1)),
        targets.TargetRecord("cs", "cs.hardware", 1, 5, dt.date(2024, 4, 1)),
    ]
    store.run(lambda s: targets.add_targets(s, plan, staff.charlie, fields=framework.fields))
    with store.transaction() as session:
        expected = _expected_levels(session, day)
        whole = {
            r.ref: {f: lv for f, (lv, _) in r.levels.items()}
            for r in views.skill_map(session, day=day)
        }
        counts = views.level_counts(session, day=day, unit=None)
        in_ops = {r.ref for r in views.skill_map(session, day=day, unit="ops")}
        gaps = targets.gaps(session, day or AS_OF)
        ops_gaps = targets.gaps(session, day or AS_OF, unit="ops")
    assert whole == expected
    tally: dict[str, Counter[int]] = {}
    for levels in expected.values():
        for fld, level in levels.items():
            tally.setdefault(fld, Counter())[level] += 1
    assert counts == {f: dict(c) for f, c in tally.items()}
    assert in_ops <= set(expected)
    if day is None:
        return
    have = {g.target.unit: g.have for g in gaps}
    hq = sum(1 for levels in expected.values() if levels.get(field, 0) >= 1)
    ops = sum(1 for ref in in_ops if expected[ref].get(field, 0) >= 2)
    assert have == {"hq": hq, "ops": ops, "cs": have["cs"]}
    assert [g.target.unit for g in ops_gaps] == ["ops"]
    assert ops_gaps[0].have == ops


@pytest.mark.parametrize(("threshold", "analysed"), [(30, True), (31, False)])
def test_a_large_run_refreshes_the_planners_statistics_of_what_it_wrote(
    store: Store,
    framework: Catalogue,
    organisation: list[people.PersonRecord],
    monkeypatch: pytest.MonkeyPatch,
    threshold: int,
    analysed: bool,
) -> None:
    monkeypatch.setattr(database, "LARGE_WRITE", threshold)
    _run(store, Evaluator(framework))  # thirty people
    postgres = store.url.get_backend_name() == "postgresql"
    assert planned_rows(store, "assessments") == (30 if analysed and postgres else -1)
