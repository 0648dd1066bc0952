"""The boundaries the sources state, as worked cases: 74 vs 75 persons, 2 vs 3 years,
two vs three engagements, the required international criterion at L7, and the policy readings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import itss
from itss.catalogue.catalogue import Catalogue
from itss.engine.evidence import Evidence
from itss.engine.policy import Policy
from itss.engine.verdict import Status
from tests.engine.builder import evidence_for

AS_OF = dt.date(2030, 1, 1)
OPM = "itsm.operations-management"
HW = "cs.hardware"


def attest_all(catalogue: Catalogue, raw: dict[str, Any], field: str) -> dict[str, Any]:
    """Every criterion of the field that a person must confirm, confirmed by Bob."""
    ids = [
        c.id
        for lv in catalogue.by_field[field].values()
        for c in lv.criteria
        if c.attestation or (c.rule or {}).get("kind") == "attested"
    ]
    raw["attestations"] = [{"criterion": i, "by": "Bob", "date": dt.date(2010, 1, 1)} for i in ids]
    return raw


def level(
    evaluator: itss.Evaluator, raw: dict[str, Any], field: str, as_of: dt.date = AS_OF
) -> int:
    return evaluator.assess(Evidence.model_validate(raw), as_of).level_of(field)


@pytest.mark.parametrize(("headcount", "expected"), [(74, 4), (75, 5), (149, 5)])
def test_opm_l5_size_74_vs_75_persons(
    framework: Catalogue, evaluator: itss.Evaluator, headcount: int, expected: int
) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    raw["engagements"][0]["headcount"] = headcount
    assert level(evaluator, raw, OPM) == expected


def test_what_is_unmet_at_one_level(framework: Catalogue, evaluator: itss.Evaluator) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    raw["engagements"][0]["headcount"] = 74
    evidence = Evidence.model_validate(raw)
    unmet = evaluator.unmet_at(evidence, AS_OF, OPM, 5)
    # 74 people: not the size of L5, so no engagement is "equivalent to L5" either
    assert {v.criterion for v in unmet} == {f"{OPM}.l5.size", f"{OPM}.l5.responsibility"}
    assert evaluator.unmet_at(evidence, AS_OF, OPM, 4) == ()
    assert evaluator.unmet_at(evidence, AS_OF, OPM, 9) == ()  # no such level: nothing to meet


def test_opm_l5_alternative_size_clause_with_four_complexity_items(
    framework: Catalogue, evaluator: itss.Evaluator
) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    items = [i.concept for i in framework.criteria[f"{OPM}.l5.complexity"].items]
    raw["engagements"][0].update(headcount=40, criteria=items[:3])
    assert level(evaluator, raw, OPM) == 4
    raw["engagements"][0]["criteria"] = items[:4]
    assert level(evaluator, raw, OPM) == 5


@pytest.mark.parametrize(("days", "expected"), [(730, 4), (1094, 4), (1095, 5), (1200, 5)])
def test_opm_2_vs_3_years(
    framework: Catalogue, evaluator: itss.Evaluator, days: int, expected: int
) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    start = raw["engagements"][0]["start"]
    raw["engagements"][0]["end"] = start + dt.timedelta(days=days - 1)
    assert level(evaluator, raw, OPM) == expected


def test_overlapping_engagements_count_once(
    framework: Catalogue, evaluator: itss.Evaluator
) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    first = raw["engagements"][0]
    first["end"] = first["start"] + dt.timedelta(days=730)
    twin = {**first, "id": "twin", "start": first["start"] + dt.timedelta(days=365)}
    raw["engagements"].append(twin)
    assert level(evaluator, raw, OPM) == 4
    twin["end"] = first["start"] + dt.timedelta(days=1200)
    assert level(evaluator, raw, OPM) == 5


def test_failed_engagement_does_not_count(framework: Catalogue, evaluator: itss.Evaluator) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    raw["engagements"][0]["succeeded"] = False
    assert level(evaluator, raw, OPM) == 0


@pytest.mark.parametrize(("count", "at_l5", "expected"), [(3, 1, 5), (2, 1, 4), (3, 0, 4)])
def test_cs_hardware_three_engagements_one_at_l5(
    framework: Catalogue, evaluator: itss.Evaluator, count: int, at_l5: int, expected: int
) -> None:
    raw = attest_all(framework, evidence_for(framework, HW, 5), HW)
    assert len(raw["engagements"]) == 3
    l4_raw = evidence_for(framework, HW, 4)
    # Each level lists its own areas of expertise; hold the L4 ones as well.
    raw["expertise"] += l4_raw["expertise"]
    l4 = l4_raw["engagements"][0]
    engagements = raw["engagements"][:at_l5]
    engagements += [
        {
            **l4,
            "id": f"l4-{i}",
            "role": "responsible",
            "start": dt.date(2000 + i, 1, 1),
            "end": dt.date(2000 + i, 6, 1),
        }
        for i in range(count - at_l5)
    ]
    raw["engagements"] = engagements
    assert level(evaluator, raw, HW) == expected


def test_opm_l7_requires_international(framework: Catalogue, evaluator: itss.Evaluator) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 7), OPM)
    assert level(evaluator, raw, OPM) == 7
    concepts = [i.concept for i in framework.criteria[f"{OPM}.l7.complexity"].items]
    international = [c for c in concepts if c and "international" in c]
    assert len(international) == 1
    others = [c for c in concepts if c not in international]
    raw["engagements"][0]["criteria"] = others[:5]
    result = evaluator.assess(Evidence.model_validate(raw), AS_OF)
    assert result.level_of(OPM) == 6
    missing = {v.criterion: v for v in result.fields[0].missing}
    assert f"{OPM}.l7.complexity" in missing


def test_as_of_a_past_date_ignores_later_evidence(
    framework: Catalogue, evaluator: itss.Evaluator
) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    start = raw["engagements"][0]["start"]
    # Three years are 1095 days (365.25 a year, rounded down), the end day included.
    assert level(evaluator, raw, OPM, start + dt.timedelta(days=1093)) < 5
    assert level(evaluator, raw, OPM, start + dt.timedelta(days=1094)) == 5
    assert level(evaluator, raw, OPM, start - dt.timedelta(days=1)) == 0


def test_attestation_dated_after_as_of_does_not_count(
    framework: Catalogue, evaluator: itss.Evaluator
) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    for attestation in raw["attestations"]:
        attestation["date"] = dt.date(2031, 1, 1)
    result = evaluator.assess(Evidence.model_validate(raw), AS_OF).fields[0]
    assert (result.level, result.provisional_level) == (0, 5)
    assert result.reached is None
    assert result.next is not None
    assert Status.NEEDS_ATTESTATION in {v.status for v in result.next.criteria}


def test_policy_reading_of_succession_count(framework: Catalogue) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    activity = raw["succession"][0]
    raw["succession"] = [{**activity, "title": f"talk {i}"} for i in range(3)]
    evidence = Evidence.model_validate(raw)
    assert itss.Evaluator(framework).assess(evidence, AS_OF).level_of(OPM) == 4
    records = Policy(name="records", readings={"succession-count": "records"})
    assert itss.Evaluator(framework, records).assess(evidence, AS_OF).level_of(OPM) == 5


def test_policy_reading_of_size_upper_bounds(framework: Catalogue) -> None:
    field = "ops.system-operation"
    raw = attest_all(framework, evidence_for(framework, field, 4), field)
    raw["engagements"][0]["headcount"] = 12
    evidence = Evidence.model_validate(raw)
    assert itss.Evaluator(framework).assess(evidence, AS_OF).level_of(field) == 4
    literal = Policy(name="literal", readings={"size-upper-bounds": "literal"})
    assert itss.Evaluator(framework, literal).assess(evidence, AS_OF).level_of(field) < 4


def _cut(raw: dict[str, Any], what: str) -> dict[str, Any]:
    """The evidence with one complexity item per engagement, or one area of expertise."""
    if what == "complexity":
        for engagement in raw["engagements"]:
            engagement["criteria"] = engagement["criteria"][:1]
    else:
        raw["expertise"] = raw["expertise"][:1]
    return raw


READINGS = [
    # field, level, what is cut to one, ambiguity, reading, reached by default, with the reading
    ("ops.system-operation", 3, "complexity", "some-of-list", "one-or-more", False, True),
    ("ops.system-operation", 3, "complexity", "some-of-list", "two-or-more", False, False),
    ("itsm.operations", 1, "expertise", "expertise-scope", "one-area", False, True),
    ("cs.hardware", 2, "expertise", "expertise-scope", "one-area", False, True),
    (OPM, 3, "expertise", "expertise-scope", "one-area", False, True),
    (OPM, 4, "expertise", "expertise-scope", "all-areas", True, False),
    (OPM, 4, "expertise", "expertise-scope", "one-area", True, True),
]


@pytest.mark.parametrize(
    ("field", "number", "what", "ambiguity", "reading", "by_default", "with_reading"), READINGS
)
def test_the_default_and_each_reading_of_a_list(
    framework: Catalogue,
    field: str,
    number: int,
    what: str,
    ambiguity: str,
    reading: str,
    by_default: bool,
    with_reading: bool,
) -> None:
    raw = _cut(attest_all(framework, evidence_for(framework, field, number), field), what)
    evidence = Evidence.model_validate(raw)
    policy = Policy(name=reading, readings={ambiguity: reading})
    assert (
        itss.Evaluator(framework).assess(evidence, AS_OF).level_of(field) >= number
    ) is by_default
    reached = itss.Evaluator(framework, policy).assess(evidence, AS_OF).level_of(field)
    assert (reached >= number) is with_reading


@pytest.mark.parametrize(
    ("activity", "by_default", "literal"),
    [("external-paper", True, False), ("external-lecturer", True, False), ("book", True, True)],
)
def test_the_garbled_succession_list_of_service_desk_l4(
    framework: Catalogue, activity: str, by_default: bool, literal: bool
) -> None:
    """The seven of the official English count by default; the Japanese five under `literal`."""
    field = "itsm.service-desk"
    raw = attest_all(framework, evidence_for(framework, field, 4), field)
    raw["succession"] = [
        {"type": f"activity.{activity}", "date": dt.date(2012, 1, 1), "title": "t"}
    ]
    evidence = Evidence.model_validate(raw)
    reading = Policy(name="literal", readings={"service-desk-l4-succession": "literal"})
    assert (itss.Evaluator(framework).assess(evidence, AS_OF).level_of(field) >= 4) is by_default
    assert (
        itss.Evaluator(framework, reading).assess(evidence, AS_OF).level_of(field) >= 4
    ) is literal


def test_every_note_on_an_upper_bound_names_the_reading_that_decides_it(
    framework: Catalogue,
) -> None:
    """A note must not say "does not meet" of an engagement above a bound that the default
    reading (`size-upper-bounds: open`) accepts."""
    noted = [
        c
        for c in framework.criteria.values()
        if c.note and "upper bound" in c.note and c.section == "size"
    ]
    assert len(noted) == 12
    for criterion in noted:
        assert "`size-upper-bounds`" in (criterion.note or ""), criterion.id
        assert "by default (`open`)" in (criterion.note or ""), criterion.id


def test_common_level_counts_for_each_field(
    framework: Catalogue, evaluator: itss.Evaluator
) -> None:
    raw = attest_all(framework, evidence_for(framework, "itsm.operations", 2), "itsm.operations")
    result = evaluator.assess(Evidence.model_validate(raw), AS_OF)
    levels = {r.field: r.level for r in result.fields}
    assert levels == {"itsm.system-management": 2, "itsm.operations": 2, "itsm.service-desk": 2}


def test_skill_profile_beside_the_level(framework: Catalogue, evaluator: itss.Evaluator) -> None:
    field = "ops.system-operation"
    raw = evidence_for(framework, field, 3)
    raw["skills"] = [
        {"item": "ops.skill.system-operation", "field": field, "level": 3},
        {"item": "ops.skill.system-operation", "field": field, "level": 4},
    ]
    raw["attestations"] += [
        {
            "skill_item": "ops.skill.system-operation",
            "field": field,
            "level": 3,
            "by": "Bob",
            "date": dt.date(2011, 1, 1),
        },
        {
            "skill_item": "ops.skill.system-operation",
            "field": field,
            "level": 5,
            "by": "Eve",
            "date": dt.date(2031, 1, 1),
        },
    ]
    result = evaluator.assess(Evidence.model_validate(raw), AS_OF)
    [ops] = [r for r in result.fields if r.field == field]
    skills = {s.item: s for s in ops.skills}
    assert set(skills) >= {"ops.skill.system-operation", "ops.skill.leadership"}
    assert "ops.skill.network-operation" not in skills
    claimed = skills["ops.skill.system-operation"]
    assert (claimed.claimed, claimed.attested, claimed.attested_by) == (4, 3, "Bob")
    assert claimed.proficiency is not None
    assert "リーダー" in claimed.proficiency.ja
    assert claimed.knowledge
    assert skills["ops.skill.leadership"].claimed is None


def test_what_to_do_next_leads_to_the_highest_level_within_reach(
    framework: Catalogue, evaluator: itss.Evaluator
) -> None:
    """Level none, provisional 5: first the attestations that give level 5, then level 6."""
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    for attestation in raw["attestations"]:
        attestation["date"] = dt.date(2031, 1, 1)  # not yet valid on AS_OF
    result = evaluator.assess(Evidence.model_validate(raw), AS_OF).fields[0]
    assert (result.level, result.provisional_level) == (0, 5)
    first, then = result.steps
    assert (first.level, first.attestations_only) == (5, True)
    assert first.missing
    assert {v.status for v in first.missing} == {Status.NEEDS_ATTESTATION}
    assert (then.level, then.attestations_only) == (6, False)
    assert Status.NOT_MET in {v.status for v in then.missing}


def test_without_a_level_within_reach_the_next_step_is_the_level_above(
    framework: Catalogue, evaluator: itss.Evaluator
) -> None:
    raw = attest_all(framework, evidence_for(framework, OPM, 5), OPM)
    result = evaluator.assess(Evidence.model_validate(raw), AS_OF).fields[0]
    assert result.level == result.provisional_level == 5
    [step] = result.steps
    assert step.level == 6
    assert step.missing == result.missing
