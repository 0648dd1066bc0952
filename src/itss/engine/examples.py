"""Examples of evidence that meet a rule, planned by the rule's own kind.

Each kind registers how to meet it (`RuleKind.example`); the demo organisation and the tests
build evidence from these plans instead of keeping their own copies of what each kind wants.
A `Picker` chooses among alternatives: the first ones (the smallest example, for tests) or at
random (the demo's varied careers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from itss.catalogue.models import Criterion, Level
from itss.engine.evidence import ROLES

if TYPE_CHECKING:
    from itss.engine.registry import Registry

T = TypeVar("T")
# Measures counted in whole units: an upper bound "at most N" is met below N + 1.
INTEGER_MEASURES = frozenset(
    {"headcount", "contract_value_yen", "annual_users", "sites", "computer_rooms"}
)


class Picker(Protocol):
    def some(self, options: Sequence[T], *, every: bool) -> list[T]:
        """All the options (a conjunction), or one of them (a disjunction)."""
        ...

    def sample(self, options: Sequence[T], count: int) -> list[T]:
        """`count` of the options."""
        ...


class First:
    """The smallest example: the first alternative, the first items."""

    def some(self, options: Sequence[T], *, every: bool) -> list[T]:
        return list(options) if every else list(options[:1])

    def sample(self, options: Sequence[T], count: int) -> list[T]:
        return list(options[:count])


@dataclass
class ExamplePlan:
    """What an engagement and the person must show, as the rules of a level say."""

    # Per measure, the lowest value and the value it must stay below (None: open).
    bounds: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    concepts: list[str] = field(default_factory=list)  # claimed by the engagement
    complexity_min: int = 0  # complexity criteria the engagement must claim at least
    role: str = ROLES[0]
    years: float = 0.0
    count: int = 1  # engagements
    expertise: list[tuple[str, str]] = field(default_factory=list)  # (area, depth)
    succession: list[str] = field(default_factory=list)  # activity types
    mentoring: bool = False
    attest: list[str] = field(default_factory=list)  # criteria a reviewer must attest
    exams: list[str] = field(default_factory=list)

    def bound(self, measure: str, low: float | None, high: float | None) -> None:
        """Narrow a measure's range; contradictory clauses leave it as it was."""
        old_low, old_high = self.bounds.get(measure, (None, None))
        if old_low is not None:
            low = old_low if low is None else max(low, old_low)
        if old_high is not None:
            high = old_high if high is None else min(high, old_high)
        if low is not None and high is not None and high <= low:
            return
        self.bounds[measure] = (low, high)

    def at_least(self, role: str, years: float = 0.0, count: int = 1) -> None:
        if ROLES.index(role) > ROLES.index(self.role):
            self.role = role
        self.years = max(self.years, years)
        self.count = max(self.count, count)


@dataclass(frozen=True)
class Planner:
    """Plans examples with the kinds of one registry, choosing with one picker."""

    registry: Registry
    pick: Picker

    def rule(self, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan) -> None:
        """Add to the plan what meets `rule` (of criterion `owner`)."""
        kind = self.registry.get(str(rule.get("kind")))
        if kind.example is not None:
            kind.example(self, rule, owner, plan)

    def criterion(self, criterion: Criterion, plan: ExamplePlan) -> None:
        if criterion.informational:
            return
        if criterion.attestation:
            plan.attest.append(criterion.id)
        self.rule(criterion.rule or {"kind": "attested"}, criterion, plan)

    def level(self, level: Level) -> ExamplePlan:
        """What meets every criterion of a level."""
        plan = ExamplePlan()
        for criterion in level.criteria:
            self.criterion(criterion, plan)
        return plan


def upper_bound(rule: Mapping[str, Any]) -> float | None:
    """The value a measure must stay below: `below`, or just above `max`."""
    if rule.get("below") is not None:
        return float(rule["below"])
    if rule.get("max") is not None:
        return float(rule["max"]) + (1 if rule.get("measure") in INTEGER_MEASURES else 0.01)
    return None


def items_of(owner: Criterion) -> list[str]:
    """The concept ids of a criterion's items (what evidence names)."""
    return [i.concept or i.id for i in owner.items]
