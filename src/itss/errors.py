"""The errors a user can be shown: each names the place and the problem.

An error may carry a message key of the catalogue (`itss.i18n`) with its values, so that a
front end shows it in the user's language (`localized`); `str()` gives the English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


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
        super().__init__(problem, key=key, values=values)

    @property
    def problem(self) -> str:
        return self.localized_problem("en")

    def localized_problem(self, lang: str) -> str:
        return super().localized(lang)

    def localized(self, lang: str) -> str:
        return f"{self.place}: {self.localized_problem(lang)}"

    def __str__(self) -> str:
        return self.localized("en")


class CatalogueError(LocatedError):
    """A framework file is malformed or inconsistent."""


class EvidenceError(LocatedError):
    """An evidence file is malformed or refers to something unknown."""


class PolicyError(LocatedError):
    """A policy file is malformed or names an unknown ambiguity or reading."""
