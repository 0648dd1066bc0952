"""A person's evidence as of a date, arranged for fast evaluation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from itss.engine.evidence import DEPTHS, MEASURES, ROLES, Attestation, Evidence

ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
DEPTH_RANK = {depth: rank for rank, depth in enumerate(DEPTHS)}


class EngagementView(NamedTuple):
    id: str
    field: str
    role: int
    start: dt.date
    end: dt.date
    measures: dict[str, float]  # ints for counts, a float for floor area
    concepts: frozenset[str]


class Subject:
    """What the rules look at: evidence up to `as_of`, successful engagements only."""

    def __init__(
        self,
        evidence: Evidence,
        as_of: dt.date,
        concepts: Mapping[str, str],
        equivalence: Callable[[EngagementView], int],
        successors: Mapping[str, str] | None = None,
    ) -> None:
        self.evidence = evidence
        self.as_of = as_of
        self._equivalence = equivalence
        self._equivalent: dict[str, int] = {}
        self._meeting: dict[str, list[EngagementView]] = {}
        self._eligible: dict[tuple[str | int, ...], list[EngagementView]] = {}
        self._pools: dict[tuple[str, ...], list[EngagementView]] = {}
        self._best: dict[tuple[str, ...], int] = {}
        self.common_status: dict[str, Any] = {}  # level id -> Status, for levels common to fields
        self.explained: dict[str, Any] = {}  # level id -> LevelVerdict, built once per person
        self.by_field: dict[str, list[EngagementView]] = {}
        for engagement in evidence.engagements:
            if engagement.succeeded and engagement.start <= as_of:
                end = min(engagement.end or as_of, as_of)
                values = engagement.__dict__  # the model's own field storage: no descriptors
                measures: dict[str, float] = {
                    m: v for m in MEASURES if (v := values[m]) is not None
                }
                criteria = engagement.criteria
                claimed = frozenset(map(concepts.get, criteria, criteria))  # id, or its concept
                # A field no longer in the framework: its successor's engagement.
                fid = (
                    successors.get(engagement.field, engagement.field)
                    if successors
                    else engagement.field
                )
                view = EngagementView(
                    engagement.id,
                    fid,
                    ROLE_RANK[engagement.role],
                    engagement.start,
                    end,
                    measures,
                    claimed,
                )
                self.by_field.setdefault(fid, []).append(view)
        self.expertise = self._expertise(evidence, as_of)
        self.activities = [a for a in evidence.succession if a.date <= as_of]
        self.mentoring = [m for m in evidence.mentoring if m.start <= as_of]
        self.qualifications = {q.id for q in evidence.qualifications if q.date <= as_of}
        self.attested = self._attestations(evidence.attestations, as_of)

    @staticmethod
    def _expertise(evidence: Evidence, as_of: dt.date) -> dict[str, int]:
        found: dict[str, int] = {}
        for item in evidence.expertise:
            if item.since is None or item.since <= as_of:
                found[item.area] = max(found.get(item.area, -1), DEPTH_RANK[item.depth])
        return found

    @staticmethod
    def _attestations(attestations: list[Attestation], as_of: dt.date) -> dict[str, Attestation]:
        return {a.criterion: a for a in attestations if a.criterion is not None and a.date <= as_of}

    def pool(self, fields: Sequence[str]) -> list[EngagementView]:
        """The engagements in any of these fields."""
        if len(fields) == 1:
            return self.by_field.get(fields[0], [])
        key = tuple(fields)
        found = self._pools.get(key)
        if found is None:
            found = [e for f in fields for e in self.by_field.get(f, [])]
            self._pools[key] = found
        return found

    def meeting(self, criterion: str, rule: Any, fields: Sequence[str]) -> list[EngagementView]:
        """The engagements in the fields that meet an engagement-scope rule (cached)."""
        found = self._meeting.get(criterion)
        if found is None:
            found = [e for e in self.pool(fields) if rule.test(e)]
            self._meeting[criterion] = found
        return found

    def eligible(self, fields: Sequence[str], role: int, level: int) -> list[EngagementView]:
        """Engagements in the fields held in `role` or above, equivalent to `level` or above."""
        key: tuple[str | int, ...] = (*fields, role, level)
        found = self._eligible.get(key)
        if found is None:
            found = [
                e for e in self.pool(fields) if e.role >= role and self.equivalent_level(e) >= level
            ]
            self._eligible[key] = found
        return found

    def best_equivalence(self, fields: Sequence[str]) -> int:
        """The highest equivalent level of any engagement in the fields (0 if none)."""
        key = tuple(fields)
        found = self._best.get(key)
        if found is None:
            found = max(map(self.equivalent_level, self.pool(fields)), default=0)
            self._best[key] = found
        return found

    def equivalent_level(self, engagement: EngagementView) -> int:
        """The highest level of its field whose complexity and size the engagement meets."""
        found = self._equivalent.get(engagement.id)
        if found is None:
            found = self._equivalence(engagement)
            self._equivalent[engagement.id] = found
        return found
