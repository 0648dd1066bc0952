"""The framework: categories, fields, levels and criteria, each with its source file and line,
in the language asked for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from itss.api.deps import Auth, Lang, Server
from itss.api.schemas import (
    CategoryOut,
    CriterionOut,
    FieldOut,
    FrameworkOut,
    LevelOut,
    Localized,
    Source,
)
from itss.catalogue.models import Category, Criterion, SourceRef, SpecialtyField, Text
from itss.services import framework

router = APIRouter(prefix="/api/framework", tags=["framework"])
Id = Annotated[str, Path(min_length=1, max_length=200)]


def localized(text: Text, lang: str) -> Localized:
    return Localized(text=text.get(lang), ja=text.ja, en=text.en)


def sources(found: list[SourceRef]) -> list[Source]:
    return [Source(file=s.file, line=s.line) for s in found]


def _field(category: str, fld: SpecialtyField, lang: str) -> FieldOut:
    name = localized(fld.name, lang)
    return FieldOut(
        id=fld.id, category=category, name=name, levels=fld.levels, sources=sources(fld.sources)
    )


def _category(category: Category, lang: str) -> CategoryOut:
    return CategoryOut(
        id=category.id,
        edition=str(category.edition),
        name=localized(category.name, lang),
        fields=[_field(category.id, f, lang) for f in category.fields],
    )


def _criterion(criterion: Criterion, lang: str) -> CriterionOut:
    return CriterionOut(
        id=criterion.id,
        section=str(criterion.section),
        text=localized(criterion.text, lang),
        sources=sources(criterion.sources),
        attestation=criterion.attestation,
        informational=criterion.informational,
        items=[_criterion(item, lang) for item in criterion.items],
    )


@router.get("", operation_id="getFramework")
def get_framework(server: Server, lang: Lang, _: Auth) -> FrameworkOut:
    """Every category with its fields and the levels each field has."""
    categories = [_category(c, lang) for c in framework.categories(server)]
    return FrameworkOut(version=server.framework.version, categories=categories)


@router.get("/fields/{field_id}", operation_id="getField")
def get_field(field_id: Id, server: Server, lang: Lang, _: Auth) -> FieldOut:
    category, fld = framework.field(server, field_id)
    return _field(category.id, fld, lang)


@router.get("/fields/{field_id}/levels/{level}", operation_id="getLevel")
def get_level(
    field_id: Id, level: Annotated[int, Path(ge=1, le=7)], server: Server, lang: Lang, _: Auth
) -> LevelOut:
    """A level's achievement indicators as the source lays them out, criterion by criterion."""
    found = framework.level(server, field_id, level)
    return LevelOut(
        field=found.field.id,
        level=found.level.level,
        id=found.level.id,
        common=found.level.field is None,
        sources=sources(found.level.sources),
        criteria=[_criterion(c, lang) for c in found.level.criteria],
    )


@router.get("/criteria/{criterion_id}", operation_id="getCriterion")
def get_criterion(criterion_id: Id, server: Server, lang: Lang, _: Auth) -> CriterionOut:
    return _criterion(framework.criterion(server, criterion_id), lang)
