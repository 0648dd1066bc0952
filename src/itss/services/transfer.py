"""Files in and out: import (check first, then apply), exports, the import template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from itss.io.batch import ImportBatch, ProblemList, scratch_room
from itss.io.exporter import SkillLine, skillmap_table, write_evidence, write_skillmap
from itss.io.importer import read_import as read_import_files
from itss.io.tables import csv_lines
from itss.services import access, audit, reviews
from itss.services.context import Context
from itss.store import imports, org, people, views
from itss.store.bulk import collector_paused
from itss.store.imports import ImportSummary


@dataclass(frozen=True)
class ImportCheck:
    """What an import would do: the rows read, and every problem found (none: it applies)."""

    batch: ImportBatch
    problems: ProblemList  # the first `ProblemList.LISTED`, sorted; `total` counts them all
    files: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems.total

    def __enter__(self) -> ImportCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        self.batch.close()  # its temporary file


def read_import(ctx: Context, files: Sequence[Path]) -> ImportCheck:
    """Read the files and check each row against the framework; the database is not read.
    Use it in a `with` block: the rows are held in a temporary file until it ends."""
    access.require_role(ctx, *access.EVERYONE)
    with scratch_room():
        batch, problems = read_import_files(files, ctx.framework)
    return ImportCheck(batch, problems, tuple(f.name for f in files))


def check_import(ctx: Context, read: ImportCheck) -> ImportCheck:
    """The file's problems and those the database finds (unknown people, units, cycles);
    nothing is written."""
    with scratch_room(), ctx.ready.transaction() as session:
        found = imports.check(session, read.batch)
    problems = ProblemList.joined(read.problems, found)
    problems.sort()
    return ImportCheck(read.batch, problems, read.files)


def apply_import(
    ctx: Context, read: ImportCheck, *, progress: Callable[[int], None] | None = None
) -> ImportSummary:
    """Import what was read, all or nothing: `ImportRejectedError` lists every problem."""
    access.require_role(ctx, *access.EVERYONE)
    change = ctx.change(f"import: {', '.join(read.files)}")

    def write(session: Session) -> ImportSummary:
        summary = imports.apply(
            session, read.batch, change, problems=read.problems, progress=progress
        )
        reviews.invalidate_stale(ctx, session)
        # One event for the whole import: the revisions it appended say what changed.
        after = {"files": list(read.files), **asdict(summary)}
        audit.record(session, ctx, "import:apply", "import", ", ".join(read.files), after=after)
        return summary

    with scratch_room():
        summary = ctx.ready.run(write)
    ctx.ready.settle(summary.people.created + summary.people.revised, imports.TABLES)
    return summary


def export_skillmap(
    ctx: Context,
    path: Path,
    *,
    day: dt.date | None = None,
    unit: str | None = None,
    lang: str = "ja",
    provisional: bool = False,
) -> list[Path]:
    """People x fields with the level in each cell (and the provisional level, if asked)."""
    # Everyone's line is held at once, with the collector paused: walking the lines as they
    # piled up was 30% of the time of exporting 50,000 people's map.
    with collector_paused():
        lines, extra = _skill_lines(ctx, day, unit)
        return write_skillmap(path, lines, ctx.framework, extra, lang=lang, provisional=provisional)


def _skill_lines(
    ctx: Context, day: dt.date | None, unit: str | None
) -> tuple[list[SkillLine], list[str]]:
    """The skill map's lines, and the fields they hold that the framework no longer has."""
    access.require_role(ctx, *access.EVERYONE)
    with ctx.ready.transaction() as session:
        rows = views.skill_map(session, day=day, unit=unit)
    lines: list[SkillLine] = [(r.ref, r.name, r.org_unit, r.levels) for r in rows]
    extra = sorted({f for r in rows for f in r.levels} - set(ctx.framework.fields))
    return lines, extra


def skillmap_csv(
    ctx: Context,
    *,
    day: dt.date | None = None,
    unit: str | None = None,
    lang: str = "ja",
    provisional: bool = False,
) -> Iterator[str]:
    """The skill map as CSV text, line by line (the same file as `export_skillmap`'s)."""
    lines, extra = _skill_lines(ctx, day, unit)
    header, cells = skillmap_table(lines, ctx.framework, extra, lang=lang, provisional=provisional)
    return csv_lines(header, cells)


def end_of(day: dt.date) -> dt.datetime:
    """The end of a day, UTC: "the evidence as on a day" counts everything recorded that day."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


def export_evidence(ctx: Context, path: Path, *, at: dt.datetime | None = None) -> list[Path]:
    """Org units, people and every item of their evidence, in the import file's form."""
    access.require_role(ctx, *access.EVERYONE)
    with ctx.ready.transaction() as session:
        units = [vars(u) for u in org.tree(session, at=at).values()]
        everyone = ((r.evidence, r.org_unit) for r in people.records(session, at=at))
        return write_evidence(path, units, everyone)
