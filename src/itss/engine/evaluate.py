"""The generic evaluator: one pass over the compiled framework for one person's evidence."""

from __future__ import annotations

import datetime as dt

from itss.catalogue.catalogue import Catalogue
from itss.engine.compile import CompiledCriterion, CompiledLevel, Compiler
from itss.engine.evidence import Evidence
from itss.engine.policy import DEFAULT_POLICY, Policy
from itss.engine.registry import Registry, keys
from itss.engine.result import Assessment, Explanation, FieldResult
from itss.engine.skills import SkillIndex
from itss.engine.subject import EngagementView, Subject
from itss.engine.verdict import LevelVerdict, Message, Outcome, Status, Verdict

# The version of what the engine decides and explains. A stored assessment names it: an
# assessment kept as its levels alone is explained later by assessing its evidence again,
# which gives the verdicts exactly as they were made only under the same version. Raise it
# whenever a verdict, a level or an explanation of the same inputs changes
# (tests/engine/test_engine_version.py holds a fingerprint of both to this number).
ENGINE_VERSION = "1"

# The messages the evaluator itself writes (each kind declares its own in the registry).
MESSAGES = (
    *keys("engagements", "met", "none", "none_missing"),
    *keys("attested", "met", "unmet"),
    "attestation.missing",
)


class Evaluator:
    """A framework compiled under a policy; assess any number of people with it."""

    def __init__(
        self,
        catalogue: Catalogue,
        policy: Policy = DEFAULT_POLICY,
        registry: Registry | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.policy = policy
        compiler = Compiler(catalogue, policy, registry)
        compiled = {
            lv.id: compiler.level(lv) for cat in catalogue.categories.values() for lv in cat.levels
        }
        self.levels: dict[str, list[CompiledLevel]] = {
            fid: sorted((compiled[lv.id] for lv in by_number.values()), key=lambda c: c.number)
            for fid, by_number in catalogue.by_field.items()
        }
        self.siblings = self._siblings()
        # Each field's levels from the top, with the tests of their complexity and size, as
        # bound methods: every engagement of every person climbs down one of these ladders.
        self._ladders = {
            fid: tuple(
                (c.number, tuple(e.rule.test for e in c.engagement_criteria))
                for c in reversed(levels)
            )
            for fid, levels in self.levels.items()
        }
        self.skills = SkillIndex(catalogue)
        # Evidence may name a level's own item id instead of the concept it stands for.
        self.concepts = {cid: c.concept for cid, c in catalogue.criteria.items() if c.concept}

    def _siblings(self) -> dict[str, set[str]]:
        """Fields that share a common level with each field (and so its evidence)."""
        found: dict[str, set[str]] = {f: {f} for f in self.levels}
        for levels in self.levels.values():
            for compiled in levels:
                for fid in compiled.level.common_to:
                    found[fid].update(compiled.level.common_to)
        return found

    def _equivalence(self, engagement: EngagementView) -> int:
        """The highest level of its field whose complexity and size the engagement meets."""
        for number, tests in self._ladders.get(engagement.field, ()):
            for test in tests:
                if not test(engagement):
                    break
            else:
                return number
        return 0

    def subject(self, evidence: Evidence, as_of: dt.date) -> Subject:
        return Subject(evidence, as_of, self.concepts, self._equivalence, self.catalogue.successors)

    def assess(self, evidence: Evidence, as_of: dt.date, *, all_fields: bool = False) -> Assessment:
        """Levels per field with the explained verdicts of the level reached and the next,
        as on `as_of` (the engine never reads the clock: the caller says which day)."""
        day = as_of
        subject = self.subject(evidence, day)
        fields = self.catalogue.fields if all_fields else self._touched(subject)
        results = tuple(self.field_result(subject, fid) for fid in fields)
        return Assessment(
            evidence.person.id,
            evidence.person.name,
            day,
            self.catalogue.version,
            self.policy.name,
            results,
        )

    def _touched(self, subject: Subject) -> list[str]:
        touched: set[str] = set()
        for fid in subject.by_field:
            touched.update(self.siblings.get(fid, ()))
        return [f for f in self.catalogue.fields if f in touched]

    def field_result(self, subject: Subject, field_id: str) -> FieldResult:
        levels = self.levels[field_id]
        confirmed = provisional = None
        best: dict[tuple[str, ...], int] = {}
        for compiled in reversed(levels):
            fields = compiled.fields
            if fields not in best:
                best[fields] = subject.best_equivalence(fields)
            if compiled.needs_equivalence > best[fields]:
                continue
            status = self._level_status(subject, compiled)
            if provisional is None and status is not Status.NOT_MET:
                provisional = compiled
            if status is Status.MET_BY_EVIDENCE:
                confirmed = compiled
                break
        reached = confirmed.number if confirmed else 0
        following = next((c for c in levels if c.number > reached), None)
        reachable = (
            provisional if provisional is not None and provisional is not confirmed else None
        )
        beyond = (
            next((c for c in levels if c.number > reachable.number), None) if reachable else None
        )

        def explain() -> Explanation:
            return Explanation(
                self.explain_level(subject, confirmed) if confirmed else None,
                self.explain_level(subject, following) if following else None,
                self.skills.profile(subject, field_id),
                self.explain_level(subject, reachable) if reachable else None,
                self.explain_level(subject, beyond) if beyond else None,
            )

        return FieldResult(
            field_id,
            self.catalogue.field_category[field_id],
            reached,
            provisional.number if provisional else 0,
            explain,
        )

    def _level_status(self, subject: Subject, compiled: CompiledLevel) -> Status:
        if not compiled.common:
            return self._fast(subject, compiled)
        # A common level is the same verdict for each of its fields: judge it once.
        found = subject.common_status.get(compiled.level.id)
        if found is None:
            found = self._fast(subject, compiled)
            subject.common_status[compiled.level.id] = found
        return found

    @staticmethod
    def _fast(subject: Subject, compiled: CompiledLevel) -> Status:
        """The level's status without explanations: met, waiting for attestation, or not."""
        pending = False
        attested = subject.attested
        for criterion in compiled.required:
            if criterion.attested_only:
                pending = pending or criterion.id not in attested
                continue
            if criterion.engagement:
                met = bool(subject.meeting(criterion.id, criterion.rule, compiled.fields))
            else:
                met = criterion.rule.test(subject)
            if not met:
                return Status.NOT_MET
            if criterion.attestation and criterion.id not in attested:
                pending = True
        return Status.NEEDS_ATTESTATION if pending else Status.MET_BY_EVIDENCE

    @staticmethod
    def _status(subject: Subject, criterion: CompiledCriterion, met: bool) -> Status:
        attested = criterion.id in subject.attested
        if criterion.attested_only:
            return Status.MET_BY_ATTESTATION if attested else Status.NEEDS_ATTESTATION
        if not met:
            return Status.NOT_MET
        if criterion.attestation:
            return Status.MET_BY_ATTESTATION if attested else Status.NEEDS_ATTESTATION
        return Status.MET_BY_EVIDENCE

    def unmet_at(
        self, evidence: Evidence, as_of: dt.date, field_id: str, number: int
    ) -> tuple[Verdict, ...]:
        """The required criteria of level `number` of a field that the evidence does not meet
        (by evidence or attestation) as on `as_of`: why that level is not reached."""
        compiled = next((c for c in self.levels.get(field_id, ()) if c.number == number), None)
        if compiled is None:
            return ()
        verdict = self.explain_level(self.subject(evidence, as_of), compiled)
        return tuple(v for v in verdict.required if not v.status.met)

    def explain_level(self, subject: Subject, compiled: CompiledLevel) -> LevelVerdict:
        # A common level is explained once for all of its fields (the same verdicts).
        found: LevelVerdict | None = subject.explained.get(compiled.level.id)
        if found is None:
            verdicts = tuple(self.explain(subject, compiled, c) for c in compiled.criteria)
            found = LevelVerdict(compiled.number, compiled.level.id, compiled.common, verdicts)
            subject.explained[compiled.level.id] = found
        return found

    def explain(
        self, subject: Subject, compiled: CompiledLevel, criterion: CompiledCriterion
    ) -> Verdict:
        if criterion.attested_only:
            return _attestation_verdict(subject, criterion)
        outcome = self._outcome(subject, compiled, criterion)
        status = self._status(subject, criterion, outcome.met)
        attestation = subject.attested.get(criterion.id)
        missing = outcome.missing
        if status is Status.NEEDS_ATTESTATION:
            missing = Message("attestation.missing", {"criterion": criterion.id})
        return Verdict(
            criterion.id,
            status,
            outcome.reason,
            None if status.met else missing,
            outcome.engagements,
            criterion.informational,
            attestation.by if attestation and status.met else None,
        )

    def _outcome(
        self, subject: Subject, compiled: CompiledLevel, criterion: CompiledCriterion
    ) -> Outcome:
        if not criterion.engagement:
            return criterion.rule.explain(subject)  # type: ignore[no-any-return]
        pool = subject.pool(compiled.fields)
        meeting = subject.meeting(criterion.id, criterion.rule, compiled.fields)
        if meeting:
            first = criterion.rule.explain(subject, meeting[0])
            ids = tuple(e.id for e in meeting)
            args = {"first": first.reason, "engagements": list(ids)}
            return Outcome(True, Message("engagements.met", args), engagements=ids)
        if not pool:
            names = list(compiled.fields)
            return Outcome(
                False,
                Message("engagements.none", {"fields": names}),
                Message("engagements.none_missing", {"fields": names}),
            )
        # The most recent engagement is the one a person can most easily build on.
        latest = max(pool, key=lambda e: e.end)
        outcome = criterion.rule.explain(subject, latest)
        return Outcome(False, outcome.reason, outcome.missing)


def _attestation_verdict(subject: Subject, criterion: CompiledCriterion) -> Verdict:
    """A criterion only a person can confirm: confirmed, or waiting for it."""
    found = subject.attested.get(criterion.id)
    if found is not None:
        reason = Message("attested.met", {"by": found.by, "date": found.date})
        return Verdict(
            criterion.id,
            Status.MET_BY_ATTESTATION,
            reason,
            None,
            (),
            criterion.informational,
            found.by,
        )
    missing = Message("attestation.missing", {"criterion": criterion.id})
    return Verdict(
        criterion.id,
        Status.NEEDS_ATTESTATION,
        Message("attested.unmet"),
        missing,
        (),
        criterion.informational,
        None,
    )


def assess(
    catalogue: Catalogue,
    evidence: Evidence,
    policy: Policy = DEFAULT_POLICY,
    *,
    as_of: dt.date,
    all_fields: bool = False,
) -> Assessment:
    """Assess one person: a pure function of catalogue, policy, evidence and date."""
    return Evaluator(catalogue, policy).assess(evidence, as_of, all_fields=all_fields)
