"""The synthetic organisation: deterministic, valid, spread over the framework, plausible."""

from __future__ import annotations

import collections
import datetime as dt
import os
import re
import subprocess
import sys

import pytest

import itss
from itss.catalogue.catalogue import Catalogue
from itss.demo import generate_people
from itss.engine.evidence import ROLES, Evidence, check_against

AS_OF = dt.date(2026, 4, 1)
KANJI = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def people(framework: Catalogue) -> list[Evidence]:
    return list(generate_people(framework, 300, seed=7))


def test_the_same_seed_gives_the_same_people(framework: Catalogue) -> None:
    first = list(generate_people(framework, 40, seed=3))
    assert first == list(generate_people(framework, 40, seed=3))
    assert first != list(generate_people(framework, 40, seed=4))
    # Person i does not depend on how many people are asked for.
    assert first[:15] == list(generate_people(framework, 15, seed=3))


def test_the_people_do_not_depend_on_hash_randomisation() -> None:
    script = (
        "import hashlib, itss\n"
        "from itss.demo import generate_people\n"
        "people = generate_people(itss.load_framework(), 30, seed=11)\n"
        "print(hashlib.sha256(''.join(p.model_dump_json() for p in people).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_every_field_of_every_category_is_covered(framework: Catalogue) -> None:
    population = list(generate_people(framework, 200, seed=1))
    worked = {e.field for p in population for e in p.engagements}
    assert worked == set(framework.fields)
    main = collections.Counter(p.engagements[0].field for p in population)
    assert min(main.values()) >= 200 // len(framework.fields)


def test_everyone_passes_the_framework_check(framework: Catalogue, people: list[Evidence]) -> None:
    for person in people:
        check_against(person, framework, "demo")
    for person in generate_people(framework, 50, seed=2, engagements_per_person=12):
        check_against(person, framework, "demo")


@pytest.mark.parametrize("count", [1, 5, 12, 40])
def test_engagements_per_person_is_exact(framework: Catalogue, count: int) -> None:
    population = list(generate_people(framework, 25, engagements_per_person=count))
    assert {len(p.engagements) for p in population} == {count}
    for person in population:
        assert all(e.start <= AS_OF for e in person.engagements)


def test_careers_have_one_to_eight_engagements(people: list[Evidence]) -> None:
    counts = collections.Counter(len(p.engagements) for p in people)
    assert set(counts) == set(range(1, 9))


def test_bad_arguments_are_refused(framework: Catalogue) -> None:
    with pytest.raises(ValueError, match="negative"):
        list(generate_people(framework, -1))
    with pytest.raises(ValueError, match="engagements_per_person"):
        list(generate_people(framework, 1, engagements_per_person=0))


def test_names_ids_and_careers_look_real(framework: Catalogue, people: list[Evidence]) -> None:
    assert [p.person.id for p in people[:3]] == ["p000001", "p000002", "p000003"]
    japanese = [p for p in people if KANJI.search(p.person.name)]
    assert len(japanese) >= 0.8 * len(people)
    assert len(japanese) < len(people)  # and some English names
    assert all(p.person.name_en and p.person.name_en.isascii() for p in people)
    for person in people:
        ranks = [ROLES.index(e.role) for e in sorted(person.engagements, key=lambda e: e.start)]
        assert ranks == sorted(ranks), person.person.id
        categories = {framework.field_category[e.field] for e in person.engagements}
        assert len(categories) == 1
        assert len({e.field for e in person.engagements}) <= 2
    roles = collections.Counter(e.role for p in people for e in p.engagements)
    assert set(roles) == set(ROLES)
    assert roles["member"] > roles["overall_responsible"]
    assert any(not e.succeeded for p in people for e in p.engagements)


def test_claims_are_the_fields_own_concepts(framework: Catalogue, people: list[Evidence]) -> None:
    scopes = 0
    for person in people:
        for engagement in person.engagements:
            assert engagement.headcount
            assert engagement.headcount > 0
            for concept in engagement.criteria:
                owners = framework.concepts[concept]
                assert any(
                    engagement.field in framework.criterion_level[c.id].fields for c in owners
                ), concept
                scopes += ".scope." in concept
    assert scopes > 0
    measures = collections.defaultdict(set)
    for person in people:
        for e in person.engagements:
            for name in ("contract_value_yen", "annual_users", "sites", "computer_rooms"):
                if getattr(e, name) is not None:
                    measures[name].add(e.field)
            if e.floor_area_m2 is not None:
                measures["floor_area_m2"].add(e.field)
    assert "cs.facility-management" in measures["floor_area_m2"]
    assert "itsm.service-desk" in measures["annual_users"]
    assert "itsm.operations-management" in measures["contract_value_yen"]


def test_contributions_and_attestations(framework: Catalogue, people: list[Evidence]) -> None:
    activity_types = {a.type for p in people for a in p.succession}
    assert activity_types
    assert all(t.startswith("activity.") for t in activity_types)
    assert any(p.mentoring for p in people)
    assert any(q.id == "ap" for p in people for q in p.qualifications)
    assert all(
        framework.field_category[s.field] == "ops" and s.item in framework.skill_items
        for p in people
        for s in p.skills
    )
    assert any(p.skills for p in people)
    attested = [a for p in people for a in p.attestations if a.criterion]
    assert attested
    assert all(a.date <= AS_OF and a.by for a in attested)
    for criterion in {a.criterion for a in attested if a.criterion}:
        found = framework.criteria[criterion]
        assert found.attestation or (found.rule or {}).get("kind") == "attested"
    depths = {e.depth for p in people for e in p.expertise}
    assert len(depths) >= 4


def test_the_level_distribution_is_plausible(framework: Catalogue, people: list[Evidence]) -> None:
    evaluator = itss.Evaluator(framework)
    best: collections.Counter[int] = collections.Counter()
    reached: set[int] = set()
    for person in people:
        assessment = evaluator.assess(person, AS_OF)
        levels = [r.level for r in assessment.fields]
        reached.update(levels)
        best[max(levels, default=0)] += 1
    assert len(reached - {0}) >= 5
    assert best[0] < len(people) / 4
    # A pyramid: more people at the lower levels than at the top.
    assert sum(n for lv, n in best.items() if 1 <= lv <= 3) > sum(
        n for lv, n in best.items() if lv >= 5
    )
