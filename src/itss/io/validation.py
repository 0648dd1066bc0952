"""Validation problems (pydantic's) as phrases of the message catalogue, where it has one.

pydantic names each problem by a type with its context (`less_than_equal`, `le: 50`); the
catalogue says the same in Japanese and English (`validation.<type>`). A type it does not know
keeps pydantic's English message.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

from itss.errors import Phrase, got

# The problem types the catalogue tells in both languages (`validation.<type>`): pydantic's
# own, and the evidence models' (`PydanticCustomError`).
TRANSLATED = frozenset(
    {
        *("missing", "extra_forbidden", "string_too_short", "string_too_long", "string_type"),
        *("int_parsing", "int_from_float", "int_type", "float_parsing", "float_type"),
        *("bool_parsing", "greater_than_equal", "greater_than", "less_than_equal", "less_than"),
        *("literal_error", "list_type", "date_type"),
        *("not_a_day", "no_such_day", "day_with_time", "end_before_start"),
        *("attestation_one", "skill_attestation", "engagement_twice"),
        "string_pattern_mismatch",  # the only pattern of evidence and sheets: `PLAIN`
    }
)


def phrase(found: ErrorDetails) -> str | Phrase:
    """The problem of one validation error, with a short excerpt of the bad value."""
    shown = got(found.get("input")) if found["type"] != "missing" else ""
    if found["type"] not in TRANSLATED:
        return found["msg"].removeprefix("Value error, ") + shown
    key = f"validation.{found['type']}"
    values: dict[str, Any] = {k: _shown(v) for k, v in (found.get("ctx") or {}).items()}
    return Phrase(key, got=shown, **values)


def _shown(value: Any) -> Any:
    return value if isinstance(value, str | int | float) else str(value)
