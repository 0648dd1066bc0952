"""Benchmark: the impact report of another reading on the demo organisation.

    .venv/bin/python benchmarks/bench_impact.py                  # 20,000 people, both backends
    .venv/bin/python benchmarks/bench_impact.py --people 2000 --backends sqlite

For each backend: a new database with the demo organisation (`itss demo --people N`), then
`itss framework impact adopted --policy P --json` as its own process, timed from start to
exit, with its peak memory: everyone's evidence read and assessed twice (the policy in use and
P, which reads 幾つか as one item or more), nothing written. Target (#9): well under a minute
at 20,000 people.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench_store import add_postgres_option, databases, run

POLICY = "format: itss-policy/1\nname: lenient\nreadings:\n  some-of-list: one-or-more\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    add_postgres_option(parser)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="itss-impact-bench-"))
    policy = folder / "lenient.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    try:
        for backend in args.backends.split(","):
            with databases(backend, folder, args.postgres_url) as urls:
                url = next(urls)
                run("demo", "--people", str(args.people), "--yes", "--db", url)
                command = ("framework", "impact", "adopted", "--policy", str(policy))
                seconds, peak = run(*command, "--as-of", "2026-04-01", "--json", "--db", url)
                rate = args.people / seconds
                shown = f"{seconds:.1f} s ({rate:,.0f} people/s), peak {peak:.0f} MiB"
                print(f"{backend}: {args.people:,} people in {shown}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
