"""Long work as background jobs: an assessment of everyone, the check of an import, its
application. A request records the job and hands its id to a runner; a worker process
(`execute`) does the work as the person who asked, and keeps its progress and its result in
the job's row, where the API reads them.

The runner is the front end's choice: the server's own worker process on SQLite, the
procrastinate queue in PostgreSQL (`itss.services.queue`), which workers on any host share.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from itss.engine.policy import Policy
from itss.errors import ItssError, NotFoundError, Phrase
from itss.io.documents import check_policy
from itss.services import access, assessments, framework_files, impact, transfer
from itss.services.context import Actor, Context
from itss.settings import Settings
from itss.store import accounts, jobs, people
from itss.store.change import now
from itss.store.errors import ConflictError
from itss.store.jobs import JobRecord
from itss.store.models import Job

log = logging.getLogger("itss.jobs")
Advance = Callable[[int, int], None]  # (done, total)


class Runner(Protocol):
    """Something that will run `execute(job_id)` soon, in another process."""

    def submit(self, job_id: int) -> None: ...

    def progress(self, job_id: int) -> tuple[int, int] | None:
        """(done, total) of a running job, where the runner knows it better than the row."""


# -- asking for a job --------------------------------------------------------------------------


def start(
    ctx: Context,
    runner: Runner,
    kind: str,
    params: Mapping[str, Any],
    files: Mapping[str, bytes] | None = None,
) -> JobRecord:
    """Record a job and hand it to the runner (the skills office and admins)."""
    access.require_role(ctx, *access.EVERYONE)
    row = Job(
        kind=kind,
        params=dict(params),
        state="queued",
        done=0,
        total=0,
        created_by=ctx.actor.name,
        created_by_account=ctx.actor.account_id,
        created_at=now(),
    )
    job_id = ctx.ready.run(lambda s: jobs.add(s, row, dict(files or {})))
    runner.submit(job_id)
    return get(ctx, job_id)


def apply_import(ctx: Context, runner: Runner, check_id: int) -> JobRecord:
    """Start importing the files of a check that found no problem, all or nothing."""
    checked = get(ctx, check_id)
    if checked.kind != "import_check" or checked.state != "done" or not checked.result:
        raise ConflictError(key="job.not_checked", values={"id": check_id})
    if not checked.result.get("ok"):
        raise ConflictError(key="job.has_problems", values={"id": check_id})
    return start(ctx, runner, "import_apply", {"check": check_id})


def get(ctx: Context, job_id: int) -> JobRecord:
    """A job the actor asked for (an admin: anyone's)."""
    with ctx.ready.transaction() as session:
        found = jobs.find(session, job_id)
    mine = found is not None and (
        ctx.actor.role == "admin" or found.created_by_account == ctx.actor.account_id
    )
    if found is None or not mine:
        raise NotFoundError(key="job.unknown", values={"id": job_id})
    return found


def as_now(job: JobRecord, lang: str, runner: Runner | None = None) -> JobRecord:
    """The job as a person reads it now: the runner's fresher progress of a running job, and
    its failure in their language."""
    if job.state == "running" and runner is not None and (seen := runner.progress(job.id)):
        job = replace(job, done=seen[0], total=seen[1])
    found = job.result.get("error") if job.result else None
    if isinstance(found, dict) and found.get("key"):
        said = Phrase(str(found["key"]), **dict(found.get("values") or {}))
        job = replace(job, error=said.localized(lang))
    return job


def listing(ctx: Context, *, offset: int = 0, limit: int = 50) -> tuple[int, list[JobRecord]]:
    """The actor's jobs (an admin: everyone's), newest first."""
    access.require_role(ctx, *access.EVERYONE)
    account = None if ctx.actor.role == "admin" else ctx.actor.account_id
    with ctx.ready.transaction() as session:
        return jobs.listing(session, account, offset, limit)


def files_of(ctx: Context, job_id: int) -> dict[str, bytes]:
    get(ctx, job_id)
    with ctx.ready.transaction() as session:
        return jobs.files(session, job_id)


# -- doing a job -------------------------------------------------------------------------------


@dataclass
class _Progress:
    """Tells how far a job is, at most twice a second: into `shared` (a dict of the server's
    runner) where given, else into the job's row. On SQLite the work holds the one write lock
    while it reports, so a write of the row would wait for the work itself."""

    ctx: Context
    job_id: int
    shared: MutableMapping[int, tuple[int, int]] | None = None
    total: int = 0
    done: int = 0
    written: float = 0.0

    def __call__(self, more: int) -> None:
        self.done += more
        if time.monotonic() - self.written >= 0.5 or self.done >= self.total:
            self.written = time.monotonic()
            if self.shared is not None:
                self.shared[self.job_id] = (self.done, self.total)
            else:
                self.ctx.ready.run(lambda s: jobs.advance(s, self.job_id, self.done, self.total))


def _assess_all(ctx: Context, job: JobRecord, progress: _Progress) -> dict[str, Any]:
    day = dt.date.fromisoformat(job.params["as_of"])
    unit = job.params.get("unit")
    explained = bool(job.params.get("explained", False))  # jobs queued before it was asked
    progress.total = assessments.people_count(ctx, unit)
    done = assessments.assess_everyone(
        ctx, day, unit=unit, jobs=1, progress=progress, explained=explained
    )
    by_field = {
        f: {str(k): n for k, n in sorted(c.items())} for f, c in sorted(done.by_field.items())
    }
    run = done.run
    return {
        "run_id": run.run_id,
        "people": run.people,
        "by_field": by_field,
        "explained": explained,
    }


def _problems(found: transfer.ImportCheck) -> list[dict[str, Any]]:
    return [
        {
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "problem": {"ja": p.text("ja"), "en": p.text("en")},
        }
        for p in found.problems
    ]


def _read(ctx: Context, files: dict[str, bytes], folder: Path) -> transfer.ImportCheck:
    """The uploaded files, written under their own names (their suffix says their format)."""
    paths = []
    for name, content in files.items():
        path = folder / Path(name).name
        path.write_bytes(content)
        paths.append(path)
    return transfer.check_import(ctx, transfer.read_import(ctx, paths))


def _import_check(ctx: Context, job: JobRecord, _: _Progress) -> dict[str, Any]:
    with ctx.ready.transaction() as session:
        files = jobs.files(session, job.id)
    with (
        tempfile.TemporaryDirectory(prefix="itss-import-") as folder,
        _read(ctx, files, Path(folder)) as found,
    ):
        counts = found.batch.counts()
    rows = sum(counts.values())
    shown = {"units": counts["units"], "people": counts["people"]}
    return {
        "ok": found.ok,
        "problems": _problems(found),
        "problems_total": found.problems.total,
        "rows": rows,
        **shown,
    }


def _import_apply(ctx: Context, job: JobRecord, progress: _Progress) -> dict[str, Any]:
    checked = int(job.params["check"])
    with ctx.ready.transaction() as session:
        files = jobs.files(session, checked)
    with (
        tempfile.TemporaryDirectory(prefix="itss-import-") as folder,
        _read(ctx, files, Path(folder)) as found,
    ):
        progress.total = found.batch.people_count()
        summary = transfer.apply_import(ctx, found, progress=progress)
    return {
        "rows": summary.rows,
        "people": vars(summary.people),
        "units": vars(summary.units),
    }


def _impact(ctx: Context, job: JobRecord, progress: _Progress) -> dict[str, Any]:
    params = job.params
    files = params.get("files")
    target = ctx.framework if files is None else framework_files.framework_of(ctx, files)
    policy = Policy(name="impact", readings=params.get("readings", {}))
    check_policy(policy, target, "readings")
    with ctx.ready.transaction() as session:
        progress.total = people.count(session)  # every chunk counts, leavers and all
    day = dt.date.fromisoformat(params["as_of"])
    found = impact.impact(
        ctx, target, policy, unit=params.get("unit"), as_of=day, progress=progress
    )
    return impact.as_dict(found)


KINDS: dict[str, Callable[[Context, JobRecord, _Progress], dict[str, Any]]] = {
    "assess_all": _assess_all,
    "import_check": _import_check,
    "import_apply": _import_apply,
    "impact": _impact,
}


def execute(
    settings: Settings,
    url: str,
    job_id: int,
    shared: MutableMapping[int, tuple[int, int]] | None = None,
) -> None:
    """Do job `job_id`, as the person who asked for it, unless a worker has taken it."""
    with Context(settings, Actor("itss-worker", role="none"), database_url=url) as worker:
        job = _started(worker, job_id)
        if job is None:
            return
        ctx = worker.acting(_asker(worker, job))
        progress = _Progress(ctx, job_id, shared)
        try:
            result = KINDS[job.kind](ctx, job, progress)
        except ItssError as exc:
            _failed(worker, job_id, exc.localized("en"), {"key": exc.key, "values": exc.values})
        except Exception:
            log.exception("job %s failed", job_id)
            _failed(worker, job_id, "internal error (logged by the worker)", {})
        else:
            done = (progress.done, progress.total)
            worker.ready.run(lambda s: jobs.finish(s, job_id, result, now(), done))


def _started(ctx: Context, job_id: int) -> JobRecord | None:
    def take(session: Session) -> JobRecord | None:
        return jobs.find(session, job_id) if jobs.start(session, job_id, now()) else None

    return ctx.ready.run(take)


def _asker(ctx: Context, job: JobRecord) -> Actor:
    with ctx.ready.transaction() as session:
        account = (
            accounts.by_id(session, job.created_by_account) if job.created_by_account else None
        )
    if account is None:  # asked from the command line, which acts as an admin
        return Actor(job.created_by)
    return Actor(account.username, account.role, account.id, account.person, account.unit)


def _failed(ctx: Context, job_id: int, message: str, error: dict[str, Any]) -> None:
    result = {"error": {"key": error.get("key"), "values": _plain(error.get("values", {}))}}

    def write(session: Session) -> None:
        jobs.fail(session, job_id, message, now())
        jobs.finish_result(session, job_id, result)

    ctx.ready.run(write)


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values a JSON column keeps (a path or a date as its text)."""
    return {k: v if isinstance(v, str | int | float | bool) else str(v) for k, v in values.items()}


def interrupted(ctx: Context) -> list[int]:
    """Jobs left queued or running when a server stopped, for its runner to take up again:
    those that were running are failed (their work was rolled back), the queued returned."""
    with ctx.ready.transaction() as session:
        unfinished = jobs.unfinished(session)
    for job in unfinished:
        if job.state == "running":
            _failed(ctx, job.id, "interrupted: the server stopped while it ran", {})
    return [job.id for job in unfinished if job.state == "queued"]
