"""Worked cases for every level of every field, built from the data and broken at a boundary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import itss
from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Criterion
from itss.engine.evidence import Evidence
from itss.engine.verdict import Status
from tests.engine.builder import all_field_levels, evidence_for

AS_OF = dt.date(2030, 1, 1)
CASES = all_field_levels(itss.load_framework())


_EVALUATOR = itss.Evaluator(itss.load_framework())


def _level(catalogue: Catalogue, raw: dict[str, Any], field: str) -> tuple[int, int]:
    result = _EVALUATOR.assess(Evidence.model_validate(raw), AS_OF)
    found = [r for r in result.fields if r.field == field]
    return (found[0].level, found[0].provisional_level) if found else (0, 0)


@pytest.mark.parametrize(("field", "number"), CASES, ids=[f"{f}-L{n}" for f, n in CASES])
def test_evidence_meeting_a_level_reaches_it(framework: Catalogue, field: str, number: int) -> None:
    raw = evidence_for(framework, field, number)
    level, provisional = _level(framework, raw, field)
    assert level == number
    # A higher level whose only extra demands are attestations is pending, not reached.
    assert provisional >= number


@pytest.mark.parametrize(("field", "number"), CASES, ids=[f"{f}-L{n}" for f, n in CASES])
def test_without_attestations_the_level_is_only_provisional(
    framework: Catalogue, field: str, number: int
) -> None:
    raw = evidence_for(framework, field, number)
    if not raw["attestations"]:
        pytest.fail("every level has at least one criterion needing attestation")
    raw["attestations"] = []
    level, provisional = _level(framework, raw, field)
    assert provisional >= number
    assert level < number


@pytest.mark.parametrize(("field", "number"), CASES, ids=[f"{f}-L{n}" for f, n in CASES])
def test_one_day_short_of_the_duration_misses_the_level(
    framework: Catalogue, field: str, number: int
) -> None:
    raw = evidence_for(framework, field, number)
    rules = [c.rule for c in framework.by_field[field][number].criteria if c.rule]
    years = max((float(r.get("years", 0)) for r in rules if r["kind"] == "experience"), default=0.0)
    if not years:
        assert any(r["kind"] == "repetition" for r in rules)
        raw["engagements"] = raw["engagements"][:-1]
    else:
        raw["engagements"][0]["end"] -= dt.timedelta(days=1)
    assert _level(framework, raw, field)[0] < number


def _checklist(catalogue: Catalogue, field: str, number: int) -> Criterion | None:
    for criterion in catalogue.by_field[field][number].criteria:
        if (criterion.rule or {}).get("kind") == "checklist" and criterion.rule:
            return criterion if criterion.rule["min"] > 0 else None
    return None


CHECKLIST_CASES = [(f, n) for f, n in CASES if _checklist(itss.load_framework(), f, n)]


@pytest.mark.parametrize(
    ("field", "number"), CHECKLIST_CASES, ids=[f"{f}-L{n}" for f, n in CHECKLIST_CASES]
)
def test_one_complexity_item_fewer_misses_the_level(
    framework: Catalogue, field: str, number: int
) -> None:
    checklist = _checklist(framework, field, number)
    assert checklist is not None
    assert checklist.rule is not None
    items = {i.concept for i in checklist.items}
    raw = evidence_for(framework, field, number)
    claimed = raw["engagements"][0]["criteria"]
    kept = [c for c in claimed if c not in items]
    kept += [c for c in claimed if c in items][: checklist.rule["min"] - 1]
    for engagement in raw["engagements"]:
        engagement["criteria"] = kept
    assert _level(framework, raw, field)[0] < number


def test_every_level_has_a_status_for_each_criterion(framework: Catalogue) -> None:
    field, number = "itsm.operations-management", 5
    raw = evidence_for(framework, field, number)
    result = itss.assess(framework, Evidence.model_validate(raw), as_of=AS_OF)
    reached = result.fields[0].reached
    assert reached is not None
    assert {v.status for v in reached.required} <= {
        Status.MET_BY_EVIDENCE,
        Status.MET_BY_ATTESTATION,
    }
