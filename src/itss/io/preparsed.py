"""The built-in framework files, parsed ahead of time into JSON beside them.

Parsing the YAML is most of what a command pays to start (about 0.15 s of 0.2 s for the
framework); reading the same document from JSON takes a few milliseconds. Each JSON file names
the SHA-256 of the YAML text it was made from and is used only while that still matches, so
an edited YAML file is simply parsed again. The YAML stays the source; regenerate with

    python -m itss.io.preparsed
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from itss.errors import CatalogueError
from itss.io.parsing import parse

DATA = Path(__file__).resolve().parents[1] / "catalogue" / "data"
FOLDER = DATA / "parsed"


def _target(source: Path) -> Path:
    return FOLDER / f"{source.stem}.json"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load(source: Path, text: str) -> Any | None:
    """The parsed document of built-in `source` with this `text`, or None to parse it."""
    if source.resolve().parent != DATA:
        return None
    try:
        stored = orjson.loads(_target(source).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(stored, dict) or stored.get("source_sha256") != digest(text):
        return None
    return stored["document"]


def dumps(source: Path) -> bytes:
    """The JSON to store for `source` (a built-in YAML file)."""
    text = source.read_text(encoding="utf-8")
    document = parse(text, str(source), CatalogueError)
    stored = {"source": source.name, "source_sha256": digest(text), "document": document}
    return orjson.dumps(stored) + b"\n"


def write_all() -> list[Path]:
    FOLDER.mkdir(exist_ok=True)
    written = []
    for source in sorted(DATA.glob("*.yaml")):
        _target(source).write_bytes(dumps(source))
        written.append(_target(source))
    return written


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path)
