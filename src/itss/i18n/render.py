"""Explanations as sentences: the engine's messages (key and arguments) rendered in a language.

Arguments holding framework ids (criteria, items, fields) are shown as their texts; roles,
depths, measures and exams as their names from the catalogue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Text
from itss.engine.verdict import Message, Status
from itss.i18n import fill, placeholders, template, tr

# Arguments that name a value of a fixed list: shown as the name under "<family>.<value>".
WORD_FAMILIES = {"role": "role", "depth": "depth", "measure": "measure", "exam": "exam"}
# Arguments holding framework ids (criteria, items, fields): shown as their texts.
_ID_ARGS = {"items", "options", "required", "areas", "item", "criterion", "fields"}


def word(family: str, value: str, lang: str) -> str:
    """The name of a role, depth, measure or exam (the value itself if it has none)."""
    key = f"{family}.{value}"
    found = tr(key, lang)
    return value if found == key else found


def status_word(status: Status, lang: str) -> str:
    return tr(f"status.{status.value}", lang)


def render(
    message: Message | None,
    lang: str = "ja",
    catalogue: Catalogue | None = None,
    *,
    strict: bool = False,
) -> str:
    """The message as a sentence; with the catalogue, ids are shown as their texts.

    `strict` (for tests): a value that is missing or None is an error instead of a gap."""
    if message is None:
        return ""
    text = template(message.key, lang)
    if text is None:
        return message.key
    given = message.args
    args = {}
    for name in placeholders(text):  # only what the text shows is rendered (and checked)
        if name == "range" and "measure" in given:
            args[name] = _range(given, lang)
        elif name in given:
            args[name] = _value(
                name, _resolve(name, given[name], catalogue), lang, catalogue, strict
            )
    return fill(text, args, strict=strict)


def _resolve(name: str, value: Any, catalogue: Catalogue | None) -> Any:
    if catalogue is None or name not in _ID_ARGS:
        return value
    if name == "options" and isinstance(value, str) and value in catalogue.criteria:
        # The options of a list criterion are its items.
        return [item.text for item in catalogue.criteria[value].items]
    if isinstance(value, list | tuple):
        return [_text_of(v, catalogue) for v in value]
    return _text_of(value, catalogue)


def _text_of(ident: Any, catalogue: Catalogue) -> Any:
    if not isinstance(ident, str):
        return ident
    if ident in catalogue.criteria:
        return catalogue.criteria[ident].text
    if ident in catalogue.fields:
        return catalogue.fields[ident].name
    return ident


def _value(name: str, value: Any, lang: str, catalogue: Catalogue | None, strict: bool) -> str:
    if name in WORD_FAMILIES and isinstance(value, str):
        return word(WORD_FAMILIES[name], value, lang)
    return _plain(value, lang, catalogue, strict)


def _plain(value: Any, lang: str, catalogue: Catalogue | None, strict: bool = False) -> str:
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, Message):
        return render(value, lang, catalogue, strict=strict)
    if isinstance(value, list | tuple):
        parts = [_plain(v, lang, catalogue, strict) for v in value if v is not None]
        return tr("list.separator", lang).join(p for p in parts if p) or tr("value.none", lang)
    if value is None:
        if strict:
            raise ValueError("a message argument is None")
        return ""
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _range(args: dict[str, Any], lang: str) -> str:
    parts = []
    if args.get("min") is not None:
        parts.append(tr("range.min", lang, value=_plain(args["min"], lang, None)))
    if args.get("below") is not None:
        parts.append(tr("range.below", lang, value=_plain(args["below"], lang, None)))
    if args.get("max") is not None:
        parts.append(tr("range.max", lang, value=_plain(args["max"], lang, None)))
    return tr("list.separator", lang).join(parts)
