"""Assessing: one evidence file, everyone in the database, and what was stored."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from itss.catalogue.catalogue import Catalogue
from itss.engine.evaluate import ENGINE_VERSION, Evaluator
from itss.engine.evidence import Evidence
from itss.engine.policy import Policy
from itss.engine.result import Assessment
from itss.io.report import AssessmentReport, report
from itss.io.snapshot import decode_assessment
from itss.services import access, framework_files
from itss.services.context import Context
from itss.store import assessing, org, people, views
from itss.store.assessing import RunSummary
from itss.store.errors import UnexplainableError, UnknownError

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RunReport:
    """A run of everyone: what it was, and how many people reached each level."""

    run: RunSummary
    by_unit: dict[str | None, dict[str, Counter[int]]]  # unit -> field -> level -> people

    @property
    def by_field(self) -> dict[str, Counter[int]]:
        total: dict[str, Counter[int]] = {}
        for fields in self.by_unit.values():
            for fld, counts in fields.items():
                total.setdefault(fld, Counter()).update(counts)
        return total


def _units(ctx: Context, unit: str | None) -> tuple[int, ...] | None:
    """The ids of an org unit and the units below it (None: the whole organisation)."""
    if unit is None:
        return None
    with ctx.ready.transaction() as session:
        return tuple(sorted(org.subtree(session, unit)))


def people_count(ctx: Context, unit: str | None = None) -> int:
    """How many people a run would assess (those who have not left, in `unit` and below)."""
    units = _units(ctx, unit)
    with ctx.ready.transaction() as session:
        return people.present_count(session, units)


def assess_everyone(
    ctx: Context,
    as_of: dt.date,
    *,
    unit: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    explained: bool = False,
) -> RunReport:
    """Everyone's current evidence (or that of one org unit and the units below it) assessed
    as one run (one transaction), with its summary. The run keeps the levels, and every
    explained verdict only if `explained`: the verdicts of the others are made again when
    asked for, exactly as they were made, as long as the engine's version is the same."""
    access.require_role(ctx, *access.EVERYONE)
    store = ctx.ready
    units = _units(ctx, unit)
    change = ctx.change("assess --all" if unit is None else f"assess --all --unit {unit}")
    run = assessing.assess_all(
        store,
        ctx.evaluator,
        as_of,
        change,
        jobs=jobs,
        progress=progress,
        units=units,
        explained=explained,
    )
    with store.transaction() as session:
        return RunReport(run, views.unit_distribution(session, run.run_id))


@dataclass(frozen=True)
class StoredAssessment:
    """A person's assessment as a run stored it: its run, the evidence revision it read,
    and every verdict as it was made (the engine's own `Assessment`)."""

    run_id: int
    assessed_at: dt.datetime
    assessed_by: str
    revision: int
    assessment: Assessment
    framework: Catalogue  # the framework it was made with (its texts explain it)


def stored(ctx: Context, ref: str, day: dt.date | None = None) -> StoredAssessment:
    """A person's latest stored assessment as on `day` (default: the latest of all), every
    verdict as it was made: decoded where the run kept them, made again where it kept the
    levels alone."""
    with ctx.ready.transaction() as session:
        access.require_visible(ctx, session, ref)
        found = views.stored(session, ref, day)
        if found is None:
            key = "assessment.none_on" if day else "assessment.none"
            raise UnknownError(key=key, values={"ref": ref, "day": day})
        evidence = None
        if found.snapshot is None:
            evidence = people.revision_evidence(session, found.made.revision_id)
    made = _framework_of(ctx, ref, found)
    if found.snapshot is not None:
        result = decode_assessment(found.snapshot, made)
    else:
        assert evidence is not None, "read with the row that kept no snapshot"
        result = _made_again(ctx, ref, found, made, evidence)
    return StoredAssessment(
        found.run_id, found.started_at, found.started_by, found.revision, result, made
    )


def _framework_of(ctx: Context, ref: str, found: views.StoredRow) -> Catalogue:
    made = framework_files.made_with(ctx, found.framework_version)
    if made is None:
        raise UnexplainableError(
            key="assessment.other_framework",
            values={
                "ref": ref,
                "run": found.run_id,
                "stored": found.framework_version,
                "loaded": ctx.framework.version,
            },
        )
    return made


def _made_again(
    ctx: Context, ref: str, found: views.StoredRow, framework: Catalogue, evidence: Evidence
) -> Assessment:
    """The verdicts of an assessment that kept its levels alone, made again from what made
    it: exact only under the same engine version, and checked against the kept levels."""
    values: dict[str, object] = {"ref": ref, "run": found.run_id}
    if found.made.engine_version != ENGINE_VERSION:
        values |= {"stored": found.made.engine_version, "running": ENGINE_VERSION}
        raise UnexplainableError(key="assessment.other_engine", values=values)
    policy = Policy(name=found.policy, readings=found.made.policy_readings)
    result = _evaluator(ctx, framework, policy).assess(evidence, found.as_of)
    again = {f.field: (f.level, f.provisional_level) for f in result.fields}
    for fld in sorted(set(again) | set(found.levels)):
        if again.get(fld) != found.levels.get(fld):
            values |= {"field": fld, "stored": found.levels.get(fld), "now": again.get(fld)}
            raise UnexplainableError(key="assessment.not_reproduced", values=values)
    return result


def _evaluator(ctx: Context, framework: Catalogue, policy: Policy) -> Evaluator:
    """The context's own evaluator where it is the one that is needed (compiling one takes
    about 10 ms)."""
    ours = ctx.policy
    if framework is ctx.framework and (policy.name, policy.readings) == (ours.name, ours.readings):
        return ctx.evaluator
    return Evaluator(framework, policy)


@dataclass(frozen=True)
class HistoryLine:
    run_id: int
    as_of: dt.date
    assessed_at: dt.datetime
    framework_version: str
    policy: str
    revision: int
    levels: dict[str, tuple[int, int]]  # field -> (level, provisional level)


def history(ctx: Context, ref: str) -> list[HistoryLine]:
    """Every stored assessment of a person, oldest first."""
    with ctx.ready.transaction() as session:
        access.require_visible(ctx, session, ref)
        if not people.load(session, [ref]):
            raise UnknownError(key="person.unknown", values={"ref": ref})
        rows = views.history(session, ref)
    return [
        HistoryLine(
            r.run_id, r.as_of, r.started_at, r.framework_version, r.policy, r.revision, r.levels
        )
        for r in rows
    ]


def person_report(ctx: Context, ref: str, as_of: dt.date) -> AssessmentReport:
    """A person's current evidence assessed as on `as_of`, explained in both languages;
    nothing is stored. The same evidence revision on the same day always gives the same
    report, so the context keeps the latest ones: a person's page is read far more often
    than their evidence changes."""
    with ctx.ready.transaction() as session:
        access.require_visible(ctx, session, ref)
        current = people.current_revision(session, ref)
        if current is None:
            raise UnknownError(key="person.unknown", values={"ref": ref})
        kept = ctx.reports.get((current[0], as_of))
        if kept is not None:
            return kept
        found = people.load(session, [ref])[ref]  # may be newer than `current` (PostgreSQL)
    made = report(ctx.framework, ctx.evaluator.assess(found.record.evidence, as_of))
    ctx.reports.put((found.revision_id, as_of), made)
    return made


def assess_person(
    ctx: Context, ref: str, as_of: dt.date, *, evidence: Evidence | None = None
) -> Assessment:
    """A person's current evidence (or `evidence` instead, to see what it would give before
    anything is saved) assessed as on `as_of`; nothing is stored."""
    with ctx.ready.transaction() as session:
        access.require_visible(ctx, session, ref)
        found = people.load(session, [ref]).get(ref)
    if found is None:
        raise UnknownError(key="person.unknown", values={"ref": ref})
    chosen = evidence if evidence is not None else found.record.evidence
    return ctx.evaluator.assess(chosen, as_of)
