from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

import itss
from itss.catalogue.catalogue import Catalogue
from itss.cli.main import run
from itss.settings import get_settings

# A fresh database per test, on SQLite and PostgreSQL, for every package's tests.
pytest_plugins = ["tests.database", "tests.organisation"]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE = ROOT / "docs" / "examples" / "tailored-framework.yaml"


def pytest_configure(config: pytest.Config) -> None:
    # The fidelity tests read the source documents while they are collected.
    if not SEEDS.is_dir():
        pytest.exit(f"the ITSS source documents are expected in {SEEDS.resolve()}", returncode=4)


@pytest.fixture(scope="session")
def framework() -> Catalogue:
    """The built-in framework, loaded once: it is immutable."""
    return itss.load_framework()


@pytest.fixture(scope="session")
def example_framework() -> Catalogue:
    """The small example framework of docs/examples, alone."""
    return itss.load_framework([EXAMPLE], include_builtin=False)


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    target = tmp_path / "tailored.yaml"
    shutil.copy(EXAMPLE, target)
    return target


@pytest.fixture(scope="session")
def evaluator(framework: Catalogue) -> itss.Evaluator:
    """The built-in framework compiled under the default policy, shared: it is stateless."""
    return itss.Evaluator(framework)


class Itss(Protocol):
    def __call__(self, *args: str) -> tuple[int, str, str]: ...


@pytest.fixture(name="itss")
def itss_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Itss]:
    """Runs `itss ARGS...` in this process; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("ITSS_DATABASE_URL", raising=False)
    # English unless a test asks for Japanese (`--lang ja`): most tests read English output.
    monkeypatch.setenv("ITSS_LANG", "en")
    get_settings.cache_clear()

    def call(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["itss", *args])
        code = 0
        try:
            run()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    yield call
    get_settings.cache_clear()
