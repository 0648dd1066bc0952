"""Reading YAML or JSON documents safely: size-limited, text only, no aliases."""

from __future__ import annotations

import json
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


def _refuse_aliases(text: str) -> None:
    """Scan the events first, so that an alias bomb is refused before anything expands."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            raise yaml.YAMLError(f"{place}YAML aliases (*name) are not allowed")


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
    if b"\x00" in raw:
        raise error(str(path), "", "", key="file.binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(str(path), f"byte {exc.start}", "", key="file.not_utf8") from None
    if not text.strip():
        raise error(str(path), "", "", key="file.empty")
    return text


def parse(text: str, name: str, error: type[LocatedError]) -> Any:
    """Parse YAML (JSON is accepted as YAML), naming the place of a syntax error."""
    if name.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise error(name, f"line {exc.lineno}, column {exc.colno}", exc.msg) from None
        except RecursionError:
            raise error(name, "", "", key="file.too_deep") from None
    try:
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise error(name, *_yaml_place(exc)) from None
    except RecursionError:
        raise error(name, "", "", key="file.too_deep") from None


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
