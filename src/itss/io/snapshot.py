"""The compact stored form of an assessment: every verdict with its structured reason.

Messages are kept as (key, arguments) with framework ids, not rendered sentences, so a
snapshot is small and quick to write, and renders later in either language against the
framework version it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from itss.catalogue.catalogue import Catalogue
from itss.engine.result import Assessment, Explanation, FieldResult, SkillProfile
from itss.engine.skills import stored_profile
from itss.engine.verdict import LevelVerdict, Message, Status, Verdict

FORMAT = "itss-snapshot/3"
# 1 kept level verdicts inline; 2 names them in "levels"; 3 adds the way to a level within
# reach ("within_reach", "beyond": only where the provisional level is above the level).
_FORMATS = ("itss-snapshot/1", "itss-snapshot/2", FORMAT)
_PLAN = ("within_reach", "beyond")


def _default(value: Any) -> Any:
    # Messages (named tuples) are stored as [key, args]; orjson writes dates itself.
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def _verdict(v: Verdict) -> list[Any]:
    return [
        v.criterion,
        v.status,
        v.reason,
        v.missing,
        v.engagements,
        v.informational,
        v.attested_by,
    ]


def _level(level: LevelVerdict) -> list[Any]:
    return [level.level, level.level_id, level.common, [_verdict(v) for v in level.criteria]]


def _named(verdict: LevelVerdict | None, levels: dict[str, list[Any]]) -> str | None:
    """The level verdict's id, the verdict itself kept once in `levels`."""
    if verdict is None:
        return None
    if verdict.level_id not in levels:
        levels[verdict.level_id] = _level(verdict)
    return verdict.level_id


def _field(result: FieldResult, levels: dict[str, list[Any]]) -> dict[str, Any]:
    explained = result.explanation
    stored = {
        "field": result.field,
        "category": result.category,
        "level": result.level,
        "provisional_level": result.provisional_level,
        "reached": _named(explained.reached, levels),
        "next": _named(explained.next, levels),
        "skills": [[s.item, s.claimed, s.attested, s.attested_by] for s in explained.skills],
    }
    if explained.within_reach is not None:
        stored["within_reach"] = _named(explained.within_reach, levels)
        stored["beyond"] = _named(explained.beyond, levels)
    return stored


def encode(assessment: Assessment) -> bytes:
    """The snapshot as UTF-8 JSON; a level common to several fields is written once."""
    levels: dict[str, list[Any]] = {}
    fields = [_field(f, levels) for f in assessment.fields]
    document = {
        "format": FORMAT,
        "person": assessment.person,
        "name": assessment.name,
        "as_of": assessment.as_of,
        "framework_version": assessment.framework_version,
        "policy": assessment.policy,
        "fields": fields,
        "levels": levels,
    }
    return orjson.dumps(document, default=_default)


def _message(raw: Any) -> Message | None:
    if raw is None:
        return None
    key, args = raw
    return Message(key, {k: _nested(v) for k, v in args.items()})


def _nested(value: Any) -> Any:
    # A message argument that was itself a message was stored as [key, {args}].
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
        return _message(value)
    if isinstance(value, list):
        return [_nested(v) for v in value]
    return value


def decode_level(raw: list[Any] | None) -> LevelVerdict | None:
    """A stored level verdict, with messages ready to render."""
    if raw is None:
        return None
    number, level_id, common, verdicts = raw
    return LevelVerdict(
        number,
        level_id,
        common,
        tuple(
            Verdict(c, Status(s), _message(r) or Message("?"), _message(m), tuple(e), i, a)
            for c, s, r, m, e, i, a in verdicts
        ),
    )


def decode(data: bytes) -> dict[str, Any]:
    """The snapshot document, with each field's `reached` and `next` as LevelVerdicts."""
    document: dict[str, Any] = orjson.loads(data)
    if document.get("format") not in _FORMATS:
        raise ValueError(f"not an {FORMAT} document")
    # Format 1 kept each field's level verdicts inline; format 2 names them in "levels".
    levels = document.pop("levels", {})
    for fld in document["fields"]:
        for key in ("reached", "next", *_PLAN):
            raw = fld.get(key)
            fld[key] = decode_level(levels[raw] if isinstance(raw, str) else raw)
    document["format"] = FORMAT
    return document


def decode_assessment(data: bytes, catalogue: Catalogue) -> Assessment:
    """A snapshot as the engine's own `Assessment`, every explanation as it was made.

    It renders the same report as the assessment it was made from; skill items take their
    proficiency texts and knowledge items from `catalogue` (the framework the run used)."""
    document = decode(data)
    fields = tuple(_field_result(f, catalogue) for f in document["fields"])
    return Assessment(
        document["person"],
        document["name"],
        dt.date.fromisoformat(document["as_of"]),
        document["framework_version"],
        document["policy"],
        fields,
    )


def _field_result(stored: dict[str, Any], catalogue: Catalogue) -> FieldResult:
    field = stored["field"]
    skills = tuple(_skill(catalogue, field, raw) for raw in stored["skills"])
    explanation = Explanation(
        stored["reached"], stored["next"], skills, stored["within_reach"], stored["beyond"]
    )
    return FieldResult(
        field,
        stored["category"],
        stored["level"],
        stored["provisional_level"],
        lambda: explanation,
    )


def _skill(catalogue: Catalogue, field: str, raw: list[Any]) -> SkillProfile:
    item, claimed, attested, by = raw
    return stored_profile(catalogue.skill_items[item], field, claimed, attested, by)
