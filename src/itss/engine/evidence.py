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
from pydantic_core import PydanticCustomError

from itss.catalogue.catalogue import Catalogue
from itss.errors import EvidenceError, Phrase

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
# Ids and names hold no control characters: a NUL or a line break in an id is a broken file.
PLAIN = r"^[^\x00-\x1f\x7f]*$"
Ref = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PLAIN)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=PLAIN)]
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
            raise PydanticCustomError(
                "day_with_time",
                "a date without a time of day is needed (write {forms})",
                {"forms": DAY_FORMS},
            )
        return value.date()
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-":  # ISO, as stored: C's parser, not a regex
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass  # reported below, with the forms that are accepted
        found = _WRITTEN_DAY.fullmatch(value.strip())
        if found is None:
            raise PydanticCustomError(
                "not_a_day", "not a date (write {forms})", {"forms": DAY_FORMS}
            )
        try:
            return dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            raise PydanticCustomError(
                "no_such_day", "not a date of the calendar (write {forms})", {"forms": DAY_FORMS}
            ) from None
    return value


Day = Annotated[
    dt.date,
    # The range before the written forms: pydantic then checks it natively, not as two Python
    # calls per date (a tenth of the time of validating a person).
    Field(ge=EARLIEST, le=LATEST),
    BeforeValidator(_day),
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
        raise PydanticCustomError(
            "end_before_start", "end {end} is before start {start}", {"end": end, "start": start}
        )


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
            raise PydanticCustomError(
                "attestation_one", "an attestation names exactly one of `criterion` or `skill_item`"
            )
        if self.skill_item is not None and (self.field is None or self.level is None):
            raise PydanticCustomError(
                "skill_attestation", "a skill attestation needs `field` and `level`"
            )
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
                raise PydanticCustomError(
                    "engagement_twice",
                    "engagement id {id!r} is used twice",
                    {"id": engagement.id},
                )
            seen.add(engagement.id)
        return self


Problem = tuple[str, Phrase]  # where in the evidence, what is wrong


def check_against(evidence: Evidence, catalogue: Catalogue, file: str) -> None:
    """Refuse ids the framework does not know, naming every place at once."""
    problems = evidence_problems(evidence, catalogue)
    if problems:
        raise EvidenceError.many(file, problems)


def evidence_problems(evidence: Evidence, catalogue: Catalogue) -> list[Problem]:
    """Every id of the evidence that the framework does not know, with the nearest known."""
    found: list[Problem] = []
    fields, concepts, items = catalogue.fields, catalogue.concepts, catalogue.skill_items
    # A field no longer in the framework is known: its engagements count as its successor's.
    worked_in = fields.keys() | catalogue.successors.keys()
    for index, engagement in enumerate(evidence.engagements):
        where = f"engagements[{index}]({engagement.id})"
        _known(found, engagement.field, worked_in, f"{where}.field", "evidence.unknown.field")
        for c_index, concept in enumerate(engagement.criteria):
            if concept not in catalogue.criteria:
                place = f"{where}.criteria[{c_index}]"
                _known(found, concept, concepts, place, "evidence.unknown.criterion")
    for index, expertise in enumerate(evidence.expertise):
        place = f"expertise[{index}].area"
        _known(found, expertise.area, concepts, place, "evidence.unknown.area")
    for index, activity in enumerate(evidence.succession):
        place = f"succession[{index}].type"
        _known(found, activity.type, concepts, place, "evidence.unknown.activity")
    for index, claim in enumerate(evidence.skills):
        _known(found, claim.item, items, f"skills[{index}].item", "evidence.unknown.skill_item")
        _known(found, claim.field, fields, f"skills[{index}].field", "evidence.unknown.field")
    for index, attestation in enumerate(evidence.attestations):
        where = f"attestations[{index}]"
        if attestation.criterion is not None:
            place = f"{where}.criterion"
            _known(
                found,
                attestation.criterion,
                catalogue.criteria,
                place,
                "evidence.unknown.criterion",
            )
        if attestation.skill_item is not None:
            place = f"{where}.skill_item"
            _known(found, attestation.skill_item, items, place, "evidence.unknown.skill_item")
    return found


def _known(found: list[Problem], ident: str, known: Collection[str], where: str, key: str) -> None:
    if ident in known:
        return
    nearest = difflib.get_close_matches(ident, list(known), n=3, cutoff=0.6)
    hint = Phrase("evidence.nearest", ids=" / ".join(repr(n) for n in nearest)) if nearest else ""
    found.append((where, Phrase(key, value=ident, nearest=hint)))
