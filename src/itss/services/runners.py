"""Where background jobs run: the server's own worker process on SQLite; procrastinate's
queue in the same PostgreSQL otherwise, whose workers (`itss worker`, and one started by
the server) may run on any host.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import MutableMapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sqlalchemy import make_url

from itss.errors import ItssError
from itss.services.jobs import execute
from itss.settings import Settings
from itss.store.assessing import die_with_parent

QUEUE = "itss"
TASK = "itss.run_job"
_SPAWN = multiprocessing.get_context("spawn")  # a server has threads: never fork it


class LocalRunner:
    """One worker process of the server's own: jobs run one after another, in order."""

    def __init__(self, settings: Settings, url: str) -> None:
        self.settings, self.url = settings, url
        self.pool = ProcessPoolExecutor(
            max_workers=1, mp_context=_SPAWN, initializer=die_with_parent, initargs=(os.getpid(),)
        )
        self.manager = _SPAWN.Manager()
        self.shared: MutableMapping[int, tuple[int, int]] = self.manager.dict()

    def submit(self, job_id: int) -> None:
        self.pool.submit(execute, self.settings, self.url, job_id, self.shared)

    def progress(self, job_id: int) -> tuple[int, int] | None:
        return self.shared.get(job_id)

    def close(self) -> None:
        # Waiting jobs stay queued in the database: the next start takes them up again.
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.manager.shutdown()


def _conninfo(url: str) -> str:
    """The libpq form of a SQLAlchemy URL, as procrastinate's psycopg connector takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def queue_app(settings: Settings, url: str) -> Any:
    """procrastinate's app on the database, with the one task that runs an itss job."""
    from procrastinate import App, PsycopgConnector  # noqa: PLC0415 - PostgreSQL only

    app = App(connector=PsycopgConnector(conninfo=_conninfo(url)))

    @app.task(name=TASK, queue=QUEUE)
    def run_job(job_id: int) -> None:
        execute(settings, url, job_id)

    return app


class QueueRunner:
    """Defers each job to procrastinate; a worker of the server's runs them, and any number
    of `itss worker` processes on other hosts may share the work."""

    def __init__(self, settings: Settings, url: str, *, worker: bool = True) -> None:
        self.app = queue_app(settings, url)
        self.app.open()
        self.worker = _SPAWN.Process(target=work, args=(settings, url, os.getpid()), daemon=True)
        if worker:
            self.worker.start()

    def submit(self, job_id: int) -> None:
        self.app.tasks[TASK].defer(job_id=job_id)

    def progress(self, job_id: int) -> tuple[int, int] | None:
        return None  # the worker writes it into the job's row

    def close(self) -> None:
        self.app.close()
        if self.worker.is_alive():
            self.worker.terminate()  # procrastinate's worker stops on SIGTERM, finishing its job
            self.worker.join(timeout=60)


def require_queue(url: str) -> None:
    """Refuse a database without a shared queue (SQLite) for `itss worker`."""
    if make_url(url).get_backend_name() != "postgresql":
        raise ItssError(key="worker.no_queue")


def work(settings: Settings, url: str, parent: int | None = None) -> None:
    """Run queued jobs until stopped (SIGINT or SIGTERM): `itss worker`, or the server's."""
    if parent is not None:
        die_with_parent(parent)
    queue_app(settings, url).run_worker(queues=[QUEUE])


def runner_for(settings: Settings, url: str) -> LocalRunner | QueueRunner:
    if make_url(url).get_backend_name() == "postgresql":
        return QueueRunner(settings, url)
    return LocalRunner(settings, url)
