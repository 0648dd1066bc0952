"""The database commands end to end: db, import, assess --all, export, demo; errors as text."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import URL

from itss.catalogue.catalogue import Catalogue
from itss.settings import get_settings
from itss.store import migrate, people
from itss.store.database import Store
from tests.conftest import Itss
from tests.database import Staff


def test_db_upgrade_brings_an_older_schema_up(itss: Itss, empty_url: URL) -> None:
    store = Store(empty_url)
    migrate.upgrade(store, "0001")
    store.dispose()
    url = empty_url.render_as_string(hide_password=False)
    code, _, err = itss("assess", "--all", "--db", url)
    assert code != 0
    assert "is at schema revision 0001" in err
    assert "itss db upgrade" in err
    code, out, _ = itss("db", "upgrade", "--db", url)
    assert code == 0
    assert f"upgraded from 0001 to schema {migrate.HEAD}" in out


def test_db_init_then_upgrade(itss: Itss, empty_url: URL) -> None:
    url = empty_url.render_as_string(hide_password=False)
    code, out, _ = itss("db", "init", "--db", url)
    assert code == 0
    assert "initialised" in out
    assert f"(schema {migrate.HEAD})" in out
    code, out, _ = itss("db", "upgrade", "--db", url)
    assert code == 0
    assert f"already at schema {migrate.HEAD}" in out
    code, _, err = itss("db", "init", "--db", url)
    assert code == 2
    assert "already has an itss schema" in err
    assert "Traceback" not in err


def test_the_database_comes_from_the_environment_or_the_current_directory(
    itss: Itss, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = itss("db", "init")
    assert code == 0
    assert (tmp_path / "itss.sqlite3").exists()
    monkeypatch.setenv("ITSS_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    get_settings.cache_clear()
    code, out, _ = itss("db", "init")
    assert code == 0
    assert "env.sqlite3" in out


def test_commands_refuse_a_database_without_the_schema(itss: Itss, empty_url: URL) -> None:
    url = empty_url.render_as_string(hide_password=False)
    code, _, err = itss("assess", "--all", "--db", url)
    assert code == 2
    assert "run `itss db init`" in err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense://x", "nonsense"),
        ("postgresql://nobody:secret@127.0.0.1:1/none", "cannot connect"),
        ("/no/such/dir/x.sqlite3", "does not exist: run `itss db init`"),
    ],
)
def test_an_unusable_database_is_an_error_not_a_traceback(
    itss: Itss, url: str, message: str
) -> None:
    code, _, err = itss("db", "upgrade", "--db", url)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert "secret" not in err


def test_import_assess_and_export(
    itss: Itss, url_text: str, tmp_path: Path, framework: Catalogue
) -> None:
    code, out, _ = itss("import", "--template", "hr.xlsx")
    assert code == 0
    assert "wrote hr.xlsx" in out
    book = openpyxl.load_workbook(tmp_path / "hr.xlsx")
    book["org_units"].append(["hq", "本社"])
    book["people"].append(["alice", "有栖 アリス", "Alice", "hq"])
    book["engagements"].append(
        [
            "alice",
            "e1",
            "itsm.operations",
            "leader",
            "2018-04-01",
            "2022-03-31",
            12,
            None,
            None,
            None,
            None,
            None,
            "itsm.operations.cx.structure",
        ]
    )
    book.save(tmp_path / "hr.xlsx")
    code, out, err = itss("import", "hr.xlsx", "--db", url_text, "--by", "charlie")
    assert code == 0, err
    assert "imported 3 rows: 1 new people" in out
    assert "1 new org units" in out
    code, out, err = itss(
        "assess", "--all", "--as-of", "2026-04-01", "--db", url_text, "--jobs", "1"
    )
    assert code == 0, err
    assert "assessed 1 people as of 2026-04-01" in out
    code, out, _ = itss("export", "skillmap", "--format", "csv", "-o", "map", "--db", url_text)
    assert code == 0
    assert "wrote map.csv" in out
    with (tmp_path / "map.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["person_id"], r["org_unit"]) for r in rows] == [("alice", "hq")]
    [operations] = [c for c in rows[0] if c.endswith("[itsm.operations]")]
    assert rows[0][operations] != ""
    code, out, _ = itss("export", "evidence", "-o", "all.xlsx", "--db", url_text)
    assert code == 0
    assert "wrote all.xlsx" in out
    assert "engagements" in openpyxl.load_workbook(tmp_path / "all.xlsx").sheetnames


def test_import_problems_are_listed_and_nothing_is_imported(
    itss: Itss, store: Store, url_text: str, tmp_path: Path
) -> None:
    (tmp_path / "p.csv").write_text(
        "person_id,name,org_unit\nalice,,\nbob,Bob,x\n", encoding="utf-8"
    )
    code, _, err = itss("import", "p.csv", "--db", url_text)
    assert code == 2
    assert "nothing was imported: 2 problem(s)" in err
    assert "p.csv, row 2, column name: a value is required" in err
    assert "p.csv, row 3, column org_unit: unknown organisation unit 'x'" in err
    with store.transaction() as session:
        assert people.count(session) == 0


def test_an_import_without_room_for_its_working_file_says_where_and_what_to_do(
    itss: Itss, store: Store, url_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sqlite3.connect

    def cramped(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        found: sqlite3.Connection = real(database, *args, **kwargs)
        if database == "":  # a private temporary database: the import's working file
            found.execute("PRAGMA max_page_count = 16")  # as a full disk would
        return found

    monkeypatch.setattr(sqlite3, "connect", cramped)
    monkeypatch.delenv("SQLITE_TMPDIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    rows = "".join(f"p{n:05},Person {n},\n" for n in range(5000))
    (tmp_path / "p.csv").write_text("person_id,name,org_unit\n" + rows, encoding="utf-8")
    code, out, err = itss("import", "p.csv", "--db", url_text)
    assert code == 2, out
    assert f"the import's working file in {tmp_path} has no room left" in err
    assert "set TMPDIR to a folder with more room" in err
    assert "Traceback" not in err
    with store.transaction() as session:
        assert people.count(session) == 0


def test_usage_errors(itss: Itss, url_text: str) -> None:
    code, _, err = itss("assess")
    assert code == 2
    assert "--all" in err
    code, _, err = itss("import", "--db", url_text)
    assert code == 2
    assert "give the files to import" in err
    code, _, err = itss("export", "skillmap", "--format", "csv", "-o", "x.xlsx", "--db", url_text)
    assert code == 2
    assert "does not end in .csv" in err


def test_demo_creates_assesses_and_summarises(
    itss: Itss, empty_url: URL, store: Store, staff: Staff, framework: Catalogue
) -> None:
    url = empty_url.render_as_string(hide_password=False)
    code, out, err = itss("demo", "--people", "40", "--db", url, "--lang", "en", "--jobs", "1")
    assert code == 0, err
    assert "assessed 40 people" in out
    assert "People per field and level" in out
    for fld in framework.fields.values():
        assert fld.name.get("en") in out
    demo = Store(empty_url)
    try:  # closed whatever happens: an open session would hold the test database
        with demo.transaction() as session:
            assert people.count(session) == 40
            assert people.load(session, ["p000001"])["p000001"].record.org_unit is not None
        # Again: the same people, unchanged; more assessment runs (each demo stores two: its
        # day, then a year before it).
        code, out, _ = itss("demo", "--people", "40", "--db", url, "--jobs", "1")
        assert code == 0
        assert "assessed 40 people" in out
        assert "(run 3" in out
        with demo.transaction() as session:
            assert len(people.history(session, "p000001")) == 1
    finally:
        demo.dispose()


EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "tailored-framework.yaml"


def test_an_adopted_framework_is_used_by_every_later_command(
    itss: Itss, empty_url: URL, tmp_path: Path
) -> None:
    url = empty_url.render_as_string(hide_password=False)
    assert itss("db", "init", "--db", url)[0] == 0
    code, out, err = itss("framework", "adopt", str(EXAMPLE), "--db", url)
    assert code == 0, err
    assert "adopted framework" in out
    assert "Example category" in itss("framework", "list", "--db", url)[1]
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: itss-framework/1\ncategories: [\n", encoding="utf-8")
    code, _, err = itss("framework", "adopt", str(bad), "--db", url)
    assert code != 0
    assert "bad.yaml" in err
    assert "Traceback" not in err
    assert "Example category" in itss("framework", "list", "--db", url)[1]  # unchanged
    assert itss("framework", "adopt", "--db", url)[0] == 0  # none: the built-in framework
    assert "Example category" not in itss("framework", "list", "--db", url)[1]


EVIDENCE = EXAMPLE.with_name("evidence-en.yaml")
ASSESS_FILE = ("assess", str(EVIDENCE), "--as-of", "2026-04-01")


def test_a_database_behind_this_version_is_refused_not_passed_over(
    itss: Itss, empty_url: URL
) -> None:
    # Judged by the built-in framework in place of the adopted one, the file would get
    # other verdicts, and nothing would say so.
    url = empty_url.render_as_string(hide_password=False)
    assert itss("db", "init", "--db", url)[0] == 0
    assert itss("framework", "adopt", str(EXAMPLE), "--db", url)[0] == 0
    store = Store(empty_url)
    migrate.downgrade(store, "0013")
    store.dispose()
    for command in (ASSESS_FILE, ("framework", "list")):
        code, out, err = itss(*command, "--db", url)
        assert code == 2, out
        assert "is at schema revision 0013" in err
        assert "itss db upgrade" in err
        assert "Traceback" not in err
    assert itss("db", "upgrade", "--db", url)[0] == 0
    assert "Example category" in itss("framework", "list", "--db", url)[1]


def test_a_database_that_cannot_be_reached_is_refused_not_passed_over(itss: Itss) -> None:
    url = "postgresql+psycopg://itss:secret@127.0.0.1:1/itss"  # nothing listens on port 1
    code, out, err = itss(*ASSESS_FILE, "--db", url)
    assert code == 2, out
    assert "127.0.0.1:1/itss" in err
    assert "secret" not in err
    assert "Traceback" not in err


def test_an_evidence_file_is_assessed_beside_a_database_without_a_schema(
    itss: Itss, empty_url: URL
) -> None:
    url = empty_url.render_as_string(hide_password=False)
    code, out, err = itss(*ASSESS_FILE, "--db", url)
    assert code == 0, err
    assert "framework" in out
