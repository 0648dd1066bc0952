"""The JSON form of an assessment, with both languages rendered; its schema is published."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Text
from itss.engine.result import Assessment, FieldResult, SkillProfile
from itss.engine.verdict import LevelVerdict, Message, Verdict
from itss.i18n.render import render


class Rendered(BaseModel):
    ja: str
    en: str


class CriterionReport(BaseModel):
    criterion: str
    section: str
    status: str
    text: Rendered
    reason: Rendered
    missing: Rendered | None
    engagements: list[str]
    informational: bool
    attested_by: str | None


class LevelReport(BaseModel):
    level: int
    id: str
    common: bool
    met: bool
    provisionally_met: bool
    criteria: list[CriterionReport]


class KnowledgeReport(BaseModel):
    id: str
    text: Rendered


class SkillReport(BaseModel):
    item: str
    name: Rendered
    claimed: int | None
    attested: int | None
    attested_by: str | None
    proficiency: Rendered | None
    knowledge: list[KnowledgeReport]


class StepReport(BaseModel):
    """A step of the way up: the level, and what is missing for it."""

    level: int
    attestations_only: bool
    missing: list[CriterionReport]


class FieldReport(BaseModel):
    field: str
    category: str
    name: Rendered
    level: int
    provisional_level: int
    reached: LevelReport | None
    next: LevelReport | None
    missing: list[CriterionReport]
    steps: list[StepReport]
    skills: list[SkillReport]


class AssessmentReport(BaseModel):
    format: str = "itss-assessment/1"
    person: str
    name: str
    as_of: dt.date
    framework_version: str
    policy: str
    fields: list[FieldReport]


def _both(message: Message | None, catalogue: Catalogue) -> Rendered | None:
    if message is None:
        return None
    return Rendered(ja=render(message, "ja", catalogue), en=render(message, "en", catalogue))


def _text(text: Text) -> Rendered:
    return Rendered(ja=text.ja, en=text.get("en"))


def _criterion(catalogue: Catalogue, verdict: Verdict) -> CriterionReport:
    criterion = catalogue.criteria[verdict.criterion]
    reason = _both(verdict.reason, catalogue)
    assert reason is not None  # a verdict always has a reason
    return CriterionReport(
        criterion=verdict.criterion,
        section=criterion.section,
        status=verdict.status.value,
        text=_text(criterion.text),
        reason=reason,
        missing=_both(verdict.missing, catalogue),
        engagements=list(verdict.engagements),
        informational=verdict.informational,
        attested_by=verdict.attested_by,
    )


def _level(catalogue: Catalogue, level: LevelVerdict | None) -> LevelReport | None:
    if level is None:
        return None
    return LevelReport(
        level=level.level,
        id=level.level_id,
        common=level.common,
        met=level.met,
        provisionally_met=level.provisionally_met,
        criteria=[_criterion(catalogue, v) for v in level.criteria],
    )


def _skill(catalogue: Catalogue, skill: SkillProfile) -> SkillReport:
    return SkillReport(
        item=skill.item,
        name=_text(catalogue.skill_items[skill.item].name),
        claimed=skill.claimed,
        attested=skill.attested,
        attested_by=skill.attested_by,
        proficiency=_text(skill.proficiency) if skill.proficiency else None,
        knowledge=[KnowledgeReport(id=k.id, text=_text(k.text)) for k in skill.knowledge],
    )


def _field(catalogue: Catalogue, result: FieldResult) -> FieldReport:
    return FieldReport(
        field=result.field,
        category=result.category,
        name=_text(catalogue.fields[result.field].name),
        level=result.level,
        provisional_level=result.provisional_level,
        reached=_level(catalogue, result.reached),
        next=_level(catalogue, result.next),
        missing=[_criterion(catalogue, v) for v in result.missing],
        steps=[
            StepReport(
                level=step.level,
                attestations_only=step.attestations_only,
                missing=[_criterion(catalogue, v) for v in step.missing],
            )
            for step in result.steps
        ],
        skills=[_skill(catalogue, s) for s in result.skills],
    )


def report(catalogue: Catalogue, assessment: Assessment) -> AssessmentReport:
    return AssessmentReport(
        person=assessment.person,
        name=assessment.name,
        as_of=assessment.as_of,
        framework_version=assessment.framework_version,
        policy=assessment.policy,
        fields=[_field(catalogue, f) for f in assessment.fields],
    )
