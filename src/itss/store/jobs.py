"""Background jobs as rows: created queued, started, advanced, finished or failed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from itss.store.models import Job, JobFile


@dataclass(frozen=True)
class JobRecord:
    id: int
    kind: str
    params: dict[str, Any]
    state: str
    done: int
    total: int
    result: dict[str, Any] | None
    error: str | None
    created_by: str
    created_by_account: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def _record(job: Job) -> JobRecord:
    return JobRecord(
        job.id,
        job.kind,
        job.params,
        job.state,
        job.done,
        job.total,
        job.result,
        job.error,
        job.created_by,
        job.created_by_account,
        job.created_at,
        job.started_at,
        job.finished_at,
    )


def add(session: Session, job: Job, files: dict[str, bytes]) -> int:
    session.add(job)
    session.flush()
    session.add_all(JobFile(job_id=job.id, name=n, content=c) for n, c in files.items())
    return job.id


def find(session: Session, job_id: int) -> JobRecord | None:
    job = session.get(Job, job_id)
    return _record(job) if job else None


def listing(
    session: Session, account: int | None, offset: int, limit: int
) -> tuple[int, list[JobRecord]]:
    """Jobs newest first (of one account, or everyone's when `account` is None)."""
    query = select(Job)
    if account is not None:
        query = query.where(Job.created_by_account == account)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Job.id.desc()).offset(offset).limit(limit))
    return total, [_record(job) for job in rows]


def files(session: Session, job_id: int) -> dict[str, bytes]:
    query = select(JobFile.name, JobFile.content).where(JobFile.job_id == job_id)
    return {name: bytes(content) for name, content in session.execute(query.order_by(JobFile.id))}


def start(session: Session, job_id: int, at: dt.datetime) -> bool:
    """queued -> running; False if another worker took it first."""
    query = (
        update(Job)
        .where(Job.id == job_id, Job.state == "queued")
        .values(state="running", started_at=at)
    )
    return session.execute(query).rowcount == 1  # type: ignore[attr-defined, no-any-return]


def advance(session: Session, job_id: int, done: int, total: int) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(done=done, total=total))


def finish(
    session: Session,
    job_id: int,
    result: dict[str, Any],
    at: dt.datetime,
    progress: tuple[int, int] = (0, 0),
) -> None:
    done, total = progress
    values = {"state": "done", "result": result, "finished_at": at, "done": done, "total": total}
    session.execute(update(Job).where(Job.id == job_id).values(**values))


def fail(session: Session, job_id: int, error: str, at: dt.datetime) -> None:
    values = {"state": "failed", "error": error, "finished_at": at}
    session.execute(update(Job).where(Job.id == job_id).values(**values))


def finish_result(session: Session, job_id: int, result: dict[str, Any]) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(result=result))


def unfinished(session: Session) -> list[JobRecord]:
    query = select(Job).where(Job.state.in_(("queued", "running"))).order_by(Job.id)
    return [_record(job) for job in session.scalars(query)]
