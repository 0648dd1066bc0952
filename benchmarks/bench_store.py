"""Benchmark: the organisation store end to end, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/bench_store.py                       # 20,000 people
    .venv/bin/python benchmarks/bench_store.py --people 1300000      # the nation's IT workforce
    .venv/bin/python benchmarks/bench_store.py --people 2000 --backends sqlite --json

A synthetic organisation (`itss.demo.generate_people`, five engagements per person: 20,000
people and 100,000 engagements) is written once as CSV (people.csv, engagements.csv) and as
one .xlsx workbook (of as many of the first people as fit a worksheet's 1,048,576 rows:
209,715 people with five engagements each). For each database the real commands run as
separate processes, timed from start to exit (interpreter start and framework loading
included):

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
`itss import --template` (no database), and of `itss targets list` (an empty database).

PostgreSQL: the server of --postgres-url (default: ITSS_BENCH_POSTGRES_URL, else
ITSS_TEST_POSTGRES_URL); a scratch database is created there and dropped afterwards.
Targets (2-core machine): import >= 50,000 rows/s from CSV and >= 30,000 from .xlsx, in
under 500 MiB; re-assessment >= 21,700 people/s (1.3 million in a minute); start-up < 0.5 s.
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
from itss.io.limits import ROWS
from itss.io.sheets import PEOPLE, SHEETS, export_row
from itss.io.tables import TableWriter
from itss.store.database import parse_url
from itss.store.models import Base

AS_OF = dt.date(2026, 4, 1)
TARGETS = {"import CSV": 50_000, "import .xlsx": 30_000}  # rows/s; the re-assessment's below
TARGET_PEOPLE = 21_700
TARGET_MIB = 500
TARGET_START = 0.5
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


@dataclass(frozen=True)
class Inputs:
    csv_files: list[Path]
    rows: int  # of the CSV files
    workbook: Path
    workbook_people: int  # the first people only, when all would not fit a sheet
    workbook_rows: int


def write_inputs(folder: Path, people: int, per_person: int) -> Inputs:
    """The organisation as CSV files and as a workbook (of as many of its first people as
    fit a worksheet's 1,048,576 rows)."""
    catalogue = itss.load_framework()
    rows = 0
    in_workbook = min(people, (ROWS - 1) // max(1, per_person))
    csv_writer = TableWriter(folder / "organisation.csv", ["people", "engagements"])
    xlsx_writer = TableWriter(folder / "organisation.xlsx", ["people", "engagements"])
    with csv_writer, xlsx_writer:
        sinks = [
            (w.open("people", PEOPLE.columns), w.open("engagements", ENGAGEMENTS.columns))
            for w in (csv_writer, xlsx_writer)
        ]
        for number, evidence in enumerate(
            generate_people(
                catalogue, people, seed=0, engagements_per_person=per_person, as_of=AS_OF
            )
        ):
            rows += 1 + len(evidence.engagements)
            _write_person(*sinks[0], evidence, as_text=True)
            if number < in_workbook:
                _write_person(*sinks[1], evidence, as_text=False)
    workbook_rows = in_workbook * (1 + per_person)
    return Inputs(csv_writer.paths, rows, xlsx_writer.paths[0], in_workbook, workbook_rows)


def _write_person(
    person_sink: object, engagement_sink: object, evidence: itss.Evidence, *, as_text: bool
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


def bench(backend: str, urls: Iterator[str], inputs: Inputs, people: int, jobs: int) -> list[Step]:
    csv_files, rows = inputs.csv_files, inputs.rows
    # What a command pays before its work (interpreter, imports, the framework): without a
    # database (a template written), and with one (its targets listed).
    seconds, peak = run("import", "--template", str(csv_files[0].with_name("template.csv")))
    steps = [Step(backend, "start-up", 1, "runs", seconds, peak)]
    url = next(urls)
    run("db", "init", "--db", url)
    seconds, peak = run("targets", "list", "--db", url)
    steps.append(Step(backend, "start-up, database", 1, "runs", seconds, peak))
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
    seconds, peak = run("import", str(inputs.workbook), "--db", url, "--by", "bench")
    steps.append(Step(backend, "import .xlsx", inputs.workbook_rows, "rows", seconds, peak))
    return steps


def _target(step: Step) -> str:
    if step.unit == "runs":
        return "" if step.seconds < TARGET_START else f"BELOW target {TARGET_START} s"
    target = TARGETS.get(step.step, TARGET_PEOPLE if step.step == AGAIN else None)
    if target is None:
        return ""
    missed = [f"{target:,}/s"] if step.rate < target else []
    if step.step in TARGETS and step.peak_mib >= TARGET_MIB:
        missed.append(f"{TARGET_MIB} MiB")
    return f"BELOW target {', '.join(missed)}" if missed else "meets target"


def report(steps: list[Step], machine: dict[str, object]) -> None:
    print(
        f"itss store benchmark — {machine['people']:,} people, {machine['rows']:,} rows "
        f"({machine['engagements']:,} engagements; the workbook: the first "
        f"{machine['workbook_people']:,} people), {machine['cpus']} CPUs, "
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
            "rows": inputs.rows,
            "workbook_people": inputs.workbook_people,
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
