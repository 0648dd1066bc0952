"""The result of assessing one person: a level per field, explained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from itss.catalogue.models import KnowledgeItem, Text
from itss.engine.verdict import LevelVerdict, Status, Verdict


class SkillProfile(NamedTuple):  # a named tuple: several are made per person and field
    """One skill item of a category with skill items (Operations)."""

    item: str
    field: str
    claimed: int | None
    attested: int | None
    attested_by: str | None
    proficiency: Text | None
    knowledge: tuple[KnowledgeItem, ...]


class Explanation(NamedTuple):
    """The explained verdicts of a field: what was reached, what is next, and the way there."""

    reached: LevelVerdict | None  # the level confirmed (None below level 1)
    next: LevelVerdict | None  # the level above it, if the field has one
    skills: tuple[SkillProfile, ...]
    # Where the provisional level is above the confirmed one: that level (only attestations
    # stand between the person and it) and the level above it.
    within_reach: LevelVerdict | None = None
    beyond: LevelVerdict | None = None


class Step(NamedTuple):
    """One step of the way to a higher level: the level, and what is still missing for it."""

    level: int
    missing: tuple[Verdict, ...]
    attestations_only: bool


class FieldResult:
    """A field's level and provisional level, with the explanation built on first use.

    Bulk runs that only need levels never pay for explanations; the evaluation is pure, so
    building them later gives exactly what building them at once would have given.
    """

    __slots__ = ("_explain", "_explained", "category", "field", "level", "provisional_level")

    def __init__(
        self,
        field: str,
        category: str,
        level: int,
        provisional_level: int,
        explain: Callable[[], Explanation],
    ) -> None:
        self.field = field
        self.category = category
        self.level = level
        self.provisional_level = provisional_level
        self._explain = explain
        self._explained: Explanation | None = None

    def _get(self) -> Explanation:
        if self._explained is None:
            self._explained = self._explain()
        return self._explained

    @property
    def explanation(self) -> Explanation:
        return self._get()

    @property
    def reached(self) -> LevelVerdict | None:
        """The explained verdict of the level reached (None below level 1)."""
        return self._get().reached

    @property
    def next(self) -> LevelVerdict | None:
        """The explained verdict of the level above it, if the field has one."""
        return self._get().next

    @property
    def skills(self) -> tuple[SkillProfile, ...]:
        return self._get().skills

    @property
    def steps(self) -> tuple[Step, ...]:
        """What to do next, highest level within reach first: where only attestations stand
        between the person and a higher level, that level, then the one above it; otherwise
        the level above the one reached."""
        explained = self._get()
        levels = (
            (explained.within_reach, explained.beyond)
            if explained.within_reach is not None
            else (explained.next,)
        )
        return tuple(_step(level) for level in levels if level is not None)

    @property
    def missing(self) -> tuple[Verdict, ...]:
        """What stands between the person and the next level."""
        following = self.next
        if following is None:
            return ()
        return tuple(v for v in following.required if not v.status.met)

    def _key(self) -> tuple[object, ...]:
        return (self.field, self.category, self.level, self.provisional_level, *self._get())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldResult) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.field, self.level, self.provisional_level))

    def __repr__(self) -> str:
        return (
            f"FieldResult({self.field!r}, level={self.level}, provisional={self.provisional_level})"
        )


def _step(level: LevelVerdict) -> Step:
    missing = tuple(v for v in level.required if not v.status.met)
    only = all(v.status is Status.NEEDS_ATTESTATION for v in missing)
    return Step(level.level, missing, only)


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
