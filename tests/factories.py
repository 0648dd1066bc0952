"""Factories for evidence: a person with engagements, built from keyword arguments."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from itss.engine.evidence import Evidence

_ids = itertools.count(1)


def engagement(field: str, **overrides: Any) -> dict[str, Any]:
    """An engagement dict with plausible defaults; override anything."""
    base: dict[str, Any] = {
        "id": f"e{next(_ids)}",
        "field": field,
        "role": "member",
        "start": dt.date(2018, 4, 1),
        "end": dt.date(2019, 3, 31),
        "criteria": [],
        "succeeded": True,
    }
    base.update(overrides)
    return base


def years(start: dt.date, count: float) -> dict[str, dt.date]:
    """start and end (inclusive) of a span of `count` years counted as 365.25 days each."""
    return {"start": start, "end": start + dt.timedelta(days=int(count * 365.25) - 1)}


def evidence(*engagements: dict[str, Any], **rest: Any) -> Evidence:
    person = rest.pop("person", {"id": "alice", "name": "Alice"})
    return Evidence.model_validate({"person": person, "engagements": list(engagements), **rest})
