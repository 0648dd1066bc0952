"""Who records a change, from where, and when; and how much an append-only write changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Change:
    """Stamped on every revision a write appends."""

    by: str
    source: str
    at: dt.datetime = field(default_factory=now)


@dataclass
class WriteSummary:
    created: int = 0
    revised: int = 0
    unchanged: int = 0

    def __add__(self, other: WriteSummary) -> WriteSummary:
        return WriteSummary(
            self.created + other.created,
            self.revised + other.revised,
            self.unchanged + other.unchanged,
        )
