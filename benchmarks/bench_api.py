"""Load test of the REST API: locust's users against a real `itss serve` on 127.0.0.1.

For each backend: a new database with the demo organisation (`--people`), one member
account per simulated member (their own person) and the skills office, then `itss serve`
in its own process and `locust --headless` for `--seconds` with `--users` at once, who
sign in `--arrivals` a second and wait `--pace` seconds between requests (see locustfile.py
for what they do). Prints requests per second, p50/p95/p99 and failures for each kind of
read and write.

    python benchmarks/bench_api.py --people 300 --users 50 --seconds 60 --backends sqlite
    python benchmarks/bench_api.py --pace 0.05,0.2   # users as scripts: what the server serves
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx
from bench_store import add_postgres_option, databases, settle

from itss.services import accounts, people
from itss.services.accounts import AccountSpec
from itss.services.context import Actor, Context
from itss.settings import Settings

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password-2026"


def _itss(url: str, *args: str) -> None:
    command = [sys.executable, "-m", "itss.cli.main", *args, "--db", url]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def prepare(url: str, count: int, members: int) -> list[str]:
    """The demo organisation, the office's account and `members` members' accounts."""
    _itss(url, "demo", "--people", str(count), "--yes")
    settings = Settings(database_url=url)
    with Context(settings, Actor("bench")) as ctx:
        taken = {a.person for a in accounts.listing(ctx)}  # the demo's own member
        _, lines = people.directory(ctx, limit=members + len(taken))
        refs = [line.ref for line in lines if line.ref not in taken][:members]
        for ref in refs:
            accounts.add(ctx, AccountSpec(ref, ref, "member", PASSWORD, person=ref))
        accounts.reset(ctx, "office", PASSWORD)
    return refs


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str) -> None:
    for _ in range(600):
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return
    raise SystemExit(f"no server at {url}")


def load(url: str, refs: list[str], args: argparse.Namespace, folder: Path) -> list[list[str]]:
    """Serve `url`, run locust against it, return locust's stats rows."""
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    serve = [sys.executable, "-m", "itss.cli.main", "serve", "--port", str(port), "--db", url]
    env = os.environ | {
        "ITSS_BENCH_MEMBERS": ",".join(refs),
        "ITSS_BENCH_PASSWORD": PASSWORD,
        "ITSS_BENCH_PACE": args.pace,
    }
    with subprocess.Popen(serve, stdout=subprocess.DEVNULL) as server:
        try:
            _wait(host)
            locust = [
                *(sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py")),
                *("--headless", "--host", host, "-u", str(args.users), "-r", str(args.arrivals)),
                *("-t", f"{args.seconds}s", "--csv", str(folder / "stats"), "--only-summary"),
            ]
            subprocess.run(locust, env=env, check=False, stdout=subprocess.DEVNULL)
        finally:
            server.terminate()
            server.wait(timeout=60)
    with (folder / "stats_stats.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def report(backend: str, rows: list[list[str]]) -> None:
    header, *lines = rows
    at = {name: i for i, name in enumerate(header)}
    print(f"\n{backend}: requests/s, p50/p95/p99 ms, failures")
    for line in lines:
        name = line[at["Name"]]
        print(
            f"  {name:24} {float(line[at['Requests/s']]):8.1f}  "
            f"{line[at['50%']]:>5} {line[at['95%']]:>5} {line[at['99%']]:>5}  "
            f"{line[at['Failure Count']]} of {line[at['Request Count']]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--pace", default="1,3", help="seconds between a user's requests, low,high (1,3)"
    )
    parser.add_argument(
        "--arrivals", type=float, default=10, help="users who sign in each second (10)"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    add_postgres_option(parser)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="itss-api-bench-"))
    try:
        for backend in args.backends.split(","):
            with databases(backend, folder, args.postgres_url) as urls:
                url = next(urls)
                refs = prepare(url, args.people, min(args.users, args.people))
                settle(url)  # a server up for a minute: PostgreSQL's statistics are fresh
                report(backend, load(url, refs, args, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
