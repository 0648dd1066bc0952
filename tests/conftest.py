from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import itss
from itss.catalogue.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE = ROOT / "docs" / "examples" / "tailored-framework.yaml"


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
