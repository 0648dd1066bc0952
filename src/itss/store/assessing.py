"""Assessment runs: evaluate everyone's current evidence and keep immutable assessments.

A run keeps each person's levels and the evidence revision it read; with `explained`, every
explained verdict too (the snapshot). Without, the verdicts are made again when asked for,
from what the run names (framework, policy and engine version) and the row's revision.

The evaluation is pure, so with `jobs > 1` worker processes (each with its own compiled
`Evaluator`) read and assess ranges of people (and encode them, if explained), seeing exactly
what the run's transaction sees, while this process writes the previous ranges' rows. All
writes are in the run's one transaction, so a run that is interrupted leaves no trace.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from itss.catalogue.catalogue import Catalogue
from itss.engine.evaluate import ENGINE_VERSION, Evaluator
from itss.engine.evidence import Evidence
from itss.engine.policy import Policy
from itss.io.snapshot import encode
from itss.store import codec, standing
from itss.store.bulk import bulk_insert
from itss.store.change import Change
from itss.store.database import Store
from itss.store.models import (
    AssessmentLevel,
    AssessmentRow,
    AssessmentRun,
    Standing,
    StandingCount,
)
from itss.store.people import EvidenceDocument, IdRange, Units, documents, ranges
from itss.store.standing import Counts

_PR_SET_PDEATHSIG = 1  # prctl(2)
Levels = tuple[tuple[str, str, int, int], ...]  # field, category, level, provisional level
Progress = Callable[[int], None]
# What a run writes, whose statistics a large one refreshes (`Store.settle`).
RUN_TABLES = tuple(
    m.__tablename__ for m in (AssessmentRow, AssessmentLevel, Standing, StandingCount)
)


class Snapshot(NamedTuple):  # named tuples: they cross between processes cheaply
    """What is kept of one person's assessment: levels per field and every verdict."""

    levels: Levels
    snapshot: bytes | None  # compressed with `codec.CURRENT`; None: the levels alone


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    as_of: dt.date
    framework_version: str
    policy: str
    people: int


def snapshot(evaluator: Evaluator, evidence: str, as_of: dt.date, *, explained: bool) -> Snapshot:
    """Validate (from its JSON text) and assess one person, encode the verdicts if
    `explained`: pure, so any process can. Explanations are built only when encoded."""
    result = evaluator.assess(Evidence.model_validate_json(evidence), as_of)
    levels = tuple((f.field, f.category, f.level, f.provisional_level) for f in result.fields)
    return Snapshot(levels, codec.compress(encode(result)) if explained else None)


class Assessed(NamedTuple):
    """One person's snapshot, with the revision of the evidence it was made from."""

    person_id: int
    revision_id: int
    snapshot: Snapshot


def _assessed(
    evaluator: Evaluator, documents: list[EvidenceDocument], as_of: dt.date, explained: bool
) -> list[Assessed]:
    return [
        Assessed(
            d.person_id, d.revision_id, snapshot(evaluator, d.document, as_of, explained=explained)
        )
        for d in documents
    ]


@dataclass(frozen=True)
class _Source:
    """Where worker processes read the evidence: the run's database, as the run sees it."""

    url: str
    snapshot: str | None  # `Store.export_snapshot` of the run's transaction


# One evaluator and one store per worker process (neither pickles: each is built there).
_worker: tuple[Evaluator, Store, str | None] | None = None


def die_with_parent(parent: int) -> None:
    """End this worker when the run's process dies, even by SIGKILL (no cleanup can run):
    Linux's parent-death signal, and a check that the parent had not already gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _start_worker(catalogue: Catalogue, policy: Policy, source: _Source, parent: int) -> None:
    global _worker  # noqa: PLW0603 - one evaluator per worker process
    die_with_parent(parent)
    _worker = (Evaluator(catalogue, policy), Store(source.url), source.snapshot)
    gc.freeze()


def _work(span: IdRange, as_of: dt.date, units: Units, explained: bool) -> list[Assessed]:
    """Read, validate and assess the people of `span` (and encode them, if explained): only
    ids, levels and bytes travel."""
    assert _worker is not None, "worker started without an evaluator"
    evaluator, store, exported = _worker
    with store.reading(exported) as session:
        found = documents(session, span, units)
    return _assessed(evaluator, found, as_of, explained)


@dataclass(frozen=True)
class _Plan:
    evaluator: Evaluator
    as_of: dt.date
    jobs: int
    chunk: int  # people per range read and assessed at once
    units: Units = None  # only the people of these org units (None: everyone)
    explained: bool = False  # keep every explained verdict, not only the levels


Chunks = Generator[list[Assessed], None, None]


def _in_process(session: Session, plan: _Plan) -> Chunks:
    for span in ranges(session, plan.chunk):
        found = documents(session, span, plan.units)
        yield _assessed(plan.evaluator, found, plan.as_of, plan.explained)


def _in_workers(session: Session, store: Store, plan: _Plan) -> Chunks:
    """Workers read and assess ranges of people; this process writes them, in order, while
    the next ranges are being assessed."""
    url = store.url.render_as_string(hide_password=False)
    source = _Source(url, store.export_snapshot(session))
    initargs = (plan.evaluator.catalogue, plan.evaluator.policy, source, os.getpid())
    pool = ProcessPoolExecutor(plan.jobs, initializer=_start_worker, initargs=initargs)
    try:
        pending: deque[Future[list[Assessed]]] = deque()
        for span in ranges(session, plan.chunk):
            pending.append(pool.submit(_work, span, plan.as_of, plan.units, plan.explained))
            if len(pending) > 2 * plan.jobs:  # enough queued to keep every worker busy
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(cancel_futures=True)


def _start_run(session: Session, evaluator: Evaluator, as_of: dt.date, change: Change) -> int:
    run = AssessmentRun(
        started_at=change.at,
        started_by=change.by,
        as_of=as_of,
        framework_version=evaluator.catalogue.version,
        policy_name=evaluator.policy.name,
        policy_readings=dict(evaluator.policy.readings),
        engine_version=ENGINE_VERSION,
    )
    session.add(run)
    session.flush()
    standing.hold(session)
    return run.id


def _write(
    session: Session, run_id: int, as_of: dt.date, assessed: list[Assessed], counts: Counts
) -> None:
    rows = [
        {
            "run_id": run_id,
            "person_id": a.person_id,
            "revision_id": a.revision_id,
            "snapshot": a.snapshot.snapshot,
            "codec": None if a.snapshot.snapshot is None else codec.CURRENT,
        }
        for a in assessed
    ]
    bulk_insert(session, AssessmentRow, rows)
    ids = _assessment_ids(session, run_id, [a.person_id for a in assessed])
    levels: list[dict[str, Any]] = [
        {"assessment_id": i, "field": f, "category": c, "level": lv, "provisional_level": pv}
        for i, a in zip(ids, assessed, strict=True)
        for f, c, lv, pv in a.snapshot.levels
    ]
    if levels:
        bulk_insert(session, AssessmentLevel, levels)
    standing.advance(
        session, run_id, as_of, (assessed[0].person_id, assessed[-1].person_id), counts
    )


def _assessment_ids(session: Session, run_id: int, person_ids: list[int]) -> list[int]:
    """The ids of the snapshots just written for these people (ids in increasing order).

    Read back by key, as a range of person ids (a chunk is a range): RETURNING in row
    order would cost SQLite one INSERT per row, and a list of ids a bound value each.
    """
    query = select(AssessmentRow.person_id, AssessmentRow.id).where(
        AssessmentRow.run_id == run_id,
        AssessmentRow.person_id.between(person_ids[0], person_ids[-1]),
    )
    by_person = dict(session.execute(query).all())
    return [by_person[p] for p in person_ids]


def assess_all(
    store: Store,
    evaluator: Evaluator,
    as_of: dt.date,
    change: Change,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    chunk: int = 1000,
    units: Units = None,
    explained: bool = False,
) -> RunSummary:
    """Assess everyone's current evidence (or only the people of `units`) as on `as_of`, as
    one new run in one transaction: a run that is interrupted leaves nothing behind. With
    `explained`, every explained verdict is kept, not only the levels."""
    plan = _Plan(evaluator, as_of, jobs, chunk, units, explained)
    with store.transaction(bulk=True) as session:
        run_id = _start_run(session, evaluator, as_of, change)
        done = _assess_into(session, store, run_id, plan, progress)
    store.settle(done, RUN_TABLES)
    return RunSummary(run_id, as_of, evaluator.catalogue.version, evaluator.policy.name, done)


def _assess_into(
    session: Session, store: Store, run_id: int, plan: _Plan, progress: Progress | None
) -> int:
    # The framework's objects live as long as the run: keep the collector from walking them
    # again at every full collection, here and in the workers forked from here.
    gc.freeze()
    workers = plan.jobs > 1 and store.shareable
    chunks = _in_workers(session, store, plan) if workers else _in_process(session, plan)
    done, counts = 0, Counts()
    try:
        for assessed in chunks:
            if assessed:
                _write(session, run_id, plan.as_of, assessed, counts)
            done += len(assessed)
            if progress is not None:
                progress(len(assessed))
    finally:
        chunks.close()
        gc.unfreeze()
    standing.settle(session, counts)
    return done
