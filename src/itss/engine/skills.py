"""The skill profile beside the level, for categories with skill items (Operations)."""

from __future__ import annotations

from dataclasses import dataclass

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import KnowledgeItem, SkillItem, Text
from itss.engine.evidence import Attestation
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
        claimed: dict[str, int] = {}
        for claim in subject.evidence.skills:
            if claim.field == field_id:
                claimed[claim.item] = max(claim.level, claimed.get(claim.item, 0))
        attested: dict[str, Attestation] = {}
        for found in subject.evidence.attestations:
            if found.field == field_id and found.skill_item and found.date <= subject.as_of:
                best = attested.get(found.skill_item)
                if best is None or (found.level or 0) > (best.level or 0):
                    attested[found.skill_item] = found
        return tuple(_profile(e, field_id, claimed, attested) for e in entries)


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


def _profile(
    entry: _Entry, field_id: str, claimed: dict[str, int], attested: dict[str, Attestation]
) -> SkillProfile:
    item_id = entry.item.id
    level = claimed.get(item_id)
    best = attested.get(item_id)
    return SkillProfile(
        item_id,
        field_id,
        level,
        best.level if best else None,
        best.by if best else None,
        entry.proficiency.get(level) if level else None,
        entry.knowledge,
    )


def _flatten(nodes: list[KnowledgeItem]) -> list[KnowledgeItem]:
    found: list[KnowledgeItem] = []
    for node in nodes:
        found.append(node)
        found.extend(_flatten(node.children))
    return found


def stored_profile(
    item: SkillItem, field_id: str, claimed: int | None, attested: int | None, by: str | None
) -> SkillProfile:
    """A skill profile as a stored assessment recorded it, with the framework's texts."""
    entry = _entry(item, field_id)
    proficiency = entry.proficiency.get(claimed) if claimed else None
    return SkillProfile(item.id, field_id, claimed, attested, by, proficiency, entry.knowledge)
