"""The command line starts without importing what a command does not use: the list of
commands comes from a table, and a command without a database never imports SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer

from itss.cli.main import COMMANDS, LazyGroup, app
from itss.store.database import Store
from itss.store.location import absent_sqlite_file
from tests.conftest import ROOT, Itss

EVIDENCE = str(ROOT / "docs/examples/evidence-en.yaml")


def _imported(args: list[str], cwd: Path) -> set[str]:
    """The modules a real `itss ARGS` process imported (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "itss.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line.split("|")[-1] for line in done.stderr.splitlines() if "|" in line]
    return {line.strip() for line in lines}


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["schema", "evidence"],
        ["import", "--template", "template.csv"],
        ["assess", EVIDENCE, "--lang", "en"],
        ["framework", "list"],
        ["framework", "show", "itsm", "operations-management", "--level", "5"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_command_without_a_database_does_not_import_the_store(
    args: list[str], tmp_path: Path
) -> None:
    imported = _imported(args, tmp_path)  # no itss.sqlite3 here: the built-in framework
    assert not imported & {"sqlalchemy", "itss.store.database", "itss.store.models"}


def test_the_list_of_commands_shows_each_commands_own_help() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    context = typer.Context(group)
    for name, lazy in COMMANDS.items():
        command = group.get_command(context, name)
        assert command is not None
        own = (command.help or "").strip()
        assert own.startswith(lazy.help), name
        assert command.name == name


def test_every_command_is_listed(itss: Itss) -> None:
    code, out, _ = itss("--help")
    assert code == 0
    for name, lazy in COMMANDS.items():
        assert name in out
        assert lazy.help.split()[0] in out


def test_a_mistyped_command_is_refused_with_the_nearest_name(itss: Itss) -> None:
    code, _, err = itss("asses")
    assert code == 2
    assert "No such command 'asses'. Did you mean 'assess'?" in err
    code, _, err = itss("zzzz")
    assert code == 2
    assert "No such command 'zzzz'." in err
    assert "Did you mean" not in err


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{folder}/absent.sqlite3",
        "sqlite:///{folder}/present.sqlite3",
        "sqlite:///{folder}/present.sqlite3?timeout=5",
        "sqlite:///{folder}/pre%73ent.sqlite3",
        "sqlite+pysqlite:///{folder}/absent.sqlite3",
        "sqlite://",
        "sqlite:///:memory:",
        "{folder}/absent.sqlite3",
        "{folder}/present.sqlite3",
        "postgresql+psycopg://nobody@localhost/none",
    ],
)
def test_a_missing_database_file_is_known_without_the_store(url: str, tmp_path: Path) -> None:
    (tmp_path / "present.sqlite3").touch()
    given = url.format(folder=tmp_path)
    store = Store(given)
    try:
        assert absent_sqlite_file(given) is store.missing
    finally:
        store.dispose()
