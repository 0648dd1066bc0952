"""The use cases every front end shares, called as a front end calls them."""

from __future__ import annotations

import csv
import datetime as dt
import gc
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from itss.engine.evaluate import ENGINE_VERSION
from itss.io.report import report
from itss.services import (
    assessments,
    database,
    demo,
    evidence_files,
    framework,
    framework_files,
    organisation,
    reviews,
    transfer,
)
from itss.services.context import Actor, Context
from itss.settings import Settings
from itss.store import database as store_database
from itss.store.errors import NotInitialisedError, StoreError
from itss.store.targets import TargetRecord
from tests.database import planned_rows
from tests.services.conftest import make_context

AS_OF = dt.date(2026, 4, 1)
ROOT = Path(__file__).resolve().parents[2]


def _demo(ctx: Context, count: int = 20) -> assessments.RunReport:
    return demo.run(ctx, count, 3, AS_OF)


@pytest.mark.parametrize("explained", [False, True], ids=["levels alone", "explained"])
def test_a_stored_assessment_renders_the_same_report_as_a_fresh_one(
    ctx: Context, explained: bool
) -> None:
    """The whole report, both languages, every verdict: not only the message keys. Over the
    demo organisation (300 people), assessed in bulk by two worker processes, each compared
    with the same evidence assessed alone: kept verdicts decoded, or made again."""
    demo.populate(ctx, 300, 3, AS_OF)
    assessments.assess_everyone(ctx, AS_OF, jobs=2, explained=explained)
    rows = organisation.skill_map(ctx)
    assert len(rows) == 300
    with ctx.ready.transaction() as session:
        from itss.store import people  # noqa: PLC0415 - the evidence as the run read it

        records = people.load(session, [r.ref for r in rows])
    for row in rows:
        stored = assessments.stored(ctx, row.ref)
        fresh = ctx.evaluator.assess(records[row.ref].record.evidence, AS_OF)
        assert report(ctx.framework, stored.assessment) == report(ctx.framework, fresh)
        assert stored.revision == records[row.ref].number


def _policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "format: itss-policy/1\nname: literal\nreadings:\n  size-upper-bounds: literal\n",
        encoding="utf-8",
    )
    return path


def test_verdicts_made_again_use_the_runs_policy_not_the_readers(
    ctx: Context, tmp_path: Path
) -> None:
    """A run under another policy than the reader's is explained under its own policy."""
    demo.populate(ctx, 60, 3, AS_OF)
    settings = Settings(database_url=ctx.url, policy_file=_policy(tmp_path))
    with Context(settings, Actor("charlie")) as literal:
        assessments.assess_everyone(literal, AS_OF)
        evaluator = literal.evaluator
    refs = [row.ref for row in organisation.skill_map(ctx)]
    with ctx.ready.transaction() as session:
        from itss.store import people  # noqa: PLC0415 - the evidence as the run read it

        records = people.load(session, refs)
    differ = 0
    for ref in refs:
        evidence = records[ref].record.evidence
        stored = assessments.stored(ctx, ref).assessment
        again = evaluator.assess(evidence, AS_OF)
        assert report(ctx.framework, stored) == report(ctx.framework, again)
        differ += stored.fields != ctx.evaluator.assess(evidence, AS_OF).fields
    assert differ > 0  # the reader's own policy would have told another story


def _tamper(ctx: Context, statement: str) -> None:
    with ctx.ready.transaction() as session:
        session.execute(text(statement))


@pytest.mark.parametrize("explained", [False, True], ids=["levels alone", "explained"])
def test_another_engine_version_cannot_make_the_verdicts_again(
    ctx: Context, explained: bool
) -> None:
    """A run that kept its levels alone is explained only by the engine version that made
    it; one that kept its verdicts is read by any."""
    demo.populate(ctx, 5, 3, AS_OF)
    assessments.assess_everyone(ctx, AS_OF, explained=explained)
    ref = organisation.skill_map(ctx)[0].ref
    before = assessments.stored(ctx, ref).assessment
    _tamper(ctx, "UPDATE assessment_runs SET engine_version = '0'")
    if explained:
        assert assessments.stored(ctx, ref).assessment == before
        return
    message = f"made by version 0 of the engine; this is version {ENGINE_VERSION}"
    with pytest.raises(StoreError, match=message):
        assessments.stored(ctx, ref)
    assert assessments.history(ctx, ref)[0].levels  # the levels stay readable


def test_levels_that_the_verdicts_made_again_do_not_give_are_reported(ctx: Context) -> None:
    demo.populate(ctx, 5, 3, AS_OF)
    assessments.assess_everyone(ctx, AS_OF)
    ref = organisation.skill_map(ctx)[0].ref
    _tamper(ctx, "UPDATE assessment_levels SET provisional_level = 7, level = 7")
    with pytest.raises(StoreError, match="gives other levels when made again"):
        assessments.stored(ctx, ref)


def test_a_run_reports_people_per_level_by_field_and_unit(ctx: Context) -> None:
    done = _demo(ctx, 30)
    assert done.run.people == 30
    assert done.by_field == organisation.distribution(ctx, done.run.run_id)
    assert set(done.by_unit) <= {u.code for u in demo.UNITS}
    per_unit = sum(sum(c.values()) for fields in done.by_unit.values() for c in fields.values())
    assert per_unit == sum(sum(c.values()) for c in done.by_field.values())


def test_history_lists_every_run_of_a_person(ctx: Context) -> None:
    _demo(ctx, 5)
    ref = organisation.skill_map(ctx)[0].ref
    assessments.assess_everyone(ctx, AS_OF + dt.timedelta(days=365))
    lines = assessments.history(ctx, ref)
    assert [line.as_of for line in lines] == [AS_OF, AS_OF + dt.timedelta(days=365)]
    assert lines[0].levels == organisation.skill_map(ctx, day=AS_OF)[0].levels
    with pytest.raises(StoreError, match="unknown person 'nobody'"):
        assessments.history(ctx, "nobody")
    with pytest.raises(StoreError, match="no stored assessment of 'x' as on 2001-01-01"):
        assessments.stored(ctx, "x", dt.date(2001, 1, 1))


def test_targets_and_gaps(ctx: Context) -> None:
    _demo(ctx)
    field = "itsm.operations"
    organisation.add_targets(ctx, [TargetRecord("hq", field, 1, 100, dt.date(2026, 1, 1))])
    [gap] = organisation.gaps(ctx, AS_OF)
    have = sum(1 for r in organisation.skill_map(ctx) if r.levels.get(field, (0, 0))[0] >= 1)
    assert (gap.have, gap.missing) == (have, 100 - have)
    with pytest.raises(StoreError, match="unknown specialty field"):
        organisation.add_targets(ctx, [TargetRecord("hq", "x.y", 1, 1, dt.date(2026, 1, 1))])


def test_an_import_is_checked_before_it_is_applied(ctx: Context, tmp_path: Path) -> None:
    bad = tmp_path / "people.csv"
    bad.write_text("person_id,name,org_unit\nalice,Alice,nowhere\n", encoding="utf-8")
    read = transfer.read_import(ctx, [bad])
    assert read.ok  # the file alone is fine: only the database knows the unit is unknown
    checked = transfer.check_import(ctx, read)
    assert [p.column for p in checked.problems] == ["org_unit"]
    assert organisation.status(ctx).people == 0
    good = tmp_path / "good.csv"
    good.write_text("person_id,name\nalice,Alice\n", encoding="utf-8")
    summary = transfer.apply_import(ctx, transfer.read_import(ctx, [good]))
    assert summary.people.created == 1
    assert organisation.status(ctx).people == 1


@pytest.mark.parametrize(("threshold", "analysed"), [(3, True), (4, False)])
def test_a_large_import_refreshes_the_planners_statistics_of_what_it_wrote(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int, analysed: bool
) -> None:
    monkeypatch.setattr(store_database, "LARGE_WRITE", threshold)
    three = tmp_path / "people.csv"
    three.write_text("person_id,name\na,A\nb,B\nc,C\n", encoding="utf-8")
    transfer.apply_import(ctx, transfer.read_import(ctx, [three]))
    postgres = ctx.ready.url.get_backend_name() == "postgresql"
    assert planned_rows(ctx.ready, "person_revisions") == (3 if analysed and postgres else -1)


def test_status_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite3"
    with make_context(f"sqlite:///{path}") as ctx:
        found = organisation.status(ctx)
        assert (found.exists, found.schema, found.current) == (False, None, False)
        with pytest.raises(NotInitialisedError, match="does not exist: run `itss db init`"):
            organisation.skill_map(ctx)
        assert not path.exists()
        database.init(ctx)
        assert organisation.status(ctx).current


def test_the_demo_refuses_a_real_organisations_database(ctx: Context, tmp_path: Path) -> None:
    people_csv = tmp_path / "people.csv"
    people_csv.write_text("person_id,name\nreal,Real Person\n", encoding="utf-8")
    transfer.apply_import(ctx, transfer.read_import(ctx, [people_csv]))
    with pytest.raises(demo.RealDataError, match="holds an organisation's own people"):
        _demo(ctx)
    assert organisation.status(ctx).people == 1
    demo.run(ctx, 3, 1, AS_OF, into_real_data=True)
    assert organisation.status(ctx).people == 4


def test_a_demo_database_takes_the_demo_again(tmp_path: Path) -> None:
    with make_context(f"sqlite:///{tmp_path / 'demo.sqlite3'}") as ctx:
        _demo(ctx, 4)
        again = _demo(ctx, 4)
        assert again.run.people == 4
        assert organisation.status(ctx).runs == 2


def test_the_skill_map_export_has_languages_and_provisional_levels(
    ctx: Context, tmp_path: Path
) -> None:
    _demo(ctx)
    [path] = transfer.export_skillmap(ctx, tmp_path / "map.xlsx", lang="ja", provisional=True)
    sheet = openpyxl.load_workbook(path)["skillmap"]
    header = [c.value for c in sheet[1]]
    name = ctx.framework.fields["itsm.operations"].name.ja
    assert f"{name} [itsm.operations]" in header
    assert f"{name} [itsm.operations](暫定)" in header
    assert len(header) == 3 + 2 * len(ctx.framework.fields)
    assert (sheet.freeze_panes, sheet.auto_filter.ref is not None) == ("D2", True)
    assert gc.isenabled()  # paused while the map was held, running again


def test_csv_exports_never_write_a_live_formula(ctx: Context, tmp_path: Path) -> None:
    """OWASP's CSV injection: text that starts a formula is written inert, and imports back
    unchanged; numbers stay numbers."""
    source = tmp_path / "people.csv"
    names = ['=HYPERLINK("http://x","x")', "+81 3 1234", "-cmd", "@SUM(A1)", "-5"]
    lines = [f'p{i},"{n.replace(chr(34), chr(34) * 2)}"' for i, n in enumerate(names)]
    source.write_text("person_id,name\n" + "\n".join(lines) + "\n", encoding="utf-8")
    transfer.apply_import(ctx, transfer.read_import(ctx, [source]))
    paths = transfer.export_evidence(ctx, tmp_path / "out.csv")
    people_csv = next(p for p in paths if p.name.endswith("-people.csv"))
    with people_csv.open(encoding="utf-8-sig") as handle:
        written = {r["person_id"]: r["name"] for r in csv.DictReader(handle)}
    assert written == {
        "p0": "'" + names[0],
        "p1": "'+81 3 1234",
        "p2": "'-cmd",
        "p3": "'@SUM(A1)",
        "p4": "-5",
    }
    again = transfer.apply_import(ctx, transfer.read_import(ctx, [people_csv]))
    assert (again.people.revised, again.people.unchanged) == (0, 5)


def test_a_file_is_assessed_on_the_day_given(ctx: Context) -> None:
    path = ROOT / "docs/examples/evidence-ja.yaml"
    early = evidence_files.assess_file(ctx, path, dt.date(2015, 1, 1))
    late = evidence_files.assess_file(ctx, path, AS_OF)
    assert (early.as_of, late.as_of) == (dt.date(2015, 1, 1), AS_OF)
    assert late.level_of("itsm.operations-management") == 4
    assert early.level_of("itsm.operations-management") < 4


def test_upgrade_refuses_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite3"
    with make_context(f"sqlite:///{path}") as ctx, pytest.raises(NotInitialisedError):
        database.upgrade(ctx)
    assert not path.exists()


def test_a_filled_template_gives_a_level(ctx: Context, tmp_path: Path) -> None:
    """Every kind of evidence has its sheet: a person written into the template (below its
    examples) reaches the level their evidence file gives."""
    from itss.io.documents import read_evidence  # noqa: PLC0415
    from itss.io.sheets import PEOPLE, SHEETS, export_row  # noqa: PLC0415

    evidence = read_evidence(ROOT / "docs/examples/evidence-ja.yaml", ctx.framework)
    [path] = framework.import_template(ctx, tmp_path / "template.xlsx")
    book = openpyxl.load_workbook(path)
    person = {"person_id": evidence.person.id, "name": evidence.person.name}
    book["people"].append(export_row(PEOPLE, person, text=False))
    for name, sheet in SHEETS.items():
        for item in getattr(evidence, sheet.evidence or "", None) or []:
            values = {"person_id": evidence.person.id, **item.model_dump()}
            book[name].append(export_row(sheet, values, text=False))
    book.save(path)
    transfer.apply_import(ctx, transfer.read_import(ctx, [path]))
    assessments.assess_everyone(ctx, AS_OF)
    stored = assessments.stored(ctx, evidence.person.id).assessment
    assert stored.level_of("itsm.operations-management") == 4
    assert organisation.status(ctx).people == 1  # the example rows were not imported


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_of_one_unit_assesses_its_people_only(ctx: Context, jobs: int) -> None:
    _demo(ctx, 30)
    later = AS_OF + dt.timedelta(days=1)
    done = assessments.assess_everyone(ctx, later, unit="ops", jobs=jobs)
    in_ops = [r.ref for r in organisation.skill_map(ctx, unit="ops")]
    assert done.run.people == len(in_ops) == assessments.people_count(ctx, "ops")
    assert 0 < done.run.people < 30
    assert set(done.by_unit) == {"ops"}
    for row in organisation.skill_map(ctx):  # the others keep their earlier assessment
        expected = later if row.ref in in_ops else AS_OF
        assert assessments.stored(ctx, row.ref).assessment.as_of == expected
    with pytest.raises(StoreError, match="unknown organisation unit"):
        assessments.assess_everyone(ctx, later, unit="nowhere")


def test_a_stored_assessment_is_explained_with_the_framework_it_was_made_with(
    ctx: Context,
) -> None:
    _demo(ctx)
    ref = organisation.skill_map(ctx)[0].ref
    builtin = ctx.framework.version
    made_first = report(ctx.framework, assessments.stored(ctx, ref).assessment)
    tailored = (ROOT / "docs" / "examples" / "tailored-framework.yaml").read_bytes()
    kept = framework_files.upload(ctx, "tailored-framework.yaml", tailored)
    framework_files.adopt(ctx, [kept.id])
    ctx.reload()
    assert ctx.framework.version != builtin
    earlier = assessments.stored(ctx, ref)  # made before the adoption
    assert earlier.framework.version == builtin
    assert report(earlier.framework, earlier.assessment) == made_first

    assessments.assess_everyone(ctx, AS_OF + dt.timedelta(days=1))
    under_tailored = ctx.framework.version
    made_then = report(ctx.framework, assessments.stored(ctx, ref).assessment)
    framework_files.adopt(ctx, [])  # back to the built-in framework
    ctx.reload()
    rebuilt = assessments.stored(ctx, ref)  # from the adopted files, which are kept
    assert rebuilt.framework.version == under_tailored
    assert report(rebuilt.framework, rebuilt.assessment) == made_then


def test_the_demo_shows_a_trend_targets_and_reviews_waiting(ctx: Context) -> None:
    _demo(ctx, 40)
    demo.showcase(ctx, AS_OF)
    assert [p.as_of for p in organisation.trend(ctx)] == [AS_OF.replace(year=2025), AS_OF]
    assert len(organisation.targets_on(ctx, AS_OF)) == len(demo.TARGETS)
    waiting, found = reviews.queue(ctx)
    assert waiting == demo.SUBMITTED
    assert {r.org_unit for r in found} == {demo.MANAGED}
    assert all(r.submitted_by == r.ref for r in found)  # each by the person themselves
    demo.showcase(ctx, AS_OF)  # again, on a demo database: nothing twice
    assert len(organisation.targets_on(ctx, AS_OF)) == len(demo.TARGETS)
    assert reviews.queue(ctx)[0] == demo.SUBMITTED
