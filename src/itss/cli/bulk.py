"""What the bulk commands share (import, assess --all, demo): worker count, progress."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

err = Console(stderr=True)

JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs", "-j", min=1, help="worker processes for assessment (default: CPU count)"
    ),
]
DEFAULT_JOBS = max(1, min(8, os.cpu_count() or 1))


@contextmanager
def progress(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; plain lines otherwise (logs of scheduled jobs)."""
    if not err.is_terminal:
        done = [0]

        def line(advance: int) -> None:
            done[0] += advance
            print(f"{description}: {done[0]}/{total}", file=sys.stderr, flush=True)

        yield line
        return
    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(description, total=total)
        yield lambda advance: bar.advance(task, advance)
