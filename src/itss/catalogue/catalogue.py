"""A loaded framework: every category of every file, indexed by id."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from itss.catalogue.models import (
    Category,
    Criterion,
    FrameworkInfo,
    Level,
    SkillItem,
    SpecialtyField,
)


@dataclass(frozen=True)
class FieldLevel:
    """A level as it applies to one field (a common level applies to several)."""

    field: SpecialtyField
    level: Level


@dataclass
class Catalogue:
    """Categories by id with the lookups evaluation and display need."""

    categories: dict[str, Category]
    files: list[str]
    digest: str
    fields: dict[str, SpecialtyField] = field(default_factory=dict)
    field_category: dict[str, str] = field(default_factory=dict)
    criteria: dict[str, Criterion] = field(default_factory=dict)
    criterion_level: dict[str, Level] = field(default_factory=dict)
    concepts: dict[str, list[Criterion]] = field(default_factory=dict)
    skill_items: dict[str, SkillItem] = field(default_factory=dict)
    by_field: dict[str, dict[int, Level]] = field(default_factory=dict)
    # The frameworks its files name, in loading order: the last names the whole (a tailored
    # file's framework, on top of ITSS).
    frameworks: list[FrameworkInfo] = field(default_factory=list)

    # A field no longer in the framework -> the field that took its place (`succeeds`).
    successors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for category in self.categories.values():
            self._index(category)
        self.successors = {
            old: fld.id
            for fld in self.fields.values()
            for old in fld.succeeds
            if old not in self.fields
        }

    def _index(self, category: Category) -> None:
        for fld in category.fields:
            self.fields[fld.id] = fld
            self.field_category[fld.id] = category.id
            self.by_field[fld.id] = {}
        for level in category.levels:
            self._index_level(level)
        for skill in category.skill_items:
            self.skill_items[skill.id] = skill

    def _index_level(self, level: Level) -> None:
        for field_id in level.fields:
            self.by_field[field_id][level.level] = level
        for top in level.criteria:
            for criterion in top.walk():
                self.criteria[criterion.id] = criterion
                self.criterion_level[criterion.id] = level
                if criterion.concept:
                    self.concepts.setdefault(criterion.concept, []).append(criterion)

    def field_levels(self, field_id: str) -> Iterator[FieldLevel]:
        """The levels of a field, lowest first, common levels included."""
        fld = self.fields[field_id]
        for number in sorted(self.by_field[field_id]):
            yield FieldLevel(fld, self.by_field[field_id][number])

    def category_of(self, field_id: str) -> Category:
        return self.categories[self.field_category[field_id]]

    @property
    def version(self) -> str:
        """A short fingerprint of the loaded files, stored with every assessment."""
        return self.digest[:12]


def fingerprint(contents: list[bytes]) -> str:
    digest = hashlib.sha256()
    for content in contents:
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()
