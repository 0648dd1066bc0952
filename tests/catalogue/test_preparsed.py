"""The built-in framework files parsed ahead of time: current, equal to the YAML, and never
used for a file whose text has changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import itss
from itss.errors import CatalogueError
from itss.io import preparsed
from itss.io.framework import builtin_files
from itss.io.parsing import parse

BUILTIN = builtin_files()


@pytest.mark.parametrize("source", BUILTIN, ids=lambda p: p.stem)
def test_the_stored_json_is_current(source: Path) -> None:
    stored = (preparsed.FOLDER / f"{source.stem}.json").read_bytes()
    assert stored == preparsed.dumps(source), "run: python -m itss.io.preparsed"


@pytest.mark.parametrize("source", BUILTIN, ids=lambda p: p.stem)
def test_the_stored_document_is_the_yaml_document(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    assert preparsed.load(source, text) == parse(text, str(source), CatalogueError)


def test_an_edited_file_is_parsed_again() -> None:
    source = BUILTIN[0]
    text = source.read_text(encoding="utf-8")
    assert preparsed.load(source, text) is not None
    assert preparsed.load(source, text + "\n# edited\n") is None


def test_a_file_outside_the_package_is_always_parsed(tmp_path: Path) -> None:
    """A tailored copy of a built-in file, even with the same name and text, is read as YAML:
    its errors must name its own lines."""
    copy = tmp_path / BUILTIN[0].name
    shutil.copy(BUILTIN[0], copy)
    assert preparsed.load(copy, copy.read_text(encoding="utf-8")) is None
    broken = copy.read_text(encoding="utf-8").replace("categories:", "categories: [", 1)
    copy.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogueError, match="invalid YAML"):
        itss.load_framework([copy], include_builtin=False)
