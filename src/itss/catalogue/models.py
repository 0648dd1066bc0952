"""The typed model of a framework: categories, fields, levels, criteria, skill items."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$", max_length=200)
]
LevelNumber = Annotated[int, Field(ge=1, le=7)]
Section = Literal[
    "responsibility", "complexity", "size", "task", "expertise", "succession", "mentoring", "remark"
]
Edition = Literal["current", "earlier", "unstated"]  # unstated: the source names no edition
SOURCE_FILES = (
    "000_89c44aedb2bf8795.txt",
    "001_2861979a0c0b24b7.txt",
    "002_28c3cad262b983aa.txt",
    "003_a741ac5694ba67b0.txt",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Text(Strict):
    """A text in Japanese and English; either may be our own rendering, and says so."""

    ja: Annotated[str, StringConstraints(min_length=1)]
    en: str | None = None
    ja_unofficial: bool = False
    en_unofficial: bool = False
    # The English is cut from the official translation and joined into a sentence of its own
    # (the qualitative part of a responsibility sentence): official words, our edit.
    en_edited: bool = False

    def get(self, lang: str) -> str:
        if lang == "en" and self.en:
            return self.en
        return self.ja


class SourceRef(Strict):
    """Where in the source documents an entry comes from."""

    file: Annotated[str, StringConstraints(min_length=1)]
    line: Annotated[int, Field(ge=1)]


Sources = Annotated[list[SourceRef], Field(min_length=1)]


class Criterion(Strict):
    """One addressable criterion of a level, or a checkbox item under one."""

    id: Id
    section: Section
    text: Text
    sources: Sources
    rule: dict[str, Any] | None = None
    concept: Id | None = None
    attestation: bool = False
    informational: bool = False
    note: str | None = None
    items: list[Criterion] = []

    def walk(self) -> list[Criterion]:
        """This criterion and every item below it."""
        found = [self]
        for item in self.items:
            found.extend(item.walk())
        return found


class Level(Strict):
    id: Id
    level: LevelNumber
    field: Id | None = None
    common_to: list[Id] = []
    sources: Sources
    note: str | None = None
    criteria: Annotated[list[Criterion], Field(min_length=1)]

    @model_validator(mode="after")
    def _one_owner(self) -> Level:
        if bool(self.field) == bool(self.common_to):
            raise ValueError("a level names exactly one of `field` or `common_to`")
        return self

    @property
    def fields(self) -> list[str]:
        return [self.field] if self.field else list(self.common_to)


class SpecialtyField(Strict):
    id: Id
    name: Text
    description: Text | None = None
    levels: Annotated[list[LevelNumber], Field(min_length=1)]
    sources: Sources
    note: str | None = None
    # Fields of an earlier edition or another framework that this field takes the place of:
    # where they are not in the framework, engagements recorded in them count as this field's.
    succeeds: list[Id] = []


class KnowledgeItem(Strict):
    id: Id
    text: Text
    sources: Sources
    children: list[KnowledgeItem] = []


class Proficiency(Strict):
    level: LevelNumber
    text: Text
    sources: Sources


class SkillForField(Strict):
    field: Id
    sources: Sources
    proficiency: list[Proficiency] = []
    knowledge: list[KnowledgeItem] = []
    note: str | None = None


class SkillItem(Strict):
    id: Id
    scope: Literal["common", "specific"]
    fields: list[Id] = []
    name: Text
    description: Text | None = None
    sources: Sources
    by_field: list[SkillForField] = []
    note: str | None = None


class Relation(Strict):
    category: Id
    relation: Literal["succeeds", "succeeded_by", "related"]
    note: str | None = None


class Gap(Strict):
    """Something the source is missing or has unreadable, said rather than invented."""

    id: Id
    text: Text
    sources: Sources


class Category(Strict):
    id: Id
    number: int | None = None
    edition: Edition
    name: Text
    description: Text | None = None
    sources: Sources
    related: list[Relation] = []
    fields: Annotated[list[SpecialtyField], Field(min_length=1)]
    levels: list[Level] = []
    skill_items: list[SkillItem] = []
    gaps: list[Gap] = []
    note: str | None = None


class FrameworkInfo(Strict):
    id: Id
    name: Text
    version: str | None = None


class FrameworkFile(Strict):
    """One framework data file as written."""

    format: Literal["itss-framework/1"]
    framework: FrameworkInfo
    replaces: list[Id] = []
    categories: Annotated[list[Category], Field(min_length=1)]
