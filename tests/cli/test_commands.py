"""The commands a new user reached for: stored assessments, history, targets, status, and
options that contradict each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itss.catalogue.catalogue import Catalogue
from itss.cli.assess import UNIT_TABLES
from tests.conftest import ROOT, Itss

EVIDENCE = str(ROOT / "docs/examples/evidence-ja.yaml")


@pytest.fixture
def demo_db(itss: Itss, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    code, _, err = itss("demo", "--people", "12", "--db", url, "--jobs", "1")
    assert code == 0, err
    return url


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("assess", EVIDENCE, "--all"), "give an evidence file or --all, not both"),
        (("assess", "--all", "--all-fields"), "does not apply to --all"),
        (("assess",), "give an evidence file, or --all"),
        (("import", "a.csv", "--template", "t.xlsx"), "not both"),
        (("assess", EVIDENCE, "--unit", "ops"), "--unit goes with --all"),
        (("assess", EVIDENCE, "--explained"), "--explained goes with --all"),
    ],
)
def test_contradictory_options_are_refused(itss: Itss, args: tuple[str, ...], message: str) -> None:
    code, _, err = itss(*args)
    assert code == 2
    assert message in err


def test_no_command_leaves_an_empty_database_behind(itss: Itss, tmp_path: Path) -> None:
    for args in (
        ("assess", "--all"),
        ("export", "skillmap", "-o", "m.csv"),
        ("person", "show", "x"),
        ("targets", "gaps"),
    ):
        code, _, err = itss(*args)
        assert code == 2, args
        assert "itss.sqlite3 does not exist: run `itss db init`" in err
    code, out, _ = itss("db", "status")
    assert code == 1
    assert "run `itss db init`" in out
    assert list(tmp_path.glob("*.sqlite3")) == []


def test_assess_all_summarises_levels_per_field_and_unit(itss: Itss, demo_db: str) -> None:
    code, out, err = itss("assess", "--all", "--db", demo_db, "--lang", "en", "--jobs", "1")
    assert code == 0, err
    assert "assessed 12 people" in out
    assert "People per field and level" in out
    assert "Operations" in out
    code, out, _ = itss("assess", "--all", "--db", demo_db, "--json", "--jobs", "1")
    assert code == 0
    assert '"people": 12' in out
    assert '"by_unit"' in out


@pytest.mark.parametrize(("units", "tables"), [(UNIT_TABLES, True), (UNIT_TABLES + 1, False)])
def test_assess_all_shows_a_table_per_unit_only_for_a_few_units(
    itss: Itss, tmp_path: Path, units: int, tables: bool
) -> None:
    codes = [f"u{n:03d}" for n in range(units)]
    (tmp_path / "org-org_units.csv").write_text(
        "code,name\n" + "".join(f"{c},部{c}\n" for c in codes), encoding="utf-8"
    )
    (tmp_path / "org-people.csv").write_text(
        "person_id,name,org_unit\n" + "".join(f"p{c},人 {c},{c}\n" for c in codes),
        encoding="utf-8",
    )
    (tmp_path / "org-engagements.csv").write_text(
        "person_id,id,field,role,start,end,headcount\n"
        + "".join(f"p{c},e1,itsm.operations,member,2018-04-01,2022-03-31,5\n" for c in codes),
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'units.sqlite3'}"
    files = [str(tmp_path / f"org-{s}.csv") for s in ("org_units", "people", "engagements")]
    assert itss("db", "init", "--db", url)[0] == 0
    code, _, err = itss("import", *files, "--db", url, "--by", "test")
    assert code == 0, err
    code, out, err = itss("assess", "--all", "--db", url, "--jobs", "1")
    assert code == 0, err
    assert "People per field and level" in out
    assert (codes[-1] in out) is tables
    assert (f"{units} org units, too many for a table each" in out) is not tables


def test_a_persons_stored_assessment_and_history(itss: Itss, demo_db: str) -> None:
    code, out, _ = itss("export", "skillmap", "-o", "m.csv", "--db", demo_db)
    assert code == 0
    ref = (Path("m.csv").read_text(encoding="utf-8-sig").splitlines()[1]).split(",")[0]
    code, out, err = itss("person", "show", ref, "--db", demo_db, "--lang", "en")
    assert code == 0, err
    assert "run 1, evidence revision 1" in out
    assert "as of 2026-04-01" in out
    itss("assess", "--all", "--as-of", "2027-04-01", "--db", demo_db, "--jobs", "1")
    code, out, err = itss("person", "history", ref, "--db", demo_db, "--lang", "en")
    assert code == 0, err
    assert "2026-04-01" in out
    assert "2027-04-01" in out
    code, _, err = itss("person", "show", "nobody", "--db", demo_db)
    assert code == 2
    assert "no stored assessment of 'nobody'" in err


def test_targets_and_their_gaps(itss: Itss, demo_db: str) -> None:
    args = ("targets", "add", "hq", "itsm.operations", "1", "50", "--from", "2026-01-01")
    code, out, err = itss(*args, "--db", demo_db)
    assert code == 0, err
    code, out, _ = itss("targets", "list", "--on", "2026-04-01", "--db", demo_db)
    assert "itsm.operations" in out
    code, out, _ = itss("targets", "gaps", "--on", "2026-04-01", "--db", demo_db)
    assert code == 0
    assert "50" in out
    code, out, _ = itss("targets", "gaps", "--unit", "ops", "--db", demo_db)
    assert code == 0
    assert "50" not in out  # the target is the head office's, above ops
    code, _, err = itss("targets", "gaps", "--unit", "nowhere", "--db", demo_db)
    assert code == 2
    assert "nowhere" in err
    code, _, err = itss(*args, "--db", demo_db)
    assert code == 2
    assert "exists already" in err


def test_db_status_says_what_the_database_holds(itss: Itss, demo_db: str) -> None:
    code, out, _ = itss("db", "status", "--db", demo_db)
    assert code == 0
    assert "(current)" in out
    assert "people: 12" in out
    assert "assessment runs: 2" in out  # the demo's day, and a year before it


def test_the_demo_does_not_add_people_to_a_real_database_unasked(
    itss: Itss, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    itss("db", "init", "--db", url)
    Path("p.csv").write_text("person_id,name\nreal,Real\n", encoding="utf-8")
    code, _, err = itss("import", "p.csv", "--db", url)
    assert code == 0, err
    code, _, err = itss("demo", "--people", "3", "--db", url)
    assert code == 2
    assert "holds an organisation's own people" in err
    code, out, _ = itss("db", "status", "--db", url)
    assert "people: 1" in out
    code, _, err = itss("demo", "--people", "3", "--db", url, "--yes", "--jobs", "1")
    assert code == 0, err


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_assessment_tables_show_whole_texts_at_80_columns(
    itss: Itss, framework: Catalogue, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = itss("assess", EVIDENCE, "--as-of", "2026-04-01", "--lang", lang)
    assert code == 0
    assert "…" not in out
    # Every word of a long criterion text is there, folded over the lines of its cell: the
    # criterion column (the third of the level tables' four) read down the lines.
    column = "".join(
        parts[3].strip() for line in out.splitlines() if len(parts := line.split("│")) == 6
    )
    text = framework.criteria["itsm.operations-management.l5.responsibility.conduct"].text
    assert re.sub(r"\s", "", text.get(lang)) in re.sub(r"\s", "", column)
