"""Rule kinds judged on the whole person: experience, repetition, expertise, succession..."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from itss.catalogue.models import Criterion
from itss.engine.context import BuildContext
from itss.engine.evidence import DEPTHS, ROLES, Depth, Role
from itss.engine.examples import ExamplePlan, Planner, items_of
from itss.engine.kinds.params import NoParams, Params
from itss.engine.registry import CHEAP, RuleKind, keys
from itss.engine.subject import DEPTH_RANK, ROLE_RANK, EngagementView, Subject
from itss.engine.verdict import Message, Outcome

DAYS_PER_YEAR = 365.25


def required_days(years: float) -> int:
    """A year counts as 365.25 days, rounded down over the whole span (leap days even out)."""
    return int(years * DAYS_PER_YEAR)


def covered_days(engagements: list[EngagementView]) -> int:
    """Days covered by the engagements, end dates inclusive, overlaps counted once."""
    spans = sorted((e.start, e.end) for e in engagements)
    total, current_start, current_end = 0, None, None
    for start, end in spans:
        if current_end is None or start > current_end + dt.timedelta(days=1):
            if current_start is not None and current_end is not None:
                total += (current_end - current_start).days + 1
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def _eligible(subject: Subject, fields: list[str], role: int, level: int) -> list[EngagementView]:
    return subject.eligible(fields, role, level)


# -- experience --------------------------------------------------------------------------------


class ExperienceParams(Params):
    role: Role
    years: float = Field(gt=0, le=50)
    level_at_least: int = Field(ge=1, le=7)


@dataclass(frozen=True)
class Experience:
    fields: list[str]
    role: int
    days: int
    years: float
    level: int

    @property
    def needs_equivalence(self) -> int:
        return self.level

    def test(self, subject: Subject) -> bool:
        return covered_days(_eligible(subject, self.fields, self.role, self.level)) >= self.days

    def explain(self, subject: Subject) -> Outcome:
        eligible = _eligible(subject, self.fields, self.role, self.level)
        have = covered_days(eligible)
        args = {
            "role": ROLES[self.role],
            "level": self.level,
            "years": self.years,
            "have_years": round(have / DAYS_PER_YEAR, 2),
            "engagements": [e.id for e in eligible],
            "more_years": round(max(self.days - have, 0) / DAYS_PER_YEAR, 2),
        }
        ids = tuple(e.id for e in eligible)
        if have >= self.days:
            return Outcome(True, Message("experience.met", args), engagements=ids)
        return Outcome(
            False, Message("experience.unmet", args), Message("experience.missing", args), ids
        )


def _build_experience(params: ExperienceParams, ctx: BuildContext) -> Experience:
    return Experience(
        ctx.fields,
        ROLE_RANK[params.role],
        required_days(params.years),
        params.years,
        params.level_at_least,
    )


# -- repetition --------------------------------------------------------------------------------


class OfWhich(Params):
    count: int = Field(ge=1, le=100)
    level_at_least: int = Field(ge=1, le=7)


class RepetitionParams(Params):
    role: Role
    count: int = Field(ge=1, le=100)
    level_at_least: int = Field(ge=1, le=7)
    of_which: OfWhich | None = None


@dataclass(frozen=True)
class Repetition:
    fields: list[str]
    role: int
    count: int
    level: int
    higher_count: int
    higher_level: int

    @property
    def needs_equivalence(self) -> int:
        return max(self.level, self.higher_level) if self.higher_count else self.level

    def _counts(self, subject: Subject) -> tuple[list[EngagementView], int]:
        eligible = _eligible(subject, self.fields, self.role, self.level)
        higher = sum(1 for e in eligible if subject.equivalent_level(e) >= self.higher_level)
        return eligible, higher

    def test(self, subject: Subject) -> bool:
        eligible, higher = self._counts(subject)
        return len(eligible) >= self.count and higher >= self.higher_count

    def explain(self, subject: Subject) -> Outcome:
        eligible, higher = self._counts(subject)
        args = {
            "role": ROLES[self.role],
            "count": self.count,
            "level": self.level,
            "have": len(eligible),
            "higher_count": self.higher_count,
            "higher_level": self.higher_level,
            "have_higher": higher,
            "engagements": [e.id for e in eligible],
            "more": max(self.count - len(eligible), 0),
            "more_higher": max(self.higher_count - higher, 0),
        }
        ids = tuple(e.id for e in eligible)
        if len(eligible) >= self.count and higher >= self.higher_count:
            return Outcome(True, Message("repetition.met", args), engagements=ids)
        return Outcome(
            False, Message("repetition.unmet", args), Message("repetition.missing", args), ids
        )


def _build_repetition(params: RepetitionParams, ctx: BuildContext) -> Repetition:
    extra = params.of_which
    return Repetition(
        ctx.fields,
        ROLE_RANK[params.role],
        params.count,
        params.level_at_least,
        extra.count if extra else 0,
        extra.level_at_least if extra else params.level_at_least,
    )


# -- expertise ---------------------------------------------------------------------------------


class ExpertiseParams(Params):
    depth: Depth
    min_areas: int = Field(default=1, ge=1, le=50)


@dataclass(frozen=True)
class ExpertiseRule:
    areas: tuple[str, ...]
    texts: tuple[str, ...]  # the areas' criterion ids, rendered as their texts
    depth: int
    minimum: int
    owner: str  # the expertise criterion: its items are the options shown to a person

    def _held(self, subject: Subject) -> list[str]:
        return [
            t
            for a, t in zip(self.areas, self.texts, strict=True)
            if subject.expertise.get(a, -1) >= self.depth
        ]

    def test(self, subject: Subject) -> bool:
        return len(self._held(subject)) >= self.minimum

    def explain(self, subject: Subject) -> Outcome:
        held = self._held(subject)
        args = {
            "depth": DEPTHS[self.depth],
            "min": self.minimum,
            "areas": held,
            "options": self.owner,
            "more": max(self.minimum - len(held), 0),
        }
        if len(held) >= self.minimum:
            return Outcome(True, Message("expertise.met", args))
        return Outcome(False, Message("expertise.unmet", args), Message("expertise.missing", args))


def _build_expertise(params: ExpertiseParams, ctx: BuildContext) -> ExpertiseRule:
    items = ctx.criterion.items
    if params.min_areas > len(items):
        raise ValueError(f"min_areas {params.min_areas} exceeds the {len(items)} areas listed")
    return ExpertiseRule(
        tuple(i.concept or i.id for i in items),
        tuple(i.id for i in items),
        DEPTH_RANK[params.depth],
        params.min_areas,
        ctx.criterion.id,
    )


# -- succession --------------------------------------------------------------------------------


class SuccessionParams(Params):
    min: int = Field(ge=1, le=50)
    distinct: bool = True
    # Activity concepts of the list that do not count (a reading of a garbled list).
    exclude: list[str] = Field(default=[], max_length=20)


@dataclass(frozen=True)
class Succession:
    types: dict[str, str]  # activity concept -> the item's criterion id
    minimum: int
    distinct: bool
    owner: str  # the succession criterion: its items are the options shown to a person

    def _count(self, subject: Subject) -> tuple[int, list[str]]:
        found = [a for a in subject.activities if a.type in self.types]
        titles = [a.title for a in found]
        return (len({a.type for a in found}) if self.distinct else len(found)), titles

    def test(self, subject: Subject) -> bool:
        return self._count(subject)[0] >= self.minimum

    def explain(self, subject: Subject) -> Outcome:
        count, titles = self._count(subject)
        args = {
            "count": count,
            "min": self.minimum,
            "titles": titles,
            "options": self.owner,
            "distinct": self.distinct,
            "more": max(self.minimum - count, 0),
        }
        if count >= self.minimum:
            return Outcome(True, Message("succession.met", args))
        return Outcome(
            False, Message("succession.unmet", args), Message("succession.missing", args)
        )


def _build_succession(params: SuccessionParams, ctx: BuildContext) -> Succession:
    items = [i for i in ctx.criterion.items if (i.concept or i.id) not in params.exclude]
    return Succession(
        {i.concept or i.id: i.id for i in items}, params.min, params.distinct, ctx.criterion.id
    )


# -- mentoring, attested, qualification --------------------------------------------------------


@dataclass(frozen=True)
class MentoringRule:
    def test(self, subject: Subject) -> bool:
        return bool(subject.mentoring)

    def explain(self, subject: Subject) -> Outcome:
        args = {"count": len(subject.mentoring)}
        if subject.mentoring:
            return Outcome(True, Message("mentoring.met", args))
        return Outcome(False, Message("mentoring.unmet", args), Message("mentoring.missing", args))


@dataclass(frozen=True)
class Attested:
    criterion: str

    def test(self, subject: Subject) -> bool:
        return self.criterion in subject.attested

    def explain(self, subject: Subject) -> Outcome:
        found = subject.attested.get(self.criterion)
        if found is not None:
            return Outcome(True, Message("attested.met", {"by": found.by, "date": found.date}))
        return Outcome(False, Message("attested.unmet"), Message("attested.missing"))


class QualificationParams(Params):
    exam: str = Field(min_length=1)


@dataclass(frozen=True)
class QualificationRule:
    exam: str

    def test(self, subject: Subject) -> bool:
        return self.exam in subject.qualifications

    def explain(self, subject: Subject) -> Outcome:
        args = {"exam": self.exam}
        if self.test(subject):
            return Outcome(True, Message("qualification.met", args))
        return Outcome(
            False, Message("qualification.unmet", args), Message("qualification.missing", args)
        )


# -- examples: what meets each kind (`itss.engine.examples`) -----------------------------------


def _example_experience(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    plan.at_least(str(rule["role"]), years=float(rule.get("years", 0)))


def _example_repetition(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    plan.at_least(str(rule["role"]), count=int(rule.get("count", 1)))


def _example_expertise(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    areas = planner.pick.sample(items_of(owner), int(rule.get("min_areas", 1)))
    plan.expertise.extend((area, str(rule["depth"])) for area in areas)


def _example_succession(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    plan.succession.extend(planner.pick.sample(items_of(owner), int(rule.get("min", 1))))


def _example_mentoring(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    plan.mentoring = True


def _example_attested(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    if owner.id not in plan.attest:
        plan.attest.append(owner.id)


def _example_qualification(
    planner: Planner, rule: Mapping[str, Any], owner: Criterion, plan: ExamplePlan
) -> None:
    plan.exams.append(str(rule["exam"]))


KINDS = (
    RuleKind(
        "experience",
        "person",
        ExperienceParams,
        _build_experience,
        example=_example_experience,
        messages=keys("experience", "met", "unmet", "missing"),
    ),
    RuleKind(
        "repetition",
        "person",
        RepetitionParams,
        _build_repetition,
        example=_example_repetition,
        messages=keys("repetition", "met", "unmet", "missing"),
    ),
    RuleKind(
        "expertise",
        "person",
        ExpertiseParams,
        _build_expertise,
        example=_example_expertise,
        messages=keys("expertise", "met", "unmet", "missing"),
        cost=CHEAP,
    ),
    RuleKind(
        "succession",
        "person",
        SuccessionParams,
        _build_succession,
        example=_example_succession,
        messages=keys("succession", "met", "unmet", "missing"),
        cost=CHEAP,
    ),
    RuleKind(
        "mentoring",
        "person",
        NoParams,
        lambda params, ctx: MentoringRule(),
        example=_example_mentoring,
        messages=keys("mentoring", "met", "unmet", "missing"),
        cost=CHEAP,
    ),
    RuleKind(
        "attested",
        "person",
        NoParams,
        lambda params, ctx: Attested(ctx.criterion.id),
        example=_example_attested,
        attestation_only=True,
        messages=keys("attested", "met", "unmet", "missing"),
    ),
    RuleKind(
        "qualification",
        "person",
        QualificationParams,
        lambda params, ctx: QualificationRule(params.exam),
        example=_example_qualification,
        messages=keys("qualification", "met", "unmet", "missing"),
        cost=CHEAP,
    ),
)
