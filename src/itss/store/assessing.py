"""Assessment runs: evaluate everyone's current evidence and keep immutable snapshots.

One `Evaluator` serves the whole run (compiling the framework is the expensive part). The
evaluation itself is pure, so with `jobs > 1` it runs in worker processes while this process
reads the next people and writes the previous snapshots; all writes are in the caller's one
transaction, so a run that is interrupted leaves no trace.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from itss.catalogue.catalogue import Catalogue
from itss.engine.evaluate import Evaluator
from itss.engine.evidence import Evidence
from itss.engine.policy import Policy
from itss.io.snapshot import encode
from itss.store import codec
from itss.store.bulk import bulk_insert
from itss.store.change import Change
from itss.store.models import AssessmentLevel, AssessmentRow, AssessmentRun
from itss.store.people import EvidenceDocument, documents

Levels = tuple[tuple[str, str, int, int], ...]  # field, category, level, provisional level
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Snapshot:
    """What is kept of one person's assessment: levels per field and every verdict."""

    levels: Levels
    snapshot: bytes  # compressed with `codec.CURRENT`


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    as_of: dt.date
    framework_version: str
    policy: str
    people: int


def snapshot(evaluator: Evaluator, evidence: Mapping[str, Any], as_of: dt.date) -> Snapshot:
    """Validate and assess one person, encode the verdicts: pure, so any process can."""
    result = evaluator.assess(Evidence.model_validate(evidence), as_of)
    levels = tuple((f.field, f.category, f.level, f.provisional_level) for f in result.fields)
    return Snapshot(levels, codec.compress(encode(result)))


_worker: Evaluator | None = None  # the evaluator of this worker process


def _start_worker(catalogue: Catalogue, policy: Policy) -> None:
    """Compile the framework once per worker (an Evaluator itself does not pickle)."""
    global _worker  # noqa: PLW0603 - one evaluator per worker process
    _worker = Evaluator(catalogue, policy)
    gc.freeze()


def _work(documents: list[dict[str, Any]], as_of: dt.date) -> list[Snapshot]:
    assert _worker is not None, "worker started without an evaluator"
    return [snapshot(_worker, document, as_of) for document in documents]


Chunk = list[EvidenceDocument]


class _Evaluations:
    """Snapshots for chunks of people, in order, evaluated here or in worker processes."""

    def __init__(self, evaluator: Evaluator, as_of: dt.date, jobs: int) -> None:
        self.evaluator, self.as_of, self.jobs = evaluator, as_of, jobs
        self.pool: Executor | None = None
        if jobs > 1:
            self.pool = ProcessPoolExecutor(
                jobs, initializer=_start_worker, initargs=(evaluator.catalogue, evaluator.policy)
            )

    def map(self, chunks: Iterable[Chunk]) -> Iterator[tuple[Chunk, list[Snapshot]]]:
        if self.pool is None:
            for chunk in chunks:
                yield chunk, [snapshot(self.evaluator, d.document, self.as_of) for d in chunk]
            return
        yield from self._pipelined(self.pool, chunks)

    def _pipelined(
        self, pool: Executor, chunks: Iterable[Chunk]
    ) -> Iterator[tuple[Chunk, list[Snapshot]]]:
        """Keep the next chunk in the workers while this process writes the previous one."""
        pending: deque[tuple[Chunk, list[Future[list[Snapshot]]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, self._submit(pool, chunk)))
            if len(pending) > 1:
                yield self._collected(*pending.popleft())
        while pending:
            yield self._collected(*pending.popleft())

    def _submit(self, pool: Executor, chunk: Chunk) -> list[Future[list[Snapshot]]]:
        """One task per worker: plain data goes out, snapshots (bytes) come back."""
        size = -(-len(chunk) // self.jobs)
        parts = [chunk[i : i + size] for i in range(0, len(chunk), size)]
        return [pool.submit(_work, [d.document for d in part], self.as_of) for part in parts]

    @staticmethod
    def _collected(
        chunk: Chunk, futures: list[Future[list[Snapshot]]]
    ) -> tuple[Chunk, list[Snapshot]]:
        return chunk, [s for future in futures for s in future.result()]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _start_run(session: Session, evaluator: Evaluator, as_of: dt.date, change: Change) -> int:
    run = AssessmentRun(
        started_at=change.at,
        started_by=change.by,
        as_of=as_of,
        framework_version=evaluator.catalogue.version,
        policy_name=evaluator.policy.name,
        policy_readings=dict(evaluator.policy.readings),
    )
    session.add(run)
    session.flush()
    return run.id


def _write(session: Session, run_id: int, people: Chunk, snapshots: list[Snapshot]) -> None:
    rows = [
        {
            "run_id": run_id,
            "person_id": p.person_id,
            "revision_id": p.revision_id,
            "snapshot": s.snapshot,
            "codec": codec.CURRENT,
        }
        for p, s in zip(people, snapshots, strict=True)
    ]
    bulk_insert(session, AssessmentRow, rows)
    ids = _assessment_ids(session, run_id, [p.person_id for p in people])
    levels: list[dict[str, Any]] = [
        {"assessment_id": i, "field": f, "category": c, "level": lv, "provisional_level": pv}
        for i, s in zip(ids, snapshots, strict=True)
        for f, c, lv, pv in s.levels
    ]
    if levels:
        bulk_insert(session, AssessmentLevel, levels)


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
    session: Session,
    evaluator: Evaluator,
    as_of: dt.date,
    change: Change,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    chunk: int = 1000,
) -> RunSummary:
    """Assess everyone's current evidence as on `as_of`, as one new run."""
    run_id = _start_run(session, evaluator, as_of, change)
    # The framework's objects live as long as the run: keep the collector from walking them
    # again at every full collection, here and in the workers forked from here.
    gc.freeze()
    evaluations = _Evaluations(evaluator, as_of, jobs)
    done = 0
    try:
        for people, snapshots in evaluations.map(documents(session, chunk=chunk)):
            _write(session, run_id, people, snapshots)
            done += len(people)
            if progress is not None:
                progress(len(people))
    finally:
        evaluations.close()
        gc.unfreeze()
    return RunSummary(run_id, as_of, evaluator.catalogue.version, evaluator.policy.name, done)
