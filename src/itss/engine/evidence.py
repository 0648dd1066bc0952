"""The evidence a person records: engagements, contributions, qualifications, attestations.

These models validate an evidence document on their own (dates, numbers, shapes);
`check_against` then refuses ids the loaded framework does not know.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from itss.catalogue.catalogue import Catalogue
from itss.errors import EvidenceError

ROLES = ("member", "leader", "responsible", "overall_responsible")
DEPTHS = (
    "basic",
    "practises_alone",
    "guides_subordinates",
    "guides_company",
    "guides_industry",
    "leads_industry",
)
Role = Literal["member", "leader", "responsible", "overall_responsible"]
Depth = Literal[
    "basic",
    "practises_alone",
    "guides_subordinates",
    "guides_company",
    "guides_industry",
    "leads_industry",
]
Measure = Literal[
    "headcount",
    "contract_value_yen",
    "annual_users",
    "sites",
    "computer_rooms",
    "floor_area_m2",
]
MEASURES: tuple[Measure, ...] = get_args(Measure)
Ref = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=300)]
# No engagement anywhere is larger than these; a bigger number is a typing mistake.
Headcount = Annotated[int, Field(ge=0, le=1_000_000)]
Yen = Annotated[int, Field(ge=0, le=10**15)]
Count = Annotated[int, Field(ge=0, le=10**9)]
Area = Annotated[float, Field(ge=0, le=10**8)]
EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2100, 12, 31)
# Dates as people write them: ISO (2018-04-01), as Excel and Japanese offices do (2018/4/1,
# 2018.4.1, 2018年4月1日), or a spreadsheet's own date cell (a datetime at midnight).
_WRITTEN_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
DAY_FORMS = "2018-04-01, 2018/4/1 or 2018年4月1日"


def _day(value: object) -> object:
    if value.__class__ is dt.date:  # already a date (the common case): nothing to do
        return value
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise ValueError(f"a date without a time of day is needed (write {DAY_FORMS})")
        return value.date()
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-":  # ISO, as stored: C's parser, not a regex
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass  # reported below, with the forms that are accepted
        found = _WRITTEN_DAY.fullmatch(value.strip())
        if found is None:
            raise ValueError(f"not a date (write {DAY_FORMS})")
        try:
            return dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            raise ValueError(f"not a date of the calendar (write {DAY_FORMS})") from None
    return value


Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    Field(ge=EARLIEST, le=LATEST),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*$",
            "description": f"a day from {EARLIEST} to {LATEST}: {DAY_FORMS}",
        }
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _ordered(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValueError(f"end {end} is before start {start}")


class Engagement(_Model):
    # The order of the fields is the order of the columns of the import sheets.
    id: Ref
    field: Ref
    role: Role
    start: Day
    end: Day | None = None
    headcount: Headcount | None = None
    contract_value_yen: Yen | None = None
    annual_users: Count | None = None
    sites: Count | None = None
    computer_rooms: Count | None = None
    floor_area_m2: Area | None = None
    criteria: list[Ref] = []
    succeeded: bool = True
    description: str = ""

    @model_validator(mode="after")
    def _span(self) -> Engagement:
        _ordered(self.start, self.end)
        return self


class Expertise(_Model):
    area: Ref
    depth: Depth
    since: Day | None = None


class Activity(_Model):
    type: Ref
    date: Day
    title: Name


class Mentoring(_Model):
    start: Day
    end: Day | None = None
    mentee: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _span(self) -> Mentoring:
        _ordered(self.start, self.end)
        return self


class Qualification(_Model):
    id: Ref
    date: Day
    name: str = ""


class SkillClaim(_Model):
    item: Ref
    field: Ref
    level: Annotated[int, Field(ge=1, le=7)]


class Attestation(_Model):
    """A person's confirmation of a criterion, or of a skill proficiency."""

    by: Name
    date: Day
    criterion: Ref | None = None
    skill_item: Ref | None = None
    field: Ref | None = None
    level: Annotated[int, Field(ge=1, le=7)] | None = None
    note: str = ""

    @model_validator(mode="after")
    def _target(self) -> Attestation:
        if (self.criterion is None) == (self.skill_item is None):
            raise ValueError("an attestation names exactly one of `criterion` or `skill_item`")
        if self.skill_item is not None and (self.field is None or self.level is None):
            raise ValueError("a skill attestation needs `field` and `level`")
        return self


class Person(_Model):
    id: Ref
    name: Name
    name_en: str | None = None


class Evidence(_Model):
    format: Literal["itss-evidence/1"] = "itss-evidence/1"
    person: Person
    engagements: list[Engagement] = []
    expertise: list[Expertise] = []
    succession: list[Activity] = []
    mentoring: list[Mentoring] = []
    qualifications: list[Qualification] = []
    skills: list[SkillClaim] = []
    attestations: list[Attestation] = []

    @model_validator(mode="after")
    def _unique_engagements(self) -> Evidence:
        seen: set[str] = set()
        for engagement in self.engagements:
            if engagement.id in seen:
                raise ValueError(f"engagement id {engagement.id!r} is used twice")
            seen.add(engagement.id)
        return self


Problem = tuple[str, str]  # where in the evidence, what is wrong


def check_against(evidence: Evidence, catalogue: Catalogue, file: str) -> None:
    """Refuse ids the framework does not know, naming every place at once."""
    problems = evidence_problems(evidence, catalogue)
    if problems:
        raise EvidenceError.many(file, problems)


def evidence_problems(evidence: Evidence, catalogue: Catalogue) -> list[Problem]:
    """Every id of the evidence that the framework does not know, with the nearest known."""
    found: list[Problem] = []
    for index, engagement in enumerate(evidence.engagements):
        where = f"engagements[{index}]({engagement.id})"
        _known(found, engagement.field, catalogue.fields, f"{where}.field", "specialty field")
        for c_index, concept in enumerate(engagement.criteria):
            if concept not in catalogue.criteria:
                _known(
                    found, concept, catalogue.concepts, f"{where}.criteria[{c_index}]", "criterion"
                )
    for index, expertise in enumerate(evidence.expertise):
        _known(
            found,
            expertise.area,
            catalogue.concepts,
            f"expertise[{index}].area",
            "area of expertise",
        )
    for index, activity in enumerate(evidence.succession):
        where = f"succession[{index}].type"
        _known(found, activity.type, catalogue.concepts, where, "succession activity")
    for index, claim in enumerate(evidence.skills):
        _known(found, claim.item, catalogue.skill_items, f"skills[{index}].item", "skill item")
        _known(found, claim.field, catalogue.fields, f"skills[{index}].field", "specialty field")
    for index, attestation in enumerate(evidence.attestations):
        where = f"attestations[{index}]"
        if attestation.criterion is not None:
            _known(
                found, attestation.criterion, catalogue.criteria, f"{where}.criterion", "criterion"
            )
        if attestation.skill_item is not None:
            _known(
                found,
                attestation.skill_item,
                catalogue.skill_items,
                f"{where}.skill_item",
                "skill item",
            )
    return found


def _known(found: list[Problem], ident: str, known: Collection[str], where: str, what: str) -> None:
    if ident in known:
        return
    nearest = difflib.get_close_matches(ident, list(known), n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(repr(n) for n in nearest)}?)" if nearest else ""
    found.append((where, f"unknown {what} {ident!r}{hint}"))
