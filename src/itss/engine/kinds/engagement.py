"""Rule kinds judged on one engagement at a time: complexity checklists and size clauses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from itss.catalogue.models import Criterion
from itss.engine.context import BuildContext
from itss.engine.evidence import Measure as MeasureName
from itss.engine.examples import ExamplePlan, Planner, items_of, upper_bound
from itss.engine.kinds.params import NoParams, Params
from itss.engine.registry import Example, RuleKind, keys, nested_registry
from itss.engine.subject import EngagementView, Subject
from itss.engine.verdict import Message, Outcome

# -- checklist ---------------------------------------------------------------------------------


class ChecklistParams(Params):
    min: int = Field(ge=0, le=50)
    required: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Checklist:
    concepts: tuple[str, ...]
    texts: tuple[str, ...]  # the items' criterion ids, rendered as their texts
    minimum: int
    required: frozenset[str]
    owner: str = ""  # the checklist criterion: its items are the options shown to a person
    concept_set: frozenset[str] = frozenset()
    pairs: tuple[tuple[str, str], ...] = ()  # (concept, text) of each item, in order

    def __post_init__(self) -> None:
        object.__setattr__(self, "concept_set", frozenset(self.concepts))
        object.__setattr__(self, "pairs", tuple(zip(self.concepts, self.texts, strict=True)))

    def count(self, engagement: EngagementView) -> int:
        return len(self.concept_set & engagement.concepts)

    def test(self, engagement: EngagementView) -> bool:
        claimed = engagement.concepts
        return len(self.concept_set & claimed) >= self.minimum and self.required <= claimed

    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome:
        have = engagement.concepts
        claimed = [t for c, t in self.pairs if c in have]
        lacking_required = [t for c, t in self.pairs if c in self.required and c not in have]
        if self.test(engagement):
            return Outcome(
                True,
                Message(
                    "checklist.met",
                    {
                        "engagement": engagement.id,
                        "count": len(claimed),
                        "min": self.minimum,
                        "items": claimed,
                    },
                ),
                engagements=(engagement.id,),
            )
        return Outcome(
            False,
            Message(
                "checklist.short",
                {
                    "engagement": engagement.id,
                    "count": len(claimed),
                    "min": self.minimum,
                    "items": claimed,
                },
            ),
            Message(
                "checklist.missing",
                {
                    "more": max(self.minimum - len(claimed), 0),
                    "min": self.minimum,
                    "required": lacking_required,
                    "options": self.owner,
                },
            ),
        )


def _build_checklist(params: ChecklistParams, ctx: BuildContext) -> Checklist:
    items = ctx.criterion.items
    concepts = tuple(item.concept or item.id for item in items)
    unknown = [r for r in params.required if r not in concepts]
    if unknown:
        raise ValueError(f"required {unknown} are not concepts of this checklist's items")
    return Checklist(
        concepts,
        tuple(i.id for i in items),
        params.min,
        frozenset(params.required),
        ctx.criterion.id,
    )


def _combine(rules: tuple[Any, ...], all_needed: bool, engagement: EngagementView) -> bool:
    # Plain loops: size clauses are tested for every engagement against every level.
    if all_needed:
        for rule in rules:
            if not rule.test(engagement):
                return False
        return True
    for rule in rules:
        if rule.test(engagement):
            return True
    return False


# -- any_item ----------------------------------------------------------------------------------


class AnyItemParams(Params):
    mode: Literal["any", "all"] = "any"


@dataclass(frozen=True)
class AnyItem:
    rules: tuple[Any, ...]
    texts: tuple[str, ...]  # the items' criterion ids, rendered as their texts
    all_needed: bool

    def test(self, engagement: EngagementView) -> bool:
        return _combine(self.rules, self.all_needed, engagement)

    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome:
        passed = [rule.test(engagement) for rule in self.rules]
        if all(passed) if self.all_needed else any(passed):
            met = [t for t, ok in zip(self.texts, passed, strict=True) if ok]
            return Outcome(
                True,
                Message("items.met", {"engagement": engagement.id, "items": met}),
                engagements=(engagement.id,),
            )
        # Only the clauses not met need their explanation: what is missing from each.
        outcomes = [
            rule.explain(subject, engagement)
            for rule, ok in zip(self.rules, passed, strict=True)
            if not ok
        ]
        unmet = [o.missing for o in outcomes if o.missing]
        key = "items.all_missing" if self.all_needed else "items.any_missing"
        return Outcome(
            False,
            Message("items.unmet", {"engagement": engagement.id}),
            Message(key, {"parts": unmet}),
        )


def _build_any_item(params: AnyItemParams, ctx: BuildContext) -> AnyItem:
    items = [item for item in ctx.criterion.items if item.rule is not None]
    if not items:
        raise ValueError("an any_item rule needs items with rules")
    rules = tuple(ctx.build_rule(item.rule or {}, item) for item in items)
    return AnyItem(rules, tuple(i.id for i in items), params.mode == "all")


# -- all_of / any_of ---------------------------------------------------------------------------


class CombinatorParams(Params):
    of: list[dict[str, Any]] = Field(min_length=1)

    @field_validator("of")
    @classmethod
    def _nested(cls, rules: list[dict[str, Any]], info: ValidationInfo) -> list[dict[str, Any]]:
        registry = nested_registry(info.context)
        for rule in rules:
            name = rule.get("kind")
            if not isinstance(name, str):
                raise ValueError("each nested rule needs a `kind`")
            try:
                kind = registry.get(name)
            except KeyError:
                raise ValueError(f"unknown nested rule kind {name!r}") from None
            if kind.scope != "engagement":
                raise ValueError(f"{name!r} cannot be nested in a size clause")
            registry.parse_params(kind, rule)
        return rules


@dataclass(frozen=True)
class Combinator:
    rules: tuple[Any, ...]
    all_needed: bool

    def test(self, engagement: EngagementView) -> bool:
        return _combine(self.rules, self.all_needed, engagement)

    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome:
        outcomes = [rule.explain(subject, engagement) for rule in self.rules]
        reasons = [o.reason for o in outcomes]
        if self.test(engagement):
            return Outcome(
                True,
                Message(
                    "join.and" if self.all_needed else "join.or",
                    {"parts": [r for r, o in zip(reasons, outcomes, strict=True) if o.met]},
                ),
                engagements=(engagement.id,),
            )
        missing = [o.missing for o in outcomes if not o.met and o.missing]
        return Outcome(
            False,
            Message("join.and", {"parts": reasons}),
            Message("join.and" if self.all_needed else "join.or", {"parts": missing}),
        )


def _build_all_of(params: CombinatorParams, ctx: BuildContext) -> Combinator:
    return Combinator(tuple(ctx.nested(rule) for rule in params.of), True)


def _build_any_of(params: CombinatorParams, ctx: BuildContext) -> Combinator:
    return Combinator(tuple(ctx.nested(rule) for rule in params.of), False)


# -- measure -----------------------------------------------------------------------------------


class MeasureParams(Params):
    measure: MeasureName
    min: float | None = Field(default=None, ge=0)
    below: float | None = Field(default=None, gt=0)
    max: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _bounds(self) -> MeasureParams:
        if self.min is None and self.below is None and self.max is None:
            raise ValueError("a measure needs at least one of min, below, max")
        upper = self.below if self.below is not None else self.max
        if self.min is not None and upper is not None and upper < self.min:
            raise ValueError(f"upper bound {upper} is less than min {self.min}")
        return self


@dataclass(frozen=True)
class Measure:
    name: str
    low: float | None
    below: float | None
    high: float | None
    literal: bool

    def test(self, engagement: EngagementView) -> bool:
        value = engagement.measures.get(self.name)
        if value is None:
            return False
        if self.low is not None and value < self.low:
            return False
        if not self.literal:
            # Open reading: a larger engagement is "equivalent to level N or above".
            return self.low is not None or value > 0
        if self.below is not None and value >= self.below:
            return False
        return self.high is None or value <= self.high

    def _bounds(self) -> dict[str, Any]:
        return {"measure": self.name, "min": self.low, "below": self.below, "max": self.high}

    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome:
        value = engagement.measures.get(self.name)
        args = {**self._bounds(), "engagement": engagement.id, "value": value}
        if self.test(engagement):
            return Outcome(True, Message("measure.met", args), engagements=(engagement.id,))
        reason = "measure.unmet" if value is not None else "measure.unrecorded"
        return Outcome(False, Message(reason, args), Message("measure.missing", args))


def _build_measure(params: MeasureParams, ctx: BuildContext) -> Measure:
    return Measure(
        params.measure, params.min, params.below, params.max, ctx.policy.literal_upper_bounds
    )


# -- complexity_count --------------------------------------------------------------------------


class ComplexityCountParams(Params):
    min: int = Field(ge=1, le=50)


@dataclass(frozen=True)
class ComplexityCount:
    concepts: frozenset[str]
    minimum: int

    def test(self, engagement: EngagementView) -> bool:
        return len(self.concepts & engagement.concepts) >= self.minimum

    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome:
        args = {
            "engagement": engagement.id,
            "count": len(self.concepts & engagement.concepts),
            "min": self.minimum,
        }
        if self.test(engagement):
            return Outcome(
                True, Message("complexity_count.met", args), engagements=(engagement.id,)
            )
        return Outcome(
            False,
            Message("complexity_count.unmet", args),
            Message("complexity_count.missing", args),
        )


def _build_complexity_count(params: ComplexityCountParams, ctx: BuildContext) -> ComplexityCount:
    if not ctx.complexity_concepts:
        raise ValueError("complexity_count needs a complexity checklist on the same level")
    return ComplexityCount(ctx.complexity_concepts, params.min)


# -- claimed / unrestricted --------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    concept: str
    text: str  # the item's criterion id

    def test(self, engagement: EngagementView) -> bool:
        return self.concept in engagement.concepts

    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome:
        args = {"engagement": engagement.id, "item": self.text}
        if self.test(engagement):
            return Outcome(True, Message("claimed.met", args), engagements=(engagement.id,))
        return Outcome(False, Message("claimed.unmet", args), Message("claimed.missing", args))


def _build_claimed(params: NoParams, ctx: BuildContext) -> Claimed:
    return Claimed(ctx.criterion.concept or ctx.criterion.id, ctx.criterion.id)


@dataclass(frozen=True)
class Unrestricted:
    def test(self, engagement: EngagementView) -> bool:
        return True

    def explain(self, subject: Subject, engagement: EngagementView) -> Outcome:
        return Outcome(
            True,
            Message("unrestricted.met", {"engagement": engagement.id}),
            engagements=(engagement.id,),
        )


def _build_unrestricted(params: NoParams, ctx: BuildContext) -> Unrestricted:
    return Unrestricted()


# -- examples: what meets each kind (`itss.engine.examples`) -----------------------------------


def _example_checklist(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    options = items_of(owner)
    required = [c for c in rule.get("required", []) if c in options]
    rest = [c for c in options if c not in required]
    wanted = max(0, int(rule.get("min", 0)) - len(required))
    plan.concepts.extend(required + planner.pick.sample(rest, min(wanted, len(rest))))


def _example_any_item(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    items = [i for i in owner.items if i.rule is not None]
    for item in planner.pick.some(items, every=rule.get("mode") == "all"):
        planner.rule(item.rule or {}, item, plan)


def _example_combination(every: bool) -> Example:
    def example(
        planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
    ) -> None:
        for part in planner.pick.some(list(rule.get("of", [])), every=every):
            planner.rule(part, owner, plan)

    return example


def _example_measure(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    plan.bound(str(rule["measure"]), rule.get("min"), upper_bound(rule))


def _example_complexity_count(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    plan.complexity_min = max(plan.complexity_min, int(rule.get("min", 0)))


def _example_claimed(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    plan.concepts.append(owner.concept or owner.id)


KINDS = (
    RuleKind(
        "checklist",
        "engagement",
        ChecklistParams,
        _build_checklist,
        example=_example_checklist,
        messages=keys("checklist", "met", "short", "missing"),
    ),
    RuleKind(
        "any_item",
        "engagement",
        AnyItemParams,
        _build_any_item,
        example=_example_any_item,
        messages=keys("items", "met", "unmet", "any_missing", "all_missing"),
    ),
    RuleKind(
        "all_of",
        "engagement",
        CombinatorParams,
        _build_all_of,
        example=_example_combination(every=True),
        messages=keys("join", "and"),
    ),
    RuleKind(
        "any_of",
        "engagement",
        CombinatorParams,
        _build_any_of,
        example=_example_combination(every=False),
        messages=keys("join", "and", "or"),
    ),
    RuleKind(
        "measure",
        "engagement",
        MeasureParams,
        _build_measure,
        example=_example_measure,
        messages=keys("measure", "met", "unmet", "unrecorded", "missing"),
    ),
    RuleKind(
        "complexity_count",
        "engagement",
        ComplexityCountParams,
        _build_complexity_count,
        example=_example_complexity_count,
        messages=keys("complexity_count", "met", "unmet", "missing"),
    ),
    RuleKind(
        "claimed",
        "engagement",
        NoParams,
        _build_claimed,
        example=_example_claimed,
        messages=keys("claimed", "met", "unmet", "missing"),
    ),
    RuleKind(
        "unrestricted",
        "engagement",
        NoParams,
        _build_unrestricted,
        example=lambda planner, rule, owner, plan: None,  # anything meets it
        messages=keys("unrestricted", "met"),
    ),
)
