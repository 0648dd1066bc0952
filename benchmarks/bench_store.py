"""Benchmark: the organisation store end to end, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/bench_store.py                       # 20,000 people
    .venv/bin/python benchmarks/bench_store.py --people 2000 --backends sqlite --json

A synthetic organisation (`itss.demo.generate_people`, five engagements per person: 20,000
people and 100,000 engagements) is written once as CSV (people.csv, engagements.csv) and as
one .xlsx workbook. For each database the real commands run as separate processes, timed
from start to exit (interpreter start and framework loading included):

    itss import people.csv engagements.csv     into a new database
    itss assess --all                          everyone in it, straight after the import
    itss assess --all                          again, once the database has settled
    itss import organisation.xlsx              into another new database

"Settled": on PostgreSQL a bulk load is followed within a minute by autovacuum's VACUUM
ANALYZE of the new rows, which competes with whatever runs then for the same cores; the
benchmark runs it itself, untimed, before the second assessment. SQLite has no such upkeep.
The re-assessment target is judged on the second run; the first is reported beside it.

Rows per second count every data row of the files (people and engagements); people per
second count the people assessed. Peak memory is the largest resident set of the command
and of any worker process it waited for (wait4's ru_maxrss). "start-up" is what every
command pays before its work (interpreter, imports, loading the framework): the time of
`itss import --template`.

PostgreSQL: the server of --postgres-url (default: ITSS_BENCH_POSTGRES_URL, else
ITSS_TEST_POSTGRES_URL); a scratch database is created there and dropped afterwards.
Targets: import >= 20,000 rows/s from CSV, re-assessment >= 5,000 people/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import URL, create_engine, text

import itss
from itss.demo import generate_people
from itss.io.sheets import PEOPLE, SHEETS, export_row
from itss.io.tables import TableWriter
from itss.store.database import parse_url
from itss.store.models import Base

AS_OF = dt.date(2026, 4, 1)
TARGET_ROWS = 20_000
TARGET_PEOPLE = 5_000
ENGAGEMENTS = SHEETS["engagements"]
FIRST = "assess --all (first)"  # straight after the import, the server still busy with it
AGAIN = "assess --all (again)"  # re-assessment once the database has settled: the target


@dataclass
class Step:
    backend: str
    step: str
    items: int
    unit: str
    seconds: float
    peak_mib: float

    @property
    def rate(self) -> float:
        return self.items / self.seconds


def write_inputs(folder: Path, people: int, per_person: int) -> tuple[list[Path], Path, int]:
    """The organisation as CSV files and as a workbook; returns them and the row count."""
    catalogue = itss.load_framework()
    rows = 0
    csv_writer = TableWriter(folder / "organisation.csv", ["people", "engagements"])
    xlsx_writer = TableWriter(folder / "organisation.xlsx", ["people", "engagements"])
    with csv_writer, xlsx_writer:
        sinks = [
            (
                w.open("people", PEOPLE.columns),
                w.open("engagements", ENGAGEMENTS.columns),
                w.format == "csv",
            )
            for w in (csv_writer, xlsx_writer)
        ]
        for evidence in generate_people(
            catalogue, people, seed=0, engagements_per_person=per_person, as_of=AS_OF
        ):
            rows += 1 + len(evidence.engagements)
            for person_sink, engagement_sink, as_text in sinks:
                _write_person(person_sink, engagement_sink, evidence, as_text)
    return csv_writer.paths, xlsx_writer.paths[0], rows


def _write_person(
    person_sink: object, engagement_sink: object, evidence: itss.Evidence, as_text: bool
) -> None:
    person = evidence.person
    values = {"person_id": person.id, "name": person.name, "name_en": person.name_en}
    person_sink.append(export_row(PEOPLE, values, text=as_text))  # type: ignore[attr-defined]
    for engagement in evidence.engagements:
        row = {"person_id": person.id, **engagement.model_dump()}
        engagement_sink.append(export_row(ENGAGEMENTS, row, text=as_text))  # type: ignore[attr-defined]


def run(*args: str) -> tuple[float, float]:
    """Run `itss ARGS`, return (seconds, peak resident MiB); fail loudly if it fails."""
    command = [sys.executable, "-m", "itss.cli.main", *args]
    started = time.perf_counter()
    # Away from any itss.sqlite3 of the working tree, which a command would read.
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tempfile.gettempdir()
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    errors = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n{errors[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


@contextmanager
def sqlite_databases(folder: Path) -> Iterator[Iterator[str]]:
    def fresh() -> Iterator[str]:
        while True:
            yield f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.sqlite3'}"

    yield fresh()


@contextmanager
def postgres_databases(server: URL) -> Iterator[Iterator[str]]:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    created: list[str] = []

    def fresh() -> Iterator[str]:
        while True:
            name = f"itss_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            created.append(name)
            yield server.set(database=name).render_as_string(hide_password=False)

    try:
        yield fresh()
    finally:
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def databases(
    backend: str, folder: Path, postgres_url: str | None
) -> AbstractContextManager[Iterator[str]]:
    """New databases on one backend, as `sqlite_databases` or `postgres_databases` gives."""
    if backend == "sqlite":
        return sqlite_databases(folder)
    if not postgres_url:
        raise SystemExit("PostgreSQL: give --postgres-url (or ITSS_BENCH_POSTGRES_URL)")
    return postgres_databases(parse_url(postgres_url))


def add_postgres_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("ITSS_BENCH_POSTGRES_URL", os.environ.get("ITSS_TEST_POSTGRES_URL")),
    )


def settle(url: str) -> None:
    """PostgreSQL: do now the VACUUM ANALYZE that autovacuum starts within a minute of a bulk
    load (and that competes for the same cores); SQLite has no such upkeep."""
    engine = create_engine(parse_url(url), isolation_level="AUTOCOMMIT")
    try:
        if engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            with engine.connect() as connection:
                connection.execute(text(f"VACUUM (ANALYZE) {tables}"))
    finally:
        engine.dispose()


def bench(
    backend: str, urls: Iterator[str], inputs: tuple[list[Path], Path, int], people: int, jobs: int
) -> list[Step]:
    csv_files, workbook, rows = inputs
    # What every command pays before its work: interpreter, imports, the framework.
    seconds, peak = run("import", "--template", str(csv_files[0].with_name("template.csv")))
    steps = [Step(backend, "start-up", 1, "runs", seconds, peak)]
    url = next(urls)
    run("db", "init", "--db", url)
    seconds, peak = run("import", *[str(p) for p in csv_files], "--db", url, "--by", "bench")
    steps.append(Step(backend, "import CSV", rows, "rows", seconds, peak))
    assess = ("assess", "--all", "--as-of", str(AS_OF), "--jobs", str(jobs), "--db", url)
    seconds, peak = run(*assess)
    steps.append(Step(backend, FIRST, people, "people", seconds, peak))
    settle(url)
    seconds, peak = run(*assess)
    steps.append(Step(backend, AGAIN, people, "people", seconds, peak))
    url = next(urls)
    run("db", "init", "--db", url)
    seconds, peak = run("import", str(workbook), "--db", url, "--by", "bench")
    steps.append(Step(backend, "import .xlsx", rows, "rows", seconds, peak))
    return steps


def _target(step: Step) -> str:
    target = TARGET_ROWS if step.unit == "rows" else TARGET_PEOPLE
    if step.step not in ("import CSV", AGAIN):
        return ""
    return "meets target" if step.rate >= target else f"BELOW target {target:,}/s"


def report(steps: list[Step], machine: dict[str, object]) -> None:
    print(
        f"itss store benchmark — {machine['people']:,} people, {machine['rows']:,} rows "
        f"({machine['engagements']:,} engagements), {machine['cpus']} CPUs, "
        f"jobs {machine['jobs']}, load before {machine['load']}"
    )
    for s in steps:
        rate = f"{s.rate:9,.0f} {s.unit}/s" if s.unit != "runs" else " " * 16
        print(
            f"  {s.backend:<10} {s.step:<22} {s.seconds:7.1f} s  {rate}  "
            f"peak {s.peak_mib:6.0f} MiB  {_target(s)}"
        )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--engagements", type=int, default=5, help="per person")
    parser.add_argument("--backends", default="sqlite,postgresql")
    add_postgres_option(parser)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    backends = args.backends.split(",")
    if "postgresql" in backends and not args.postgres_url:
        raise SystemExit("PostgreSQL: give --postgres-url or set ITSS_BENCH_POSTGRES_URL")
    folder = Path(tempfile.mkdtemp(prefix="itss-bench-"))
    try:
        inputs = write_inputs(folder, args.people, args.engagements)
        machine = {
            "people": args.people,
            "engagements": args.people * args.engagements,
            "rows": inputs[2],
            "cpus": os.cpu_count(),
            "jobs": args.jobs,
            "python": platform.python_version(),
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        }
        steps = []
        for backend in backends:
            with databases(backend, folder, args.postgres_url) as urls:
                steps += bench(backend, urls, inputs, args.people, args.jobs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(
            json.dumps(
                {"machine": machine, "steps": [asdict(s) | {"rate": s.rate} for s in steps]},
                indent=1,
            )
        )
    else:
        report(steps, machine)


if __name__ == "__main__":
    main()
