"""The errors a user can be shown: each names the place and the problem."""

from __future__ import annotations


class ItssError(Exception):
    """Base of every error `itss` reports to a user instead of a traceback."""


class LocatedError(ItssError):
    """A problem at a place: a file, a path inside it, what is wrong."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file = file
        self.where = where
        self.problem = problem
        place = f"{file}: {where}" if where else file
        super().__init__(f"{place}: {problem}")


class CatalogueError(LocatedError):
    """A framework file is malformed or inconsistent."""


class EvidenceError(LocatedError):
    """An evidence file is malformed or refers to something unknown."""


class PolicyError(LocatedError):
    """A policy file is malformed or names an unknown ambiguity or reading."""
