"""A person's evidence through the services: record, correct, leave and rejoin."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from itss.services import assessments, organisation, people, transfer
from itss.services.context import Context
from itss.store.errors import ConflictError, StoreError
from tests.conftest import Itss
from tests.store.factories import engagement, evidence

AS_OF = dt.date(2026, 4, 1)
ROOT = Path(__file__).resolve().parents[2]


def _two(ctx: Context) -> None:
    people.record(ctx, evidence("alice", "有栖", engagement()))
    people.record(ctx, evidence("bob", "房", engagement()))


def test_record_and_correct_append_revisions(ctx: Context) -> None:
    assert people.record(ctx, evidence("alice", "有栖", engagement())) == 1
    assert people.record(ctx, evidence("alice", "有栖", engagement(id="e-x"))) == 2
    renamed = people.correct(
        ctx,
        "alice",
        lambda r: replace(
            r,
            evidence=r.evidence.model_copy(
                update={"person": r.evidence.person.model_copy(update={"name": "有栖 アリス"})}
            ),
        ),
    )
    assert renamed == 3
    assert people.current(ctx, "alice").record.evidence.person.name == "有栖 アリス"
    with pytest.raises(ConflictError, match="changed meanwhile"):
        people.record(ctx, evidence("alice", "A", engagement()), expected=1)
    with pytest.raises(StoreError, match="unknown person 'nobody'"):
        people.leave(ctx, "nobody", AS_OF)


def test_a_leaver_is_skipped_by_runs_and_left_out_of_views(ctx: Context) -> None:
    _two(ctx)
    assessments.assess_everyone(ctx, AS_OF)
    people.leave(ctx, "bob", AS_OF + dt.timedelta(days=10))
    later = assessments.assess_everyone(ctx, AS_OF + dt.timedelta(days=30))
    assert later.run.people == 1
    assert [r.ref for r in organisation.skill_map(ctx)] == ["alice"]
    # Before the day they left they are still in the map of that day.
    assert [r.ref for r in organisation.skill_map(ctx, day=AS_OF)] == ["alice", "bob"]
    assert len(assessments.history(ctx, "bob")) == 1  # their own record stays
    assert people.current(ctx, "bob").record.left_on == AS_OF + dt.timedelta(days=10)
    people.rejoin(ctx, "bob")
    assert assessments.assess_everyone(ctx, AS_OF + dt.timedelta(days=60)).run.people == 2


def test_an_import_does_not_undo_a_leave(ctx: Context, tmp_path: Path) -> None:
    _two(ctx)
    people.leave(ctx, "bob", AS_OF)
    again = tmp_path / "people.csv"
    again.write_text("person_id,name\nbob,房 ボブ\n", encoding="utf-8")
    transfer.apply_import(ctx, transfer.read_import(ctx, [again]))
    found = people.current(ctx, "bob").record
    assert (found.evidence.person.name, found.left_on) == ("房 ボブ", AS_OF)


def test_person_record_leave_and_rejoin_commands(itss: Itss, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    itss("db", "init", "--db", url)
    path = str(ROOT / "docs/examples/evidence-ja.yaml")
    code, out, err = itss("person", "record", path, "--db", url)
    assert (code, out.strip()) == (0, "recorded (revision 1)"), err
    code, out, err = itss("person", "record", path, "--db", url, "--expect", "1")
    assert (code, out.strip()) == (0, "recorded (revision 1)"), err  # unchanged: no revision
    code, _, err = itss("person", "record", path, "--db", url, "--expect", "0", "--lang", "ja")
    assert code == 2
    assert "すでにあります" in err  # expected no revision: the person exists
    code, out, err = itss("person", "leave", "e0001", "--on", "2026-05-01", "--db", url)
    assert code == 0, err
    assert "left on 2026-05-01 (revision 2)" in out
    code, out, _ = itss("assess", "--all", "--db", url, "--jobs", "1")
    assert "assessed 0 people" in out
    code, out, _ = itss("person", "rejoin", "e0001", "--db", url, "--lang", "ja")
    assert "在籍を戻しました" in out
