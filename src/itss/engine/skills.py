"""The skill profile beside the level, for categories with skill items (Operations)."""

from __future__ import annotations

from dataclasses import dataclass

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import KnowledgeItem, SkillItem, Text
from itss.engine.result import SkillProfile
from itss.engine.subject import Subject


@dataclass(frozen=True)
class _Entry:
    item: SkillItem
    proficiency: dict[int, Text]
    knowledge: tuple[KnowledgeItem, ...]


class SkillIndex:
    """Per field, the skill items that apply, their proficiency texts and knowledge items."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.by_field: dict[str, tuple[_Entry, ...]] = {}
        for field_id in catalogue.fields:
            category = catalogue.category_of(field_id)
            self.by_field[field_id] = tuple(
                _entry(item, field_id)
                for item in category.skill_items
                if item.scope == "common" or field_id in item.fields
            )

    def profile(self, subject: Subject, field_id: str) -> tuple[SkillProfile, ...]:
        entries = self.by_field.get(field_id, ())
        if not entries:
            return ()
        return tuple(_profile(entry, subject, field_id) for entry in entries)


def _entry(item: SkillItem, field_id: str) -> _Entry:
    proficiency: dict[int, Text] = {}
    knowledge: tuple[KnowledgeItem, ...] = ()
    for entry in item.by_field:
        # The L1-2 proficiency is common to the category's fields.
        if entry.field == field_id or entry.field.endswith(".common"):
            proficiency.update({p.level: p.text for p in entry.proficiency})
        if entry.field == field_id:
            knowledge = tuple(_flatten(entry.knowledge))
    return _Entry(item, proficiency, knowledge)


def _profile(entry: _Entry, subject: Subject, field_id: str) -> SkillProfile:
    item_id = entry.item.id
    claimed = max(
        (c.level for c in subject.evidence.skills if c.item == item_id and c.field == field_id),
        default=None,
    )
    attestations = [
        a
        for a in subject.evidence.attestations
        if a.skill_item == item_id and a.field == field_id and a.date <= subject.as_of
    ]
    best = max(attestations, key=lambda a: a.level or 0, default=None)
    return SkillProfile(
        item_id,
        field_id,
        claimed,
        best.level if best else None,
        best.by if best else None,
        entry.proficiency.get(claimed) if claimed else None,
        entry.knowledge,
    )


def _flatten(nodes: list[KnowledgeItem]) -> list[KnowledgeItem]:
    found: list[KnowledgeItem] = []
    for node in nodes:
        found.append(node)
        found.extend(_flatten(node.children))
    return found
