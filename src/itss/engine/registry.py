"""The one registry of rule kinds.

Built-in kinds register through `register`, exactly as a tailored one would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from itss.engine.context import BuildContext
    from itss.engine.subject import EngagementView, Subject
    from itss.engine.verdict import Outcome

Scope = Literal["engagement", "person"]


class EngagementRule(Protocol):
    def test(self, engagement: EngagementView) -> bool: ...
    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome: ...


class PersonRule(Protocol):
    def test(self, subject: Subject) -> bool: ...
    def explain(self, subject: Subject) -> Outcome: ...


@dataclass(frozen=True)
class RuleKind:
    """A kind of rule: its name, parameters and how to build an evaluator from them."""

    name: str
    scope: Scope
    params: type[BaseModel]
    build: Callable[[Any, BuildContext], Any]


_KINDS: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> RuleKind:
    """Add a kind; a name can be registered once."""
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"rule kind {kind.name!r} is already registered")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> RuleKind:
    _ensure_builtin()
    return _KINDS[name]


def kinds() -> Mapping[str, RuleKind]:
    _ensure_builtin()
    return dict(_KINDS)


def parse_params(kind: RuleKind, params: Mapping[str, Any]) -> BaseModel:
    """Validate a rule's parameters, as a ValueError naming the first problem."""
    body = {k: v for k, v in params.items() if k != "kind"}
    try:
        return kind.params.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{kind.name}: {place + ': ' if place else ''}{first['msg']}") from None


def checkers() -> dict[str, Callable[[dict[str, Any]], None]]:
    """One parameter check per kind, for the catalogue loader."""
    _ensure_builtin()

    def checker(kind: RuleKind) -> Callable[[dict[str, Any]], None]:
        def check(params: dict[str, Any]) -> None:
            parse_params(kind, params)

        return check

    return {name: checker(kind) for name, kind in _KINDS.items()}


def _ensure_builtin() -> None:
    # Imported here: the built-in kinds register themselves on import, like any plugin.
    import itss.engine.kinds  # noqa: F401, PLC0415
