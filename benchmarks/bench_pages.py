"""How long the server takes to render the main pages, with the demo organisation.

For each backend: a new database with the demo organisation (`--people`, 20,000 by default),
assessed; then the application in this process (no network: the time is the server's own)
renders each page `--repeat` times, signed in as the skills office, and prints the median
and the 95th percentile in milliseconds. A person's page is asked for a different person
each time, so no rendering is reused.

    python benchmarks/bench_pages.py --people 20000 --backends sqlite,postgresql
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_store import add_postgres_option, databases, settle
from fastapi.testclient import TestClient

from itss.api.app import create_app
from itss.services import accounts, people
from itss.services.context import Actor, Context
from itss.settings import Settings

PASSWORD = "bench-password-2026"


def prepare(url: str, count: int) -> list[str]:
    """The demo organisation, assessed; the office's password known; some people's refs."""
    command = [sys.executable, "-m", "itss.cli.main", "demo", "--people", str(count), "--yes"]
    subprocess.run([*command, "--db", url], check=True, stdout=subprocess.DEVNULL)
    settle(url)
    with Context(Settings(database_url=url), Actor("bench")) as ctx:
        accounts.reset(ctx, "office", PASSWORD)
        _, lines = people.directory(ctx, offset=count // 3, limit=200)
    return [line.ref for line in lines]


def timed(ask: Callable[[int], int], repeat: int) -> tuple[float, float]:
    """(median, 95th percentile) in ms of `repeat` answers, after one to warm up."""
    ask(0)
    seconds = []
    for index in range(1, repeat + 1):
        start = time.perf_counter()
        status = ask(index)
        seconds.append(time.perf_counter() - start)
        assert status == 200, status
    seconds.sort()
    return statistics.median(seconds) * 1000, seconds[int(len(seconds) * 0.95) - 1] * 1000


def pages(refs: list[str]) -> dict[str, Callable[[int], str]]:
    """Each page by name: its path for the i-th time it is asked for."""
    return {
        "skill map, first 100": lambda i: "/office/skill-map",
        "skill map, a later page": lambda i: f"/office/skill-map?offset={100 * (i % 50)}",
        "skill map, by a field's level": lambda i: (
            "/office/skill-map?sort=itsm.operations-management"
        ),
        "level distribution": lambda i: "/office/distribution",
        "a person's assessment": lambda i: f"/people/{refs[i % len(refs)]}",
        "a person's evidence": lambda i: f"/people/{refs[i % len(refs)]}/evidence",
    }


def measure(url: str, refs: list[str], repeat: int) -> list[tuple[str, float, float]]:
    settings = Settings(database_url=url)
    found = []
    with TestClient(create_app(settings), base_url="https://localhost") as client:
        signed = client.post("/login", data={"username": "office", "password": PASSWORD})
        assert signed.status_code in (200, 303), signed.text
        for name, path in pages(refs).items():

            def ask(index: int, path: Callable[[int], str] = path) -> int:
                return client.get(path(index)).status_code

            found.append((name, *timed(ask, repeat)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--backends", default="sqlite")
    add_postgres_option(parser)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="itss-pages-bench-"))
    try:
        for backend in args.backends.split(","):
            with databases(backend, folder, args.postgres_url) as urls:
                url = next(urls)
                refs = prepare(url, args.people)
                print(f"{backend}, {args.people} people: median / p95 ms")
                for name, median, p95 in measure(url, refs, args.repeat):
                    print(f"  {name:32} {median:7.1f} {p95:7.1f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
