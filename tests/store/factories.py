"""Factories for the store's tests: people with evidence of every kind, from keywords.

Ids come from the built-in framework, so that what the factories make always validates.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from itss.engine.evidence import (
    Activity,
    Attestation,
    Engagement,
    Evidence,
    Expertise,
    Mentoring,
    Person,
    Qualification,
    SkillClaim,
)
from itss.store.people import PersonRecord

FIELD = "itsm.operations"
CONCEPTS = ["itsm.operations.cx.operation-system", "itsm.operations.cx.structure"]
AREA = "cs.common.area.installation-maintenance"
ACTIVITY = "activity.book"
CRITERION = "cs.hardware.l3.expertise"
SKILL = "ops.skill.customer-relations"
SKILL_FIELD = "ops.system-operation"
_numbers = itertools.count(1)


def engagement(field: str = FIELD, **overrides: Any) -> Engagement:
    values: dict[str, Any] = {
        "id": f"e{next(_numbers)}",
        "field": field,
        "role": "leader",
        "start": dt.date(2019, 4, 1),
        "end": dt.date(2021, 3, 31),
        "headcount": 12,
        "criteria": CONCEPTS,
        "description": "勘定系システムの運用",
    }
    return Engagement.model_validate(values | overrides)


def evidence(ref: str, name: str, *engagements: Engagement, **lists: Any) -> Evidence:
    return Evidence(
        person=Person(id=ref, name=name, name_en=lists.pop("name_en", None)),
        engagements=list(engagements),
        **lists,
    )


def every_kind(ref: str, name: str) -> Evidence:
    """A person with at least one item of every kind of evidence, by their manager bob."""
    return evidence(
        ref,
        name,
        engagement(),
        engagement(
            "cs.hardware",
            role="member",
            end=None,
            contract_value_yen=120_000_000,
            criteria=[],
            floor_area_m2=250.5,
            succeeded=False,
        ),
        name_en=f"{name} (en)",
        expertise=[Expertise(area=AREA, depth="guides_subordinates", since=dt.date(2020, 1, 1))],
        succession=[Activity(type=ACTIVITY, date=dt.date(2022, 5, 1), title="運用の本")],
        mentoring=[Mentoring(start=dt.date(2021, 4, 1), mentee="dave", note="OJT")],
        qualifications=[
            Qualification(id="ipa.sm", date=dt.date(2018, 10, 1), name="ITサービスマネージャ")
        ],
        skills=[SkillClaim(item=SKILL, field=SKILL_FIELD, level=3)],
        attestations=[
            Attestation(by="bob", date=dt.date(2024, 3, 1), criterion=CRITERION),
            Attestation(
                by="bob", date=dt.date(2024, 3, 1), skill_item=SKILL, field=SKILL_FIELD, level=3
            ),
        ],
    )


def person(
    ref: str = "alice",
    name: str = "有栖 アリス",
    *engagements: Engagement,
    unit: str | None = None,
    **lists: Any,
) -> PersonRecord:
    return PersonRecord(evidence(ref, name, *engagements, **lists), unit)


def many(count: int, engagements: int = 3, *, prefix: str = "p") -> list[PersonRecord]:
    """Many plain people quickly (no demo generator): for volume and fault tests."""
    return [
        person(
            f"{prefix}{i:06d}",
            f"社員 {i}",
            *(
                engagement(id=f"e{j}", start=dt.date(2010 + j, 4, 1), end=dt.date(2011 + j, 3, 31))
                for j in range(engagements)
            ),
        )
        for i in range(count)
    ]
