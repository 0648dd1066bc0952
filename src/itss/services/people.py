"""A person's evidence: record it, correct it, and record that the person left.

Nothing is overwritten: each change appends a revision, so the evidence as it stood on any
day stays readable, and a stored assessment always names the revision it read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from itss.engine.evidence import Evidence
from itss.io.documents import read_evidence
from itss.services.context import Context
from itss.store import people
from itss.store.errors import StoreError
from itss.store.people import PersonRecord, StoredPerson


def current(ctx: Context, ref: str) -> StoredPerson:
    """A person as now recorded (evidence, unit, revision), or an error naming them."""
    with ctx.ready.transaction() as session:
        found = people.load(session, [ref]).get(ref)
    if found is None:
        raise StoreError(key="person.unknown", values={"ref": ref})
    return found


def record(
    ctx: Context, evidence: Evidence, org_unit: str | None = None, *, expected: int | None = None
) -> int:
    """Record a person's whole evidence; returns the revision that now holds it.

    `expected` is the revision the caller last read: if someone changed the person since,
    nothing is written and a `ConflictError` says so."""
    change = ctx.change("record")
    stored = PersonRecord(evidence, org_unit)
    return ctx.ready.run(lambda s: people.record(s, stored, change, expected=expected))


def record_file(
    ctx: Context, path: Path | str, org_unit: str | None = None, *, expected: int | None = None
) -> int:
    """Record a person's evidence file (checked against the framework first)."""
    return record(ctx, read_evidence(Path(path), ctx.framework), org_unit, expected=expected)


def correct(ctx: Context, ref: str, edit: Callable[[PersonRecord], PersonRecord]) -> int:
    """Apply `edit` to the person's current record; run again if another writer won."""
    change = ctx.change("correct")
    return ctx.ready.run(lambda s: people.amend(s, ref, edit, change))


def leave(ctx: Context, ref: str, day: dt.date) -> int:
    """Record that the person left on `day`: later runs skip them, the views leave them out
    from that day on; their evidence and past assessments stay."""
    change = ctx.change("left")
    return ctx.ready.run(lambda s: people.amend(s, ref, lambda r: replace(r, left_on=day), change))


def rejoin(ctx: Context, ref: str) -> int:
    """Undo a leave: the person is assessed and shown again."""
    change = ctx.change("rejoined")
    return ctx.ready.run(lambda s: people.amend(s, ref, lambda r: replace(r, left_on=None), change))
