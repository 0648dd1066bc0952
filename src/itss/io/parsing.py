"""Reading YAML or JSON documents safely: size-limited, text only, no aliases."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from itss.errors import LocatedError

MAX_BYTES = 20 * 1024 * 1024


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Dates stay text, so that the models parse them and name the place of a bad one."""

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's own class attribute
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


# Limits checked before a document is built: the C loader recurses once per level of
# nesting (about 30,000 levels kill the process), and Python refuses to convert integers of
# more than 4,300 digits. No framework, evidence or policy file comes near either.
MAX_DEPTH = 64
MAX_DIGITS = 1000
_LONG_NUMBER = re.compile(rf"[0-9]{{{MAX_DIGITS + 1},}}")


class _RefusedError(Exception):
    """A problem the structure scan found, with its line and column."""

    def __init__(self, mark: Any, message: str, **values: Any) -> None:
        super().__init__(message)
        self.where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        self.key = message  # the message catalogue's key
        self.values = values


class _Mapping:
    """A mapping being scanned: its keys so far, and whether a key comes next."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.expect_key = True


def _scan(text: str) -> None:
    """Walk the YAML events before anything is built: refuse aliases (a bomb would expand),
    explicit tags (``!!timestamp 2020-13-45``), nesting deeper than MAX_DEPTH and a key given
    twice in one mapping (the last would silently win)."""
    stack: list[_Mapping | None] = []  # None: a sequence
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedError(event.start_mark, "file.yaml_alias")
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        tag = getattr(event, "tag", None)  # scalars and collections have one; None: implicit
        if tag is not None:
            raise _RefusedError(event.start_mark, "file.yaml_tag", tag=str(tag))
        _take_slot(stack[-1] if stack else None, event)
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append(_Mapping() if isinstance(event, yaml.MappingStartEvent) else None)
            if len(stack) > MAX_DEPTH:
                raise _RefusedError(event.start_mark, "file.too_deep_at", depth=MAX_DEPTH)


def _take_slot(parent: _Mapping | None, event: Any) -> None:
    """A node takes the next key or value slot of the mapping it is in."""
    if parent is None:
        return
    if parent.expect_key and isinstance(event, yaml.ScalarEvent):
        if event.value in parent.keys:
            raise _RefusedError(event.start_mark, "file.duplicate_key", name=event.value)
        parent.keys.add(event.value)
    parent.expect_key = not parent.expect_key


def _check_numbers(text: str, name: str, error: type[LocatedError]) -> None:
    found = _LONG_NUMBER.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - text.rfind("\n", 0, found.start())
        where = f"line {line}, column {column}"
        raise error(name, where, "", key="file.long_number", values={"digits": MAX_DIGITS})


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (json keeps the last one silently)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RefusedError(None, "file.duplicate_key", name=key)
        found[key] = value
    return found


def read_text(path: Path, error: type[LocatedError]) -> str:
    """The file's text, refusing what is missing, too large, empty or not UTF-8 text."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise error(
                str(path),
                "",
                "",
                key="file.too_large",
                values={"size": size, "limit": MAX_BYTES},
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise error(
            str(path), "", "", key="file.unreadable", values={"reason": exc.strerror or exc}
        ) from None
    return decode_text(raw, str(path), error)


def decode_text(raw: bytes, name: str, error: type[LocatedError]) -> str:
    """Bytes as text (a file's, or an upload's), refusing what is too large, empty or not
    UTF-8 text."""
    if len(raw) > MAX_BYTES:
        raise error(
            name, "", "", key="file.too_large", values={"size": len(raw), "limit": MAX_BYTES}
        )
    if b"\x00" in raw:
        raise error(name, "", "", key="file.binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(name, f"byte {exc.start}", "", key="file.not_utf8") from None
    if not text.strip():
        raise error(name, "", "", key="file.empty")
    return text


def parse(text: str, name: str, error: type[LocatedError]) -> Any:
    """Parse YAML (JSON is accepted as YAML), naming the place of a syntax error; what the
    structure scan refuses is refused before anything is built."""
    _check_numbers(text, name, error)
    try:
        if name.endswith(".json"):
            return _parse_json(text, name, error)
        _scan(text)
        return yaml.load(text, Loader=_Loader)
    except _RefusedError as exc:
        raise error(name, exc.where, "", key=exc.key, values=exc.values) from None
    except yaml.YAMLError as exc:
        raise error(name, *_yaml_place(exc)) from None
    except RecursionError:
        raise error(name, "", "", key="file.too_deep") from None


def _parse_json(text: str, name: str, error: type[LocatedError]) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as exc:
        raise error(name, f"line {exc.lineno}, column {exc.colno}", exc.msg) from None


def _yaml_place(exc: yaml.YAMLError) -> tuple[str, str]:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return "", problem if "aliases" in problem else f"invalid YAML: {problem}"
    return f"line {mark.line + 1}, column {mark.column + 1}", f"invalid YAML: {problem}"


def read_mapping(path: Path, error: type[LocatedError]) -> dict[str, Any]:
    """A YAML/JSON file whose top level must be a mapping."""
    data = parse(read_text(path, error), str(path), error)
    if not isinstance(data, dict):
        raise error(str(path), "", "", key="file.not_mapping")
    return data
