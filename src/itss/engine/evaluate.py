"""The generic evaluator: one pass over the compiled framework for one person's evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from itss.catalogue.catalogue import Catalogue
from itss.engine.compile import CompiledCriterion, CompiledLevel, Compiler
from itss.engine.evidence import Evidence
from itss.engine.policy import DEFAULT_POLICY, Policy
from itss.engine.result import Assessment, FieldResult
from itss.engine.skills import skill_profile
from itss.engine.subject import EngagementView, Subject
from itss.engine.verdict import LevelVerdict, Message, Outcome, Status, Verdict


class Evaluator:
    """A framework compiled under a policy; assess any number of people with it."""

    def __init__(self, catalogue: Catalogue, policy: Policy = DEFAULT_POLICY) -> None:
        self.catalogue = catalogue
        self.policy = policy
        compiler = Compiler(catalogue, policy)
        compiled = {
            lv.id: compiler.level(lv) for cat in catalogue.categories.values() for lv in cat.levels
        }
        self.levels: dict[str, list[CompiledLevel]] = {
            fid: sorted((compiled[lv.id] for lv in by_number.values()), key=lambda c: c.number)
            for fid, by_number in catalogue.by_field.items()
        }
        self.siblings = self._siblings()

    def _siblings(self) -> dict[str, set[str]]:
        """Fields that share a common level with each field (and so its evidence)."""
        found: dict[str, set[str]] = {f: {f} for f in self.levels}
        for levels in self.levels.values():
            for compiled in levels:
                for fid in compiled.level.common_to:
                    found[fid].update(compiled.level.common_to)
        return found

    def _concept(self, ident: str) -> str:
        criterion = self.catalogue.criteria.get(ident)
        return criterion.concept or ident if criterion else ident

    def _qualifier(self, engagement: EngagementView) -> frozenset[int]:
        return frozenset(
            c.number for c in self.levels.get(engagement.field, []) if c.qualifies(engagement)
        )

    def subject(self, evidence: Evidence, as_of: dt.date) -> Subject:
        return Subject(evidence, as_of, self._concept, self._qualifier)

    def assess(
        self, evidence: Evidence, as_of: dt.date | None = None, *, all_fields: bool = False
    ) -> Assessment:
        """Levels per field with the explained verdicts of the level reached and the next."""
        day = as_of or dt.date.today()
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
        for compiled in reversed(levels):
            status = self._fast(subject, compiled)
            if provisional is None and status is not Status.NOT_MET:
                provisional = compiled
            if status.met:
                confirmed = compiled
                break
        following = [c for c in levels if c.number > (confirmed.number if confirmed else 0)]
        category = self.catalogue.field_category[field_id]
        return FieldResult(
            field_id,
            category,
            confirmed.number if confirmed else 0,
            provisional.number if provisional else 0,
            self.explain_level(subject, confirmed) if confirmed else None,
            self.explain_level(subject, following[0]) if following else None,
            skill_profile(self.catalogue, subject, field_id),
        )

    def _fast(self, subject: Subject, compiled: CompiledLevel) -> Status:
        """The level's status without building explanations: met, pending attestation, or not."""
        pending = False
        for criterion in compiled.criteria:
            if criterion.informational:
                continue
            status = self._status(subject, criterion, self._test(subject, compiled, criterion))
            if status is Status.NOT_MET:
                return Status.NOT_MET
            pending = pending or status is Status.NEEDS_ATTESTATION
        return Status.NEEDS_ATTESTATION if pending else Status.MET_BY_EVIDENCE

    @staticmethod
    def _test(subject: Subject, compiled: CompiledLevel, criterion: CompiledCriterion) -> bool:
        if criterion.scope == "engagement":
            return any(criterion.rule.test(e) for e in subject.pool(compiled.level.fields))
        return bool(criterion.rule.test(subject))

    @staticmethod
    def _status(subject: Subject, criterion: CompiledCriterion, met: bool) -> Status:
        attested = criterion.id in subject.attested
        if criterion.criterion.rule is None or criterion.criterion.rule.get("kind") == "attested":
            return Status.MET_BY_ATTESTATION if attested else Status.NEEDS_ATTESTATION
        if not met:
            return Status.NOT_MET
        if criterion.attestation:
            return Status.MET_BY_ATTESTATION if attested else Status.NEEDS_ATTESTATION
        return Status.MET_BY_EVIDENCE

    def explain_level(self, subject: Subject, compiled: CompiledLevel) -> LevelVerdict:
        verdicts = tuple(self.explain(subject, compiled, c) for c in compiled.criteria)
        return LevelVerdict(compiled.number, compiled.level.id, compiled.common, verdicts)

    def explain(
        self, subject: Subject, compiled: CompiledLevel, criterion: CompiledCriterion
    ) -> Verdict:
        outcome = self._outcome(subject, compiled, criterion)
        status = self._status(subject, criterion, outcome.met)
        attestation = subject.attested.get(criterion.id)
        missing = outcome.missing
        if status is Status.NEEDS_ATTESTATION:
            missing = Message("attestation.missing", {"criterion": criterion.criterion.text})
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
        if criterion.scope != "engagement":
            return criterion.rule.explain(subject)  # type: ignore[no-any-return]
        pool = subject.pool(compiled.level.fields)
        outcomes = [criterion.rule.explain(subject, e) for e in pool]
        met = [o for o in outcomes if o.met]
        if met:
            ids = tuple(i for o in met for i in o.engagements)
            return Outcome(
                True,
                Message("engagements.met", {"first": met[0].reason, "engagements": list(ids)}),
                engagements=ids,
            )
        if not pool:
            names = [self.catalogue.fields[f].name for f in compiled.level.fields]
            return Outcome(
                False,
                Message("engagements.none", {"fields": names}),
                Message("engagements.none_missing", {"fields": names}),
            )
        latest = max(zip(pool, outcomes, strict=True), key=lambda pair: pair[0].end)[1]
        return Outcome(False, latest.reason, latest.missing)


def assess(
    catalogue: Catalogue,
    evidence: Evidence,
    policy: Policy = DEFAULT_POLICY,
    as_of: dt.date | None = None,
    *,
    all_fields: bool = False,
) -> Assessment:
    """Assess one person: a pure function of catalogue, policy, evidence and date."""
    return Evaluator(catalogue, policy).assess(evidence, as_of, all_fields=all_fields)


def assess_many(
    evaluator: Evaluator, people: Iterable[Evidence], as_of: dt.date
) -> Iterable[Assessment]:
    for evidence in people:
        yield evaluator.assess(evidence, as_of)
