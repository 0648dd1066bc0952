"""The compact stored form of an assessment: every verdict with its structured reason.

Messages are kept as (key, arguments) with framework ids, not rendered sentences, so a
snapshot is small and quick to write, and renders later in either language against the
framework version it names.
"""

from __future__ import annotations

from typing import Any

import orjson

from itss.engine.result import Assessment, FieldResult
from itss.engine.verdict import LevelVerdict, Message, Status, Verdict

FORMAT = "itss-snapshot/1"


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


def _level(level: LevelVerdict | None) -> list[Any] | None:
    if level is None:
        return None
    return [level.level, level.level_id, level.common, [_verdict(v) for v in level.criteria]]


def _field(result: FieldResult) -> dict[str, Any]:
    return {
        "field": result.field,
        "category": result.category,
        "level": result.level,
        "provisional_level": result.provisional_level,
        "reached": _level(result.reached),
        "next": _level(result.next),
        "skills": [[s.item, s.claimed, s.attested, s.attested_by] for s in result.skills],
    }


def encode(assessment: Assessment) -> bytes:
    """The snapshot as UTF-8 JSON."""
    document = {
        "format": FORMAT,
        "person": assessment.person,
        "name": assessment.name,
        "as_of": assessment.as_of,
        "framework_version": assessment.framework_version,
        "policy": assessment.policy,
        "fields": [_field(f) for f in assessment.fields],
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
    if document.get("format") != FORMAT:
        raise ValueError(f"not an {FORMAT} document")
    for fld in document["fields"]:
        fld["reached"] = decode_level(fld["reached"])
        fld["next"] = decode_level(fld["next"])
    return document
