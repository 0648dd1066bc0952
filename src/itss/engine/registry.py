"""The registry of rule kinds: the one place that says what a kind is.

A `Registry` is an object: the default one holds the built-in kinds and whatever a program
registers with `itss.register`; `Registry.copy()` gives a scope of its own (a test, a tailored
deployment) that registers kinds without touching any other. Built-in kinds register through
`Registry.register` exactly as a tailored one does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from itss.catalogue.models import Criterion
    from itss.engine.context import BuildContext
    from itss.engine.examples import ExamplePlan, Planner
    from itss.engine.subject import EngagementView, Subject
    from itss.engine.verdict import Outcome

Scope = Literal["engagement", "person"]
# What testing a rule of a kind costs, relatively (`RuleKind.cost`). A level's required
# criteria are tested cheapest first, so that a level a person misses is mostly given up on
# before its costlier tests; the level's status is the same in any order (each must be met).
CHEAP = 0  # looks a few things up in the person's evidence: an expertise area, a qualification
COSTLY = 1  # goes through the person's engagements; any kind that does not say otherwise
# Adds to the plan what meets the rule (its parameters) of the criterion.
Example = Callable[["Planner", Mapping[str, Any], "Criterion", "ExamplePlan"], None]


class EngagementRule(Protocol):
    def test(self, engagement: EngagementView) -> bool: ...
    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome: ...


class PersonRule(Protocol):
    def test(self, subject: Subject) -> bool: ...
    def explain(self, subject: Subject) -> Outcome: ...


@dataclass(frozen=True)
class RuleKind:
    """A kind of rule: its name, scope, parameters, how to build an evaluator from them, its
    messages and how to make evidence that meets it.

    `attestation_only`: a criterion of this kind is met only when a reviewer attests it
    (no item of evidence can meet it). `cost`: `CHEAP` for a kind whose test only looks a
    few things up in the person's evidence, so that it is tested before the others."""

    name: str
    scope: Scope
    params: type[BaseModel]
    build: Callable[[Any, BuildContext], Any]
    attestation_only: bool = False
    # What meets a rule of the kind, added to a plan (`itss.engine.examples`).
    example: Example | None = None
    # The keys of the messages its verdicts use: built-in kinds find their texts in the
    # message catalogue (`itss.i18n`); a tailored kind gives them in `texts`, (ja, en) each.
    messages: tuple[str, ...] = ()
    texts: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    cost: int = COSTLY


class Registry:
    """Rule kinds by name."""

    def __init__(self, kinds: Mapping[str, RuleKind] | None = None) -> None:
        self._kinds: dict[str, RuleKind] = {}
        self.texts: dict[str, tuple[str, str]] = {}  # what kinds bring themselves, by key
        for kind in (kinds or {}).values():
            self.register(kind)

    def register(self, kind: RuleKind) -> RuleKind:
        """Add a kind; a name can be registered once."""
        if kind.name in self._kinds and self._kinds[kind.name] != kind:
            raise ValueError(f"rule kind {kind.name!r} is already registered")
        self._kinds[kind.name] = kind
        self.texts.update(kind.texts)
        return kind

    def copy(self) -> Registry:
        """A registry with the same kinds whose later registrations stay its own."""
        return Registry(self._kinds)

    def get(self, name: str) -> RuleKind:
        found = self._kinds.get(name)
        if found is None:
            known = ", ".join(sorted(self._kinds))
            raise KeyError(f"unknown rule kind {name!r} (known: {known})")
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[RuleKind]:
        return iter(self._kinds.values())

    def parse_params(self, kind: RuleKind, params: Mapping[str, Any]) -> BaseModel:
        """Validate a rule's parameters, as a ValueError naming the first problem."""
        body = {k: v for k, v in params.items() if k != "kind"}
        try:
            return kind.params.model_validate(body, context={"registry": self})
        except ValidationError as exc:
            first = exc.errors()[0]
            place = ".".join(str(p) for p in first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            raise ValueError(f"{kind.name}: {place + ': ' if place else ''}{message}") from None

    def checkers(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        """One parameter check per kind, for the catalogue loader."""

        def checker(kind: RuleKind) -> Callable[[dict[str, Any]], None]:
            def check(params: dict[str, Any]) -> None:
                self.parse_params(kind, params)

            return check

        return {name: checker(kind) for name, kind in self._kinds.items()}


@cache
def default_registry() -> Registry:
    """The built-in kinds, registered on first use as any plugin's would be."""
    # Imported here: the kinds' modules need this module's `RuleKind`.
    from itss.engine.kinds import register_builtin  # noqa: PLC0415

    registry = Registry()
    register_builtin(registry)
    return registry


def register(kind: RuleKind) -> RuleKind:
    """Add a tailored kind to the default registry (`itss.register`)."""
    return default_registry().register(kind)


def keys(prefix: str, *names: str) -> tuple[str, ...]:
    """Message keys `prefix.name` (a kind's `messages`)."""
    return tuple(f"{prefix}.{name}" for name in names)


def nested_registry(context: Any) -> Registry:
    """The registry a nested rule's parameters are checked against (pydantic's context)."""
    found = (context or {}).get("registry")
    return found if isinstance(found, Registry) else default_registry()
