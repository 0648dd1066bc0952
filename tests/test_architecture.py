"""Dependencies point inwards: the centre knows nothing of files, databases, clocks or
terminals, and the front ends build no queries."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "itss"
PURE = ("catalogue", "engine")
OUTER = ("itss.io", "itss.store", "itss.cli", "itss.services", "itss.api", "itss.web")
# Modules that reach files, processes, the network or a terminal.
IO_MODULES = (
    *("pathlib", "os", "io", "shutil", "tempfile", "importlib.resources", "sqlalchemy"),
    *("socket", "subprocess", "yaml", "json", "orjson", "rich", "typer", "time"),
)
# The clock through datetime (the module `time` is refused with the other imports).
CLOCK_CALLS = frozenset({"now", "today", "utcnow", "fromtimestamp"})
FRONT_ENDS = ("cli", "api", "web")


def _sources(package: str) -> Iterator[Path]:
    yield from sorted((SRC / package).rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _calls(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            yield node.lineno, name


@pytest.mark.parametrize("package", PURE)
def test_the_centre_imports_no_outer_layer_and_no_io(package: str) -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}: {module}"
        for path in _sources(package)
        for line, module in _imports(path)
        if _under(module, OUTER) or _under(module, IO_MODULES)
    ]
    assert found == []


@pytest.mark.parametrize("package", PURE)
def test_the_centre_never_reads_the_clock_or_opens_a_file(package: str) -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}: {name}()"
        for path in _sources(package)
        for line, name in _calls(path)
        if name in CLOCK_CALLS or name in {"open", "read_text", "read_bytes", "input", "print"}
    ]
    assert found == []


@pytest.mark.parametrize("package", FRONT_ENDS)
def test_front_ends_build_no_queries(package: str) -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}: {module}"
        for path in _sources(package)
        for line, module in _imports(path)
        if _under(module, ("sqlalchemy", "itss.store.models", "itss.store.database"))
    ]
    assert found == []


def test_the_rules_catch_what_they_forbid(tmp_path: Path) -> None:
    """The checks above read real code: a forbidden import and call are seen."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\nfrom sqlalchemy import select\nday = dt.date.today()\n",
        encoding="utf-8",
    )
    assert [m for _, m in _imports(sample) if _under(m, IO_MODULES)] == ["sqlalchemy"]
    assert [n for _, n in _calls(sample) if n in CLOCK_CALLS] == ["today"]
