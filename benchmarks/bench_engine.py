"""Benchmark: assess a synthetic organisation with one Evaluator on one core.

    .venv/bin/python benchmarks/bench_engine.py                  # 100,000 people
    .venv/bin/python benchmarks/bench_engine.py --people 10000 --json
    .venv/bin/python benchmarks/bench_engine.py --people 10000 --profile 25

The organisation comes from `itss.demo.generate_people` with exactly five engagements per person,
spread over every field of every category. Generation is timed apart from the assessment.
The assessment pass is timed without tracemalloc (which slows Python down), best of
`--repeat` passes; a further pass under tracemalloc measures the peak memory the assessment
allocates (results streamed and dropped, or all held with `--keep`). ru_maxrss is the
peak resident size of the whole process (framework, people and both passes).
Target: at least 10,000 people per second.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import datetime as dt
import gc
import io
import json
import os
import platform
import pstats
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

import itss
from itss.demo import generate_people
from itss.engine.evidence import Evidence
from itss.engine.result import Assessment
from itss.io.snapshot import encode

TARGET = 10_000  # people per second
AS_OF = dt.date(2026, 4, 1)
ENGAGEMENTS = 5


def _pin_to_one_core() -> str:
    """Run on one CPU so the figure is per core, whatever the machine."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _assess_all(
    evaluator: itss.Evaluator,
    people: Sequence[Evidence],
    kept: list[Assessment] | None = None,
    *,
    explain: bool = False,
) -> collections.Counter[int]:
    """Assess everyone; count each person's best level, as a check on the work done.

    Results are dropped as they come (a batch that streams them to a store), or, with `kept`,
    all held in memory. With `explain`, every explanation is built and encoded as the
    snapshot the store keeps; without it, explanations are left to be built on first use.
    """
    best: collections.Counter[int] = collections.Counter()
    for person in people:
        assessment = evaluator.assess(person, AS_OF)
        if explain:
            encode(assessment)
        best[max((r.level for r in assessment.fields), default=0)] += 1
        if kept is not None:
            kept.append(assessment)
    return best


def _profile(evaluator: itss.Evaluator, people: Sequence[Evidence], top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    _assess_all(evaluator, people)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def run(
    count: int, seed: int, *, trace: bool, repeat: int = 1, keep: bool = False
) -> dict[str, Any]:
    pinned = _pin_to_one_core()
    catalogue = itss.load_framework()

    started = time.perf_counter()
    people = list(generate_people(catalogue, count, seed=seed, engagements_per_person=ENGAGEMENTS))
    generation = time.perf_counter() - started

    started = time.perf_counter()
    evaluator = itss.Evaluator(catalogue)
    compile_time = time.perf_counter() - started

    passes = []
    for _ in range(repeat):
        kept: list[Assessment] | None = [] if keep else None
        gc.collect()
        started = time.perf_counter()
        best = _assess_all(evaluator, people, kept)
        passes.append(time.perf_counter() - started)
        del kept
    elapsed = min(passes)
    gc.collect()
    started = time.perf_counter()
    _assess_all(evaluator, people, explain=True)
    explained = time.perf_counter() - started

    traced_peak = None
    if trace:
        gc.collect()
        tracemalloc.start()
        _assess_all(evaluator, people, [] if keep else None)
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    # Linux reports ru_maxrss in KiB, macOS in bytes.
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    maxrss_bytes = maxrss if sys.platform == "darwin" else maxrss * 1024
    return {
        "people": count,
        "engagements": sum(len(p.engagements) for p in people),
        "fields": len(catalogue.fields),
        "seed": seed,
        "generation_s": round(generation, 3),
        "compile_s": round(compile_time, 4),
        "assessment_s": round(elapsed, 3),
        "assessment_passes_s": [round(p, 3) for p in passes],
        "results_kept": keep,
        "people_per_s": round(count / elapsed, 1) if elapsed else None,
        "explained_s": round(explained, 3),
        "explained_people_per_s": round(count / explained, 1) if explained else None,
        "target_people_per_s": TARGET,
        "meets_target": elapsed > 0 and count / elapsed >= TARGET,
        "tracemalloc_peak_bytes": traced_peak,
        "ru_maxrss_bytes": maxrss_bytes,
        "best_level_distribution": {str(k): best[k] for k in sorted(best)},
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "cpu": _cpu_model(),
            "cpus": os.cpu_count(),
            "affinity": pinned,
            "platform": platform.platform(),
        },
    }


def _mib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**20:,.1f} MiB"


def report(figures: dict[str, Any]) -> str:
    machine = figures["machine"]
    verdict = "meets" if figures["meets_target"] else "BELOW"
    return "\n".join(
        [
            f"itss engine benchmark: {figures['people']:,} people x {ENGAGEMENTS} engagements "
            f"over {figures['fields']} fields (seed {figures['seed']})",
            f"  generation      {figures['generation_s']:.2f} s (not in the figure below)",
            f"  compile         {figures['compile_s'] * 1000:.1f} ms (one Evaluator)",
            f"  assessment      {figures['assessment_s']:.2f} s (best of "
            f"{len(figures['assessment_passes_s'])}: {figures['assessment_passes_s']})",
            f"  throughput      {figures['people_per_s']:,.0f} people/s on one core "
            f"({verdict} the target of {TARGET:,}/s)",
            f"  explained       {figures['explained_people_per_s']:,.0f} people/s with every "
            "explanation built and encoded as a stored snapshot",
            f"  tracemalloc     {_mib(figures['tracemalloc_peak_bytes'])} peak during assessment "
            f"({'all results kept' if figures['results_kept'] else 'results streamed'})",
            f"  ru_maxrss       {_mib(figures['ru_maxrss_bytes'])} for the whole process",
            f"  best levels     {figures['best_level_distribution']}",
            f"  machine         {machine['cpu']}, {machine['cpus']} CPUs ({machine['affinity']}), "
            f"{machine['implementation']} {machine['python']}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=100_000, help="how many (100,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--repeat", type=int, default=1, help="timed passes; the best counts (shared machines)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="hold every Assessment in memory instead of dropping"
    )
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the traced pass (peak memory)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        default=0,
        help="also profile the assessment with cProfile and print the top N functions",
    )
    args = parser.parse_args(argv)
    if args.people < 1 or args.repeat < 1:
        parser.error("--people and --repeat must be at least 1")
    figures = run(
        args.people, args.seed, trace=not args.no_tracemalloc, repeat=args.repeat, keep=args.keep
    )
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    if args.profile:
        catalogue = itss.load_framework()
        people = list(
            generate_people(
                catalogue, args.people, seed=args.seed, engagements_per_person=ENGAGEMENTS
            )
        )
        print(_profile(itss.Evaluator(catalogue), people, args.profile), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
