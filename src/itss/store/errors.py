"""What can go wrong with the store that a user must be told about (never a traceback)."""

from __future__ import annotations

from itss.errors import ItssError, NotFoundError


class StoreError(ItssError):
    """The database cannot be used as asked."""


class DatabaseUnavailableError(StoreError):
    """The URL is wrong, the server is down, or the file cannot be opened."""


class NotInitialisedError(StoreError):
    """The database has no itss schema, or an older one than this code needs."""


class ConflictError(StoreError):
    """Someone else changed the same data at the same time; nothing was written."""


class StaleError(ConflictError):
    """The caller read an older revision than the one now recorded: nothing was written."""


class LostRaceError(ConflictError):
    """The database refused a write because a concurrent one won: trying again may work."""


class UnknownError(StoreError, NotFoundError):
    """No such person, unit or record in the database."""


class UnexplainableError(StoreError):
    """A stored assessment that cannot be shown as it was made here: its framework or engine
    version is not this installation's, or made again it gives other levels."""
