"""Builds, from the catalogue's own rules, the smallest evidence that meets one level.

Worked cases then change one thing at a boundary and watch the level move.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Criterion, Level
from itss.engine.evidence import ROLES

START = dt.date(2010, 4, 1)


def _satisfy_engagement_rule(
    rule: dict[str, Any], owner: Criterion, plan: dict[str, Any], complexity: list[str]
) -> None:
    kind = rule["kind"]
    if kind == "measure":
        value = rule.get("min")
        if value is None:
            value = (rule["below"] - 1) if rule.get("below") is not None else rule["max"]
        plan["measures"][rule["measure"]] = value
    elif kind in ("all_of", "any_of"):
        for nested in rule["of"] if kind == "all_of" else rule["of"][:1]:
            _satisfy_engagement_rule(nested, owner, plan, complexity)
    elif kind == "complexity_count":
        plan["claims"] = max(plan["claims"], rule["min"])
    elif kind == "claimed":
        plan["concepts"].add(owner.concept)


def plan_level(catalogue: Catalogue, level: Level) -> dict[str, Any]:
    """What one engagement and the person need to meet every criterion of the level."""
    plan: dict[str, Any] = {
        "measures": {},
        "claims": 0,
        "required": [],
        "concepts": set(),
        "role": "member",
        "years": 0.0,
        "count": 1,
        "expertise": [],
        "succession": [],
        "mentoring": False,
        "attest": [],
        "complexity": [],
    }
    for criterion in level.criteria:
        _plan_criterion(criterion, plan)
    return plan


def _plan_criterion(criterion: Criterion, plan: dict[str, Any]) -> None:
    rule = criterion.rule or {"kind": "attested"}
    kind = rule["kind"]
    if criterion.informational:
        return
    if kind == "attested" or criterion.attestation:
        plan["attest"].append(criterion.id)
    if kind == "checklist":
        plan["complexity"] = [i.concept for i in criterion.items]
        plan["claims"] = max(plan["claims"], rule["min"])
        plan["required"] = list(rule.get("required", []))
    elif kind == "any_item":
        chosen = [i for i in criterion.items if i.rule]
        for item in chosen if rule.get("mode") == "all" else chosen[:1]:
            assert item.rule is not None
            _satisfy_engagement_rule(item.rule, item, plan, plan["complexity"])
    elif kind in ("experience", "repetition"):
        _plan_career(rule, plan)
    else:
        _plan_person(kind, rule, criterion, plan)


def _plan_career(rule: dict[str, Any], plan: dict[str, Any]) -> None:
    if ROLES.index(rule["role"]) > ROLES.index(plan["role"]):
        plan["role"] = rule["role"]
    plan["years"] = max(plan["years"], float(rule.get("years", 0)))
    plan["count"] = max(plan["count"], int(rule.get("count", 1)))


def _plan_person(
    kind: str, rule: dict[str, Any], criterion: Criterion, plan: dict[str, Any]
) -> None:
    if kind == "expertise":
        areas = [i.concept for i in criterion.items][: rule.get("min_areas", 1)]
        plan["expertise"] += [{"area": a, "depth": rule["depth"]} for a in areas]
    elif kind == "succession":
        types = [i.concept for i in criterion.items][: rule["min"]]
        plan["succession"] += [{"type": t, "date": START, "title": f"activity {t}"} for t in types]
    elif kind == "mentoring":
        plan["mentoring"] = True


def evidence_for(catalogue: Catalogue, field: str, number: int) -> dict[str, Any]:
    """Evidence dict that meets level `number` of `field`, attestations included."""
    level = catalogue.by_field[field][number]
    plan = plan_level(catalogue, level)
    claims = list(dict.fromkeys(plan["required"] + plan["complexity"]))[: plan["claims"]]
    concepts = sorted(set(claims) | plan["concepts"])
    span = max(int(plan["years"] * 365.25), 30)
    engagements = [
        {
            "id": f"e{i + 1}",
            "field": field,
            "role": plan["role"],
            "start": START + dt.timedelta(days=i * (span + 1)),
            "end": START + dt.timedelta(days=i * (span + 1) + span - 1),
            "criteria": concepts,
            **plan["measures"],
        }
        for i in range(plan["count"])
    ]
    return {
        "person": {"id": "alice", "name": "Alice"},
        "engagements": engagements,
        "expertise": plan["expertise"],
        "succession": plan["succession"],
        "mentoring": [{"start": START}] if plan["mentoring"] else [],
        "attestations": [{"criterion": c, "by": "Bob", "date": START} for c in plan["attest"]],
    }


def all_field_levels(catalogue: Catalogue) -> list[tuple[str, int]]:
    return [(fid, n) for fid in catalogue.fields for n in sorted(catalogue.by_field[fid])]
