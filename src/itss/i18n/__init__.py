"""Every text a person reads, in Japanese or English, from one gettext catalogue.

The catalogues are `locale/<lang>/LC_MESSAGES/itss.po`, kept with Babel (docs/messages.md):
their message ids are stable keys (`cli.assessed`, `checklist.met`), their texts Python
format strings. Babel compiles each into `itss.mo` beside it (`make messages`; a test fails
when the two differ), and that is what runs: the standard library's gettext reads it at
once, where parsing the .po cost every command 26 ms of its start-up. The CLI, the reports,
the API's errors and the pages all read them here (the pages' templates call `t("web.key")`).
A tailored rule kind brings its own texts (`RuleKind.texts`), looked up after the catalogue.
"""

from __future__ import annotations

import gettext
import string
from functools import cache
from importlib import resources
from typing import Any, Literal

from itss.engine.registry import default_registry
from itss.errors import Phrase

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")
DOMAIN = "itss"


def po_path(lang: str, suffix: str = ".po") -> Any:
    """The catalogue file of a language (a Traversable inside the package); `.mo`: compiled."""
    return resources.files("itss.i18n") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The language's compiled catalogue."""
    with po_path(lang, ".mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def template(key: str, lang: str) -> str | None:
    """The text of a key in a language: the catalogue's, else a registered kind's, else None."""
    found = translations(lang if lang in LANGS else "ja").gettext(key)
    if found != key:
        return found
    texts = default_registry().texts.get(key)
    if texts is not None:
        return texts[1] if lang == "en" else texts[0]
    return None


@cache
def placeholders(text: str) -> tuple[str, ...]:
    """The names a text's placeholders need, in order."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(text) if name)


class MissingValueError(KeyError):
    """A text needs a value it was not given (strict rendering, used by the tests)."""


class _Values(dict[str, Any]):
    """Format arguments; a missing one shows as its placeholder (strict: an error)."""

    strict = False

    def __missing__(self, key: str) -> str:
        if self.strict:
            raise MissingValueError(key)
        return "{" + key + "}"


def tr(key: str, lang: str, /, **args: Any) -> str:
    """The text of `key` in `lang` with `args` filled in (the key itself if it has none)."""
    found = template(key, lang)
    if found is None:
        return key
    if not args and "{" not in found:
        return found
    # A value may itself be a phrase of the catalogue: shown in the same language.
    values = {k: v.localized(lang) if isinstance(v, Phrase) else v for k, v in args.items()}
    return found.format_map(_Values(values))


def fill(text: str, args: dict[str, Any], *, strict: bool = False) -> str:
    values = _Values(args)
    values.strict = strict
    return text.format_map(values)
