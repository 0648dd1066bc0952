"""The skill profile beside the level, for categories with skill items (Operations)."""

from __future__ import annotations

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import KnowledgeItem, SkillForField, SkillItem, Text
from itss.engine.result import SkillProfile
from itss.engine.subject import Subject


def skill_profile(
    catalogue: Catalogue, subject: Subject, field_id: str
) -> tuple[SkillProfile, ...]:
    category = catalogue.category_of(field_id)
    return tuple(
        _profile(item, subject, field_id)
        for item in category.skill_items
        if item.scope == "common" or field_id in item.fields
    )


def _profile(item: SkillItem, subject: Subject, field_id: str) -> SkillProfile:
    claimed = max(
        (c.level for c in subject.evidence.skills if c.item == item.id and c.field == field_id),
        default=None,
    )
    attestations = [
        a
        for a in subject.evidence.attestations
        if a.skill_item == item.id
        and a.field == field_id
        and a.date <= subject.as_of
        and a.level is not None
    ]
    best = max(attestations, key=lambda a: a.level or 0, default=None)
    entry = _for_field(item, field_id)
    return SkillProfile(
        item.id,
        field_id,
        claimed,
        best.level if best else None,
        best.by if best else None,
        _proficiency(item, field_id, claimed),
        tuple(_flatten(entry.knowledge)) if entry else (),
    )


def _for_field(item: SkillItem, field_id: str) -> SkillForField | None:
    for entry in item.by_field:
        if entry.field == field_id:
            return entry
    return None


def _proficiency(item: SkillItem, field_id: str, level: int | None) -> Text | None:
    if level is None:
        return None
    for entry in item.by_field:
        if entry.field == field_id or entry.field.endswith(".common"):
            for proficiency in entry.proficiency:
                if proficiency.level == level:
                    return proficiency.text
    return None


def _flatten(nodes: list[KnowledgeItem]) -> list[KnowledgeItem]:
    found: list[KnowledgeItem] = []
    for node in nodes:
        found.append(node)
        found.extend(_flatten(node.children))
    return found
