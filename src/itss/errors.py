"""The errors a user can be shown: each names the place and the problem.

An error may carry a message key of the catalogue (`itss.i18n`) with its values, so that a
front end shows it in the user's language (`localized`); `str()` gives the English text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self


def excerpt(text: str, limit: int = 40) -> str:
    """A value shown in a message: never more than a short piece of it."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def got(value: object) -> str:
    """ " (got VALUE)" for a bad value a person typed: short, whatever its size."""
    if isinstance(value, str):
        return f" (got {excerpt(value)})"
    if isinstance(value, int | float):
        return f" (got {excerpt(repr(value))[1:-1]})"
    return ""


class Phrase:
    """A text of the message catalogue with its values, shown in the reader's language.

    Values may be phrases themselves (a part of a sentence that is translated too)."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values

    def localized(self, lang: str) -> str:
        from itss.i18n import tr  # noqa: PLC0415 - the catalogue sits above this module

        return tr(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.localized("en")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)


Problem = str | Phrase  # what is wrong: plain text (English only) or a catalogue phrase


class ItssError(Exception):
    """Base of every error `itss` reports to a user instead of a traceback."""

    def __init__(
        self, message: str = "", *, key: str | None = None, values: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message or key or "")
        self.message = message
        self.key = key
        self.values = dict(values or {})

    def localized(self, lang: str) -> str:
        """The error in a language: its catalogue text where it has a key."""
        if self.key is None:
            return self.message
        from itss.i18n import tr  # noqa: PLC0415 - the catalogue sits above this module

        return tr(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.message if self.key is None else self.localized("en")


class LocatedError(ItssError):
    """A problem at a place: a file, a path inside it, what is wrong."""

    def __init__(
        self,
        file: str,
        where: str,
        problem: str,
        *,
        key: str | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> None:
        self.file = file
        self.where = where
        self.place = f"{file}: {where}" if where else file
        self.more: list[tuple[str, Problem]] = []  # further (where, problem) in the same file
        super().__init__(problem, key=key, values=values)

    @classmethod
    def many(cls, file: str, problems: Sequence[tuple[str, Problem]]) -> Self:
        """One error for several problems of a file, each with its place (at least one)."""
        (where, problem), *more = problems
        if isinstance(problem, Phrase):
            error = cls(file, where, "", key=problem.key, values=problem.values)
        else:
            error = cls(file, where, problem)
        error.more = list(more)
        return error

    @property
    def problem(self) -> str:
        return self.localized_problem("en")

    def localized_problem(self, lang: str) -> str:
        return super().localized(lang)

    def localized(self, lang: str) -> str:
        first = f"{self.place}: {self.localized_problem(lang)}"
        rest = (f"{self.file}: {w}: {_text(p, lang)}" for w, p in self.more)
        return "\n".join([first, *rest])

    def __str__(self) -> str:
        return self.localized("en")


class CatalogueError(LocatedError):
    """A framework file is malformed or inconsistent."""


class EvidenceError(LocatedError):
    """An evidence file is malformed or refers to something unknown."""


class PolicyError(LocatedError):
    """A policy file is malformed or names an unknown ambiguity or reading."""


def _text(problem: Problem, lang: str) -> str:
    return problem.localized(lang) if isinstance(problem, Phrase) else problem


# What a request may be refused for; each front end shows them its own way (the API as 401,
# 403, 404 and 429, the CLI as an error line).


class NotFoundError(ItssError):
    """Nothing by that name, or nothing the actor may see by that name (one answer for both,
    so that a refusal does not tell who exists)."""


class PermissionDeniedError(ItssError):
    """The actor may see this but not do that."""


class AuthenticationError(ItssError):
    """No valid credentials: a wrong password, an unknown, expired or revoked token."""


class TooManyAttemptsError(AuthenticationError):
    """Sign-in refused for a while after repeated failures."""

    def __init__(self, *, retry_after: int, key: str, values: Mapping[str, Any]) -> None:
        super().__init__(key=key, values=values)
        self.retry_after = retry_after  # seconds
