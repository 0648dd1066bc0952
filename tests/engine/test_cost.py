"""A level's required criteria are tested cheapest first: a level that a person misses on a
criterion whose test only looks something up is given up on before the costly tests, and its
verdicts, when explained, are the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import itss
from itss.engine.kinds.params import NoParams
from itss.engine.subject import Subject
from itss.engine.verdict import Message, Outcome, Status

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "tailored-framework.yaml"
FIELD = "example.operations-management"
COSTLY_CRITERION = f"{FIELD}.l4.responsibility"  # the level's first criterion
EXPERTISE = {"area": f"{FIELD}.area.service-level-management", "depth": "guides_subordinates"}


@dataclass(frozen=True)
class Counted:
    """Met by anyone; counts the people it was tested for."""

    tested: list[str] = field(default_factory=list)

    def test(self, subject: Subject) -> bool:
        self.tested.append(subject.evidence.person.id)
        return True

    def explain(self, subject: Subject) -> Outcome:
        return Outcome(True, Message("counted"))


def _evidence(expertise: list[dict[str, str]]) -> itss.Evidence:
    """Meets the level's other cheap criteria (a book, a mentee), not its engagements'."""
    return itss.Evidence.model_validate(
        {
            "person": {"id": "p", "name": "P"},
            "engagements": [{"id": "e", "field": FIELD, "role": "leader", "start": "2010-01-01"}],
            "expertise": expertise,
            "succession": [{"type": "activity.book", "date": "2015-01-01", "title": "B"}],
            "mentoring": [{"start": "2015-01-01"}],
        }
    )


@pytest.mark.parametrize(
    ("expertise", "tested", "expertise_status"),
    [
        ([], 0, Status.NOT_MET),  # the lookup fails first: the costly test never runs
        ([EXPERTISE], 1, Status.NEEDS_ATTESTATION),  # met, attested later: on to the next
    ],
    ids=["without the expertise", "with it"],
)
def test_a_costly_test_waits_for_the_cheap_ones_before_it(
    tmp_path: Path, expertise: list[dict[str, str]], tested: int, expertise_status: Status
) -> None:
    counted = Counted()
    registry = itss.default_registry().copy()
    registry.register(itss.RuleKind("counted", "person", NoParams, lambda *_: counted))
    source = EXAMPLE.read_text(encoding="utf-8")
    tailored = tmp_path / "counted.yaml"
    experience = "rule: {kind: experience, role: leader, years: 2, level_at_least: 4}"
    assert experience in source
    tailored.write_text(source.replace(experience, "rule: {kind: counted}"), encoding="utf-8")
    framework = itss.load_framework([tailored], include_builtin=False, registry=registry)
    evaluator = itss.Evaluator(framework, registry=registry)
    result = evaluator.assess(_evidence(expertise), dt.date(2020, 1, 2))
    assert len(counted.tested) == tested
    (found,) = result.fields
    assert found.level == 0
    assert found.next is not None
    verdicts = {v.criterion: v.status for v in found.next.criteria}
    assert verdicts[COSTLY_CRITERION] is Status.MET_BY_EVIDENCE  # explained all the same
    assert verdicts[f"{FIELD}.l4.expertise"] is expertise_status
