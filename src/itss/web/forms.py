"""A page's form read into the evidence models, each problem named by its field in the
person's language (the same words as the API's validation errors)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from itss.engine.evidence import (
    MEASURES,
    Activity,
    Engagement,
    Expertise,
    Mentoring,
    Qualification,
)
from itss.errors import Phrase
from itss.io.validation import phrase

M = TypeVar("M", bound=BaseModel)


class FormProblemsError(Exception):
    """The form's problems: (field, what is wrong) in the person's language."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return str(value).strip() or None if isinstance(value, str) else None


def engagement_of(form: FormData, lang: str) -> Engagement:
    values: dict[str, Any] = {
        "id": _text(form, "id"),
        "field": _text(form, "field"),
        "role": _text(form, "role"),
        "start": _text(form, "start"),
        "end": _text(form, "end"),
        "criteria": [str(c) for c in form.getlist("criteria")],
        "succeeded": form.get("succeeded") is not None,
        "description": _text(form, "description") or "",
    }
    values.update({m: _text(form, m) for m in MEASURES})
    return _valid(Engagement, values, lang)


def expertise_of(form: FormData, lang: str) -> Expertise:
    values = {name: _text(form, name) for name in ("area", "depth", "since")}
    return _valid(Expertise, values, lang)


def mentoring_of(form: FormData, lang: str) -> Mentoring:
    values = {name: _text(form, name) for name in ("start", "end", "mentee", "note")}
    return _valid(Mentoring, values, lang)


def qualification_of(form: FormData, lang: str) -> Qualification:
    values = {name: _text(form, name) for name in ("id", "date", "name")}
    return _valid(Qualification, values, lang)


def activity_of(form: FormData, lang: str) -> Activity:
    values = {
        "type": _text(form, "type"),
        "date": _text(form, "date"),
        "title": _text(form, "title"),
    }
    return _valid(Activity, values, lang)


def _valid(model: type[M], values: dict[str, Any], lang: str) -> M:
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as invalid:
        raise FormProblemsError([_problem(found, lang) for found in invalid.errors()]) from None


def _problem(found: Any, lang: str) -> tuple[str, str]:
    where = ".".join(str(part) for part in found["loc"]) or "-"
    said = phrase(found)
    return where, said.localized(lang) if isinstance(said, Phrase) else str(said)
