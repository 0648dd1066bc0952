"""Turning a catalogue and a policy into evaluators, once, before any person is assessed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.loader import READING_KEYS, declared_readings
from itss.catalogue.models import Criterion, Level
from itss.engine.context import BuildContext
from itss.engine.policy import Policy
from itss.engine.registry import COSTLY, Registry, default_registry
from itss.errors import PolicyError


@dataclass(frozen=True)
class CompiledCriterion:
    criterion: Criterion
    scope: str
    rule: Any
    attestation: bool
    informational: bool
    id: str = ""
    attested_only: bool = False
    engagement: bool = False
    cost: int = COSTLY

    def __post_init__(self) -> None:
        # Looked up for every person: precomputed rather than derived each time.
        object.__setattr__(self, "id", self.criterion.id)
        object.__setattr__(self, "engagement", self.scope == "engagement")


@dataclass(frozen=True)
class CompiledLevel:
    level: Level
    criteria: tuple[CompiledCriterion, ...]
    # The complexity and size of the level: what makes one engagement "equivalent" to it.
    engagement_criteria: tuple[CompiledCriterion, ...]
    # Required criteria, evidence first (a level usually fails on evidence), the cheapest
    # tests first: the level's status does not depend on the order.
    required: tuple[CompiledCriterion, ...] = ()
    fields: tuple[str, ...] = ()
    number: int = 0
    # The least equivalence (see `Subject.equivalent_level`) some engagement must have for the
    # level to be reachable at all, declared by its rules; lets a search skip hopeless levels.
    needs_equivalence: int = 0
    common: bool = False

    def __post_init__(self) -> None:
        required = [c for c in self.criteria if not c.informational]
        required.sort(key=lambda c: (c.attested_only, c.cost))
        needs = max((getattr(c.rule, "needs_equivalence", 0) for c in required), default=0)
        object.__setattr__(self, "required", tuple(required))
        object.__setattr__(self, "fields", tuple(self.level.fields))
        object.__setattr__(self, "number", self.level.level)
        object.__setattr__(self, "needs_equivalence", needs)
        object.__setattr__(self, "common", bool(self.level.common_to))


def resolve_params(rule: Mapping[str, Any], policy: Policy) -> dict[str, Any]:
    """The rule's parameters under the policy's reading of its ambiguity, if it has one."""
    params = {k: v for k, v in rule.items() if k not in READING_KEYS}
    for ambiguity, readings in declared_readings(rule).items():
        chosen = policy.reading(ambiguity)
        if chosen is not None and chosen != "default":
            params.update(readings[chosen])
    return params


class Compiler:
    def __init__(
        self, catalogue: Catalogue, policy: Policy, registry: Registry | None = None
    ) -> None:
        self.catalogue = catalogue
        self.policy = policy
        self.registry = registry or default_registry()

    def level(self, level: Level) -> CompiledLevel:
        concepts = _complexity_concepts(level)
        compiled = tuple(self._criterion(c, level, concepts) for c in level.criteria)
        engagement = tuple(c for c in compiled if c.scope == "engagement" and not c.informational)
        return CompiledLevel(level, compiled, engagement)

    def _criterion(
        self, criterion: Criterion, level: Level, concepts: frozenset[str]
    ) -> CompiledCriterion:
        # A criterion without a rule is one that only a reviewer can confirm.
        rule = criterion.rule or {"kind": "attested"}
        registry = self.registry

        def build(nested: Mapping[str, Any], owner: Criterion) -> Any:
            nested_kind = registry.get(str(nested.get("kind")))
            ctx = BuildContext(self.catalogue, owner, level, self.policy, concepts, build)
            params = registry.parse_params(nested_kind, resolve_params(nested, self.policy))
            return nested_kind.build(params, ctx)

        try:
            kind = registry.get(str(rule.get("kind")))
            built = build(rule, criterion)
        except (KeyError, ValueError) as exc:
            raise PolicyError(self.policy.name, criterion.id, str(exc).strip("\"'")) from None
        return CompiledCriterion(
            criterion,
            kind.scope,
            built,
            criterion.attestation,
            criterion.informational,
            attested_only=kind.attestation_only,
            cost=kind.cost,
        )


def _complexity_concepts(level: Level) -> frozenset[str]:
    for criterion in level.criteria:
        if criterion.section == "complexity" and criterion.items:
            return frozenset(i.concept or i.id for i in criterion.items)
    return frozenset()


def ambiguities(catalogue: Catalogue) -> dict[str, set[str]]:
    """Every ambiguity id the catalogue's rules declare, with their reading names."""
    found: dict[str, set[str]] = {}
    for criterion in catalogue.criteria.values():
        _collect(criterion.rule, found)
    return found


def _collect(rule: Any, found: dict[str, set[str]]) -> None:
    if not isinstance(rule, Mapping):
        return
    for ambiguity, readings in declared_readings(rule).items():
        found.setdefault(ambiguity, set()).update(readings)
    for nested in rule.get("of", []) or []:
        _collect(nested, found)
