"""Properties of the evaluator over generated evidence (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import itss
from itss.engine.evidence import DEPTHS, ROLES, Evidence
from itss.engine.verdict import Status

FRAMEWORK = itss.load_framework()
EVALUATOR = itss.Evaluator(FRAMEWORK)
AS_OF = dt.date(2030, 1, 1)
FIELDS = sorted(FRAMEWORK.fields)
CONCEPTS = sorted(c for c in FRAMEWORK.concepts if not c.startswith("activity."))
ACTIVITIES = sorted(c for c in FRAMEWORK.concepts if c.startswith("activity."))
ATTESTABLE = sorted(
    c.id
    for c in FRAMEWORK.criteria.values()
    if c.attestation or (c.rule or {}).get("kind") == "attested"
)
DAY = st.dates(dt.date(2000, 1, 1), dt.date(2029, 12, 31))


@st.composite
def engagements(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(DAY)
    return {
        "id": f"e{draw(st.integers(0, 10**9))}",
        "field": draw(st.sampled_from(FIELDS)),
        "role": draw(st.sampled_from(ROLES)),
        "start": start,
        "end": start + dt.timedelta(days=draw(st.integers(0, 3000))),
        "headcount": draw(st.none() | st.integers(0, 400)),
        "contract_value_yen": draw(st.none() | st.integers(0, 4_000_000_000)),
        "annual_users": draw(st.none() | st.integers(0, 10_000)),
        "sites": draw(st.none() | st.integers(0, 500)),
        "computer_rooms": draw(st.none() | st.integers(0, 8)),
        "floor_area_m2": draw(st.none() | st.integers(0, 8000)),
        "criteria": draw(st.lists(st.sampled_from(CONCEPTS), max_size=8, unique=True)),
        "succeeded": draw(st.booleans()),
    }


@st.composite
def people(draw: st.DrawFn) -> dict[str, Any]:
    found = draw(st.lists(engagements(), max_size=6, unique_by=lambda e: e["id"]))
    return {
        "person": {"id": "p", "name": "P"},
        "engagements": found,
        "expertise": [
            {"area": a, "depth": draw(st.sampled_from(DEPTHS))}
            for a in draw(st.lists(st.sampled_from(CONCEPTS), max_size=4))
        ],
        "succession": [
            {"type": t, "date": draw(DAY), "title": "t"}
            for t in draw(st.lists(st.sampled_from(ACTIVITIES), max_size=6))
        ],
        "mentoring": [{"start": draw(DAY)}] if draw(st.booleans()) else [],
        "attestations": [
            {"criterion": c, "by": "Bob", "date": draw(DAY)}
            for c in draw(st.lists(st.sampled_from(ATTESTABLE), max_size=40))
        ],
    }


def _levels(raw: dict[str, Any]) -> dict[str, tuple[int, int]]:
    result = EVALUATOR.assess(Evidence.model_validate(raw), AS_OF, all_fields=True)
    return {r.field: (r.level, r.provisional_level) for r in result.fields}


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(people(), engagements())
def test_adding_an_engagement_never_lowers_a_level(
    raw: dict[str, Any], extra: dict[str, Any]
) -> None:
    before = _levels(raw)
    extra["id"] = "extra"
    after = _levels({**raw, "engagements": [*raw["engagements"], extra]})
    for field, (level, provisional) in before.items():
        assert after[field][0] >= level
        assert after[field][1] >= provisional


@PROPERTY
@given(people(), st.lists(st.sampled_from(ATTESTABLE), min_size=1, max_size=20))
def test_adding_attestations_never_lowers_a_level(raw: dict[str, Any], more: list[str]) -> None:
    before = _levels(raw)
    added = [{"criterion": c, "by": "Carol", "date": dt.date(2001, 1, 1)} for c in more]
    after = _levels({**raw, "attestations": [*raw["attestations"], *added]})
    assert all(after[f][0] >= before[f][0] for f in before)


@PROPERTY
@given(people())
def test_a_reached_level_has_every_required_criterion_met(raw: dict[str, Any]) -> None:
    result = EVALUATOR.assess(Evidence.model_validate(raw), AS_OF)
    for field in result.fields:
        if field.level:
            assert field.reached is not None
            assert field.reached.level == field.level
            assert all(v.status.met for v in field.reached.required)
        else:
            assert field.reached is None
        if field.next is not None:
            assert field.next.level > field.level
            assert all(v.missing is not None for v in field.missing)
            assert all(v.status is not Status.MET_BY_EVIDENCE for v in field.missing)


@PROPERTY
@given(people())
def test_evaluation_is_deterministic(raw: dict[str, Any]) -> None:
    evidence = Evidence.model_validate(raw)
    first = EVALUATOR.assess(evidence, AS_OF, all_fields=True)
    again = itss.Evaluator(FRAMEWORK).assess(Evidence.model_validate(raw), AS_OF, all_fields=True)
    assert first == again
