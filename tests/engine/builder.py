"""Builds, from the catalogue's own rules, the smallest evidence that meets one level.

What meets a rule is each kind's own example (`itss.engine.examples`), taken smallest first;
worked cases then change one thing at a boundary and watch the level move.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Level
from itss.engine.examples import INTEGER_MEASURES, First, Planner, items_of
from itss.engine.registry import default_registry

START = dt.date(2010, 4, 1)


def _complexity_options(level: Level) -> list[str]:
    return [c for top in level.criteria if top.section == "complexity" for c in items_of(top)]


def _smallest(measure: str, low: float | None, high: float | None) -> float:
    """The smallest value a measure may take within its bounds."""
    if low is not None:
        return low
    assert high is not None, f"{measure} has neither bound"
    return high - 1 if measure in INTEGER_MEASURES or high > 1 else high / 2


def _claims(level: Level, concepts: list[str], complexity_min: int) -> list[str]:
    """The plan's concepts, and more complexity criteria where a count needs them."""
    options = _complexity_options(level)
    have = [c for c in concepts if c in options]
    more = [c for c in options if c not in have][: max(0, complexity_min - len(have))]
    return sorted(set(concepts) | set(more))


def evidence_for(catalogue: Catalogue, field: str, number: int) -> dict[str, Any]:
    """Evidence dict that meets level `number` of `field`, attestations included."""
    level = catalogue.by_field[field][number]
    plan = Planner(default_registry(), First()).level(level)
    measures = {name: _smallest(name, *bounds) for name, bounds in plan.bounds.items()}
    concepts = _claims(level, plan.concepts, plan.complexity_min)
    span = max(int(plan.years * 365.25), 30)
    engagements = [
        {
            "id": f"e{i + 1}",
            "field": field,
            "role": plan.role,
            "start": START + dt.timedelta(days=i * (span + 1)),
            "end": START + dt.timedelta(days=i * (span + 1) + span - 1),
            "criteria": concepts,
            **measures,
        }
        for i in range(plan.count)
    ]
    return {
        "person": {"id": "alice", "name": "Alice"},
        "engagements": engagements,
        "expertise": [{"area": area, "depth": depth} for area, depth in plan.expertise],
        "succession": [
            {"type": kind, "date": START, "title": f"activity {kind}"} for kind in plan.succession
        ],
        "mentoring": [{"start": START}] if plan.mentoring else [],
        "qualifications": [{"id": e, "date": START, "name": e} for e in plan.exams],
        "attestations": [{"criterion": c, "by": "Bob", "date": START} for c in plan.attest],
    }


def all_field_levels(catalogue: Catalogue) -> list[tuple[str, int]]:
    return [(fid, n) for fid in catalogue.fields for n in sorted(catalogue.by_field[fid])]
