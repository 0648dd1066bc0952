"""The stored snapshot: it decodes to the engine's own verdicts, in both formats it has had."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest

import itss
from itss.catalogue.catalogue import Catalogue
from itss.demo import generate_people
from itss.engine.verdict import LevelVerdict
from itss.io.snapshot import FORMAT, decode, encode

AS_OF = dt.date(2026, 4, 1)


@pytest.fixture(scope="module")
def assessments(framework: Catalogue, evaluator: itss.Evaluator) -> list[itss.Assessment]:
    people = generate_people(framework, 40, seed=11, as_of=AS_OF)
    return [evaluator.assess(person, AS_OF) for person in people]


def _verdicts(level: LevelVerdict | None) -> list[tuple[object, ...]] | None:
    """What JSON keeps exactly (message arguments come back as JSON values: dates as text)."""
    if level is None:
        return None
    return [
        (v.criterion, v.status, v.reason.key, v.missing and v.missing.key, v.engagements)
        for v in level.criteria
    ]


def _as_format_1(data: bytes) -> bytes:
    """The same snapshot as format 1 wrote it: each field's level verdicts inline."""
    document: dict[str, Any] = orjson.loads(data)
    levels = document.pop("levels")
    for fld in document["fields"]:
        for key in ("reached", "next", "within_reach", "beyond"):
            if key in fld:
                fld[key] = levels.get(fld[key]) if fld[key] else None
    document["format"] = "itss-snapshot/1"
    return orjson.dumps(document)


def test_a_snapshot_decodes_to_the_engines_verdicts(
    assessments: list[itss.Assessment],
) -> None:
    for result in assessments:
        document = decode(encode(result))
        assert document["format"] == FORMAT
        assert document["person"] == result.person
        for stored, field in zip(document["fields"], result.fields, strict=True):
            assert (stored["field"], stored["level"]) == (field.field, field.level)
            assert _verdicts(stored["reached"]) == _verdicts(field.reached)
            assert _verdicts(stored["next"]) == _verdicts(field.next)


def test_a_level_common_to_several_fields_is_written_once(
    assessments: list[itss.Assessment],
) -> None:
    shared = 0
    for result in assessments:
        document = orjson.loads(encode(result))
        keys = ("reached", "next", "within_reach", "beyond")
        named = [f[k] for f in document["fields"] for k in keys if f.get(k)]
        assert sorted(document["levels"]) == sorted(set(named))
        shared += len(named) > len(set(named))
    assert shared, "the sample has people whose fields share a common level"


def test_format_1_snapshots_still_decode(assessments: list[itss.Assessment]) -> None:
    for result in assessments:
        data = encode(result)
        assert decode(_as_format_1(data)) == decode(data)


def test_something_else_is_refused() -> None:
    with pytest.raises(ValueError, match="itss-snapshot"):
        decode(orjson.dumps({"format": "itss-snapshot/9", "fields": []}))
