"""Explained verdicts: what the engine returns instead of a bare bool."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, NamedTuple


class Status(enum.StrEnum):
    MET_BY_EVIDENCE = "met_by_evidence"
    MET_BY_ATTESTATION = "met_by_attestation"
    NEEDS_ATTESTATION = "needs_attestation"
    NOT_MET = "not_met"

    @property
    def met(self) -> bool:
        return self in (Status.MET_BY_EVIDENCE, Status.MET_BY_ATTESTATION)


# Named tuples, not dataclasses: tens of these are made per person, and bulk runs assess
# hundreds of thousands of people.


class Message(NamedTuple):
    """A sentence to show a person, rendered in Japanese or English by `itss.i18n.render`."""

    key: str
    args: dict[str, Any] = {}  # noqa: RUF012 - never mutated


class Outcome(NamedTuple):
    """What a rule found: met or not, why, and what would meet it."""

    met: bool
    reason: Message
    missing: Message | None = None
    engagements: tuple[str, ...] = ()


class Verdict(NamedTuple):
    """One criterion judged: its status, the reason and, if unmet, what is missing."""

    criterion: str
    status: Status
    reason: Message
    missing: Message | None = None
    engagements: tuple[str, ...] = ()
    informational: bool = False
    attested_by: str | None = None


@dataclass(frozen=True)
class LevelVerdict:
    level: int
    level_id: str
    common: bool
    criteria: tuple[Verdict, ...]

    @property
    def required(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.criteria if not v.informational)

    @property
    def met(self) -> bool:
        return all(v.status.met for v in self.required)

    @property
    def provisionally_met(self) -> bool:
        return all(v.status is not Status.NOT_MET for v in self.required)
