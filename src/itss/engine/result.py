"""The result of assessing one person: a level per field, explained."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from itss.catalogue.models import KnowledgeItem, Text
from itss.engine.verdict import LevelVerdict, Verdict


@dataclass(frozen=True)
class SkillProfile:
    """One skill item of a category with skill items (Operations)."""

    item: str
    field: str
    claimed: int | None
    attested: int | None
    attested_by: str | None
    proficiency: Text | None
    knowledge: tuple[KnowledgeItem, ...]


@dataclass(frozen=True)
class FieldResult:
    field: str
    category: str
    level: int
    provisional_level: int
    reached: LevelVerdict | None
    next: LevelVerdict | None
    skills: tuple[SkillProfile, ...] = ()

    @property
    def missing(self) -> tuple[Verdict, ...]:
        """What stands between the person and the next level."""
        if self.next is None:
            return ()
        return tuple(v for v in self.next.required if not v.status.met)


@dataclass(frozen=True)
class Assessment:
    person: str
    name: str
    as_of: dt.date
    framework_version: str
    policy: str
    fields: tuple[FieldResult, ...] = field(default=())

    def level_of(self, field_id: str) -> int:
        for result in self.fields:
            if result.field == field_id:
                return result.level
        return 0
