"""A person's evidence: list people, record evidence, correct it, record that a person left.

Nothing is overwritten: each change appends a revision, so the evidence as it stood on any
day stays readable, and a stored assessment always names the revision it read. Every change
is checked against what the actor may do (`access`) and written to the audit trail in the
same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from itss.engine.evidence import Evidence, check_against
from itss.io.documents import read_evidence
from itss.services import access, audit, reviews
from itss.services.context import Context
from itss.store import people
from itss.store.errors import ConflictError, UnknownError
from itss.store.people import PersonLine, PersonRecord, StoredPerson


def directory(
    ctx: Context, *, text: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[int, list[PersonLine]]:
    """(how many, one page) of the people the actor may see, by id."""
    with ctx.ready.transaction() as session:
        return people.directory(
            session, access.scope(ctx, session), text=text, offset=offset, limit=limit
        )


def current(ctx: Context, ref: str) -> StoredPerson:
    """A person as now recorded (evidence, unit, revision), or an error naming them."""
    with ctx.ready.transaction() as session:
        access.require_visible(ctx, session, ref)
        found = people.load(session, [ref]).get(ref)
    if found is None:
        raise UnknownError(key="person.unknown", values={"ref": ref})
    return found


def _shown(record: PersonRecord | None) -> dict[str, Any] | None:
    """A person's state as the audit trail keeps it."""
    if record is None:
        return None
    evidence = record.evidence.model_dump(mode="json", exclude_defaults=True)
    return {"evidence": evidence, "org_unit": record.org_unit, "left_on": _day(record.left_on)}


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def record(
    ctx: Context, evidence: Evidence, org_unit: str | None = None, *, expected: int | None = None
) -> int:
    """Record a person's whole evidence; returns the revision that now holds it.

    `expected` is the revision the caller last read: if someone changed the person since,
    nothing is written and a `ConflictError` says so. A new person is added by the skills
    office or an admin; a member records only their own evidence, and stays in their unit."""
    change = ctx.change("record")
    ref = evidence.person.id
    check_against(evidence, ctx.framework, "evidence")

    def write(session: Session) -> int:
        before = people.load(session, [ref]).get(ref)
        # Who may add people is asked first: a refusal must not tell who exists.
        if before is None or expected == 0:
            access.require_role(ctx, *access.EVERYONE)
        if before is not None and expected == 0:
            raise ConflictError(key="person.exists", values={"ref": ref})
        if before is not None:
            access.require_editable(ctx, session, ref)
        unit = org_unit if ctx.actor.role in access.EVERYONE or before is None else None
        stored = PersonRecord(evidence, unit or (before.record.org_unit if before else None))
        kept = before.record if before else None
        if kept is not None:
            stored = replace(stored, left_on=kept.left_on)
        number = people.record(session, stored, change, expected=expected)
        reviews.invalidate_stale(ctx, session)
        if kept != stored:
            before_, after_ = _shown(kept), _shown(stored)
            audit.record(session, ctx, "person:record", "person", ref, before=before_, after=after_)
        return number

    return ctx.ready.run(write)


def record_file(
    ctx: Context, path: Path | str, org_unit: str | None = None, *, expected: int | None = None
) -> int:
    """Record a person's evidence file (checked against the framework first)."""
    return record(ctx, read_evidence(Path(path), ctx.framework), org_unit, expected=expected)


def correct(ctx: Context, ref: str, edit: Callable[[PersonRecord], PersonRecord]) -> int:
    """Apply `edit` to the person's current record; run again if another writer won."""
    return _amend(ctx, ref, "correct", "person:correct", edit, roles=None)


def _amend(
    ctx: Context,
    ref: str,
    source: str,
    action: str,
    edit: Callable[[PersonRecord], PersonRecord],
    *,
    roles: tuple[str, ...] | None,
) -> int:
    change = ctx.change(source)

    def write(session: Session) -> int:
        if roles is None:
            access.require_editable(ctx, session, ref)
        else:
            access.require_visible(ctx, session, ref)
            access.require_role(ctx, *roles)
        before = people.load(session, [ref]).get(ref)
        number = people.amend(session, ref, edit, change)
        reviews.invalidate_stale(ctx, session)
        after = people.load(session, [ref]).get(ref)
        if before is not None and after is not None and before.number != after.number:
            shown = {"before": _shown(before.record), "after": _shown(after.record)}
            audit.record(session, ctx, action, "person", ref, **shown)
        return number

    return ctx.ready.run(write)


def leave(ctx: Context, ref: str, day: dt.date) -> int:
    """Record that the person left on `day`: later runs skip them, the views leave them out
    from that day on; their evidence and past assessments stay."""

    def edit(record: PersonRecord) -> PersonRecord:
        return replace(record, left_on=day)

    return _amend(ctx, ref, "left", "person:leave", edit, roles=access.EVERYONE)


def rejoin(ctx: Context, ref: str) -> int:
    """Undo a leave: the person is assessed and shown again."""

    def edit(record: PersonRecord) -> PersonRecord:
        return replace(record, left_on=None)

    return _amend(ctx, ref, "rejoined", "person:rejoin", edit, roles=access.EVERYONE)
