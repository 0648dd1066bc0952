"""Benchmark: the organisation's reads at nation scale (1.3 million people by default).

    .venv/bin/python benchmarks/bench_reads.py                                  # 1,300,000
    .venv/bin/python benchmarks/bench_reads.py --people 100000 --backends sqlite

The database is filled fast by copying, not by assessing: the demo organisation (`itss
demo`, 300 people assessed in two runs a year apart, with staffing targets) is made first,
then every row of it (units, people, their evidence revisions and items, assessments, levels,
targets) is copied by the database itself, doubling until there are `--people` people. Each
copy is an organisation of its own: units `ops-3`, `ops-3-7`..., people `e0001-3`... Every
stored assessment is a real one (of the person it was copied from), so reading one is what
it would be. Then, through the services as the API calls them, signed in as the skills
office, each read is timed `--repeat` times (median and 95th percentile):

    skill map of one unit (first page)     services.organisation.skill_map_page
    level distribution of one unit         services.organisation.level_distribution
    one person's assessment                services.assessments.stored
    gaps against one unit's targets        services.organisation.gaps(unit=)
    gaps against every target, today       services.organisation.gaps
    gaps against every target, a past day  the same, as on the demo's day (2026-04-01)
    level distribution of everyone         services.organisation.level_distribution

Targets: each under 200 ms; the distribution of everyone under 1 s. (Every copy of the demo
has its four targets: at 1.3 million people the gaps against every target are 16,384 targets.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_store import add_postgres_option, databases, settle
from sqlalchemy import Table, create_engine, func, select, text
from sqlalchemy.engine import Connection

from itss.services import assessments, organisation
from itss.services.context import Actor, Context
from itss.settings import Settings
from itss.store.database import parse_url
from itss.store.models import Base

AS_OF = dt.date(2026, 4, 1)
# Copied in this order (a row's references are copied before it); a table's foreign keys
# to these tables are moved by the same offset as the rows they point to.
COPIED = (
    "org_units",
    "org_unit_revisions",
    "people",
    "person_revisions",
    "engagements",
    "expertise",
    "succession",
    "mentoring",
    "qualifications",
    "skill_claims",
    "attestations",
    "assessments",
    "assessment_levels",
    "standings",
    "standing_counts",
    "targets",
)
SUFFIXED = {"org_units": "code", "people": "ref"}  # unique names: "-<copy>" added


def seed_size(people: int) -> tuple[int, int]:
    """(people of the demo, doublings): the demo's size times 2**doublings is `people` or a
    little more, the demo between 200 and 400 people."""
    doublings = 0
    while -(-people // 2**doublings) > 400:
        doublings += 1
    return -(-people // 2**doublings), doublings


def seed(url: str, people: int) -> None:
    command = [sys.executable, "-m", "itss.cli.main", "demo", "--people", str(people)]
    subprocess.run([*command, "--yes", "--db", url], check=True, stdout=subprocess.DEVNULL)


def fill(url: str, doublings: int) -> None:
    """Copy every copied table's rows onto itself `doublings` times, in one transaction each."""
    engine = create_engine(parse_url(url))
    try:
        for copy in range(1, doublings + 1):
            started = time.perf_counter()
            with engine.begin() as connection:
                _copy(connection, copy)
                people = connection.scalar(text("SELECT COUNT(*) FROM people"))
            took = time.perf_counter() - started
            print(f"  copy {copy}: {people:,} people, {took:.1f} s", flush=True)
    finally:
        engine.dispose()


def _copy(connection: Connection, copy: int) -> None:
    offsets = {}  # the highest id of each table with one: a copy's ids are moved past it
    for name in COPIED:
        table = Base.metadata.tables[name]
        if "id" in table.c:
            offsets[name] = connection.scalar(select(func.max(table.c.id))) or 0
    for name in COPIED:
        table = Base.metadata.tables[name]
        columns = [_copied(table, column, offsets, copy) for column in table.c]
        names = [column.name for column in table.c]
        connection.execute(table.insert().from_select(names, select(*columns)))
    if connection.dialect.name == "postgresql":  # explicit ids: move the sequences on
        for name in offsets:
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), MAX(id)) FROM {name}")
            )


def _copied(table: Table, column: Any, offsets: dict[str, int], copy: int) -> Any:
    """What a column of a copied row holds: its id or reference moved, its name suffixed."""
    pointed = [
        fk.column.table.name for fk in column.foreign_keys if fk.column.table.name in offsets
    ]
    if column.name == "id" and table.name in offsets:
        return (column + offsets[table.name]).label(column.name)
    if pointed:
        return (column + offsets[pointed[0]]).label(column.name)
    if SUFFIXED.get(table.name) == column.name:
        return column.concat(f"-{copy}").label(column.name)
    return column


def timed(read: Callable[[int], object], repeat: int) -> tuple[float, float]:
    """(median, 95th percentile) in ms of `repeat` reads, after one to warm up."""
    read(0)
    seconds = []
    for index in range(1, repeat + 1):
        start = time.perf_counter()
        read(index)
        seconds.append(time.perf_counter() - start)
    seconds.sort()
    p95 = seconds[max(0, int(len(seconds) * 0.95) - 1)]
    return statistics.median(seconds) * 1000, p95 * 1000


def samples(ctx: Context) -> tuple[list[str], list[str]]:
    """Some units (copies of the demo's Operations Center) and some people, spread out."""
    with ctx.ready.transaction() as session:
        units = session.scalars(
            text("SELECT code FROM org_units WHERE code LIKE 'ops%' ORDER BY id DESC LIMIT 997")
        ).all()
        refs = session.scalars(text("SELECT ref FROM people ORDER BY id DESC LIMIT 997")).all()
    return list(units[::7]), list(refs[::7])


def reads(ctx: Context) -> dict[str, Callable[[int], object]]:
    units, refs = samples(ctx)
    return {
        "skill map of one unit, first 100": lambda i: organisation.skill_map_page(
            ctx, day=None, unit=units[i % len(units)], offset=0, limit=100
        ),
        "level distribution of one unit": lambda i: organisation.level_distribution(
            ctx, unit=units[i % len(units)]
        ),
        "one person's assessment": lambda i: assessments.stored(ctx, refs[i % len(refs)]),
        "gaps against one unit's targets": lambda i: organisation.gaps(
            ctx, AS_OF, unit=units[i % len(units)]
        ),
        "gaps against every target, today": lambda i: organisation.gaps(ctx, dt.date.today()),
        "gaps against every target, a past day": lambda i: organisation.gaps(ctx, AS_OF),
        "level distribution of everyone": lambda i: organisation.level_distribution(ctx),
    }


def measure(url: str, repeat: int) -> list[tuple[str, float, float]]:
    with Context(Settings(database_url=url), Actor("bench", role="office")) as ctx:
        return [(name, *timed(read, repeat)) for name, read in reads(ctx).items()]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_300_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    add_postgres_option(parser)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    demo, doublings = seed_size(args.people)
    folder = Path(tempfile.mkdtemp(prefix="itss-bench-"))
    try:
        for backend in args.backends.split(","):
            bench(backend, folder, args, demo, doublings)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench(backend: str, folder: Path, args: argparse.Namespace, demo: int, doublings: int) -> None:
    with databases(backend, folder, args.postgres_url) as urls:
        url = next(urls)
        started = time.perf_counter()
        seed(url, demo)
        fill(url, doublings)
        settle(url)
        took = time.perf_counter() - started
        print(f"{backend}: {demo * 2**doublings:,} people, filled in {took:.0f} s", flush=True)
        for name, median, p95 in measure(url, args.repeat):
            print(f"  {name:<38} median {median:8.1f} ms   p95 {p95:8.1f} ms", flush=True)


if __name__ == "__main__":
    main()
