"""People and their evidence. Each person's evidence has a revision, sent as the ETag; a
change must name the revision it was based on (If-Match), so that nobody overwrites a change
they have not seen."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response, status

from itss.api.deps import Ctx
from itss.api.etags import IfMatch, etag, expected
from itss.api.schemas import Limit, NewPerson, Page, PersonLineOut, PersonOut
from itss.catalogue.loader import describe_location
from itss.engine.evidence import Evidence
from itss.errors import EvidenceError, Phrase
from itss.services import people
from itss.store.people import StoredPerson

router = APIRouter(prefix="/api/people", tags=["people"])
Ref = Annotated[str, Path(min_length=1, max_length=200)]


def _person(found: StoredPerson) -> PersonOut:
    record = found.record
    return PersonOut(
        ref=record.ref,
        org_unit=record.org_unit,
        left_on=record.left_on,
        revision=found.number,
        recorded_at=found.recorded_at,
        recorded_by=found.recorded_by,
        evidence=record.evidence,
    )


@router.get("", operation_id="listPeople")
def list_people(
    ctx: Ctx,
    q: Annotated[str | None, Query(max_length=200, description="in the id or name")] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[Limit, Query()] = 50,
) -> Page[PersonLineOut]:
    """The people you may see: yourself, your units' people, or everyone."""
    total, lines = people.directory(ctx, text=q, offset=offset, limit=limit)
    items = [PersonLineOut(**vars(line)) for line in lines]
    return Page(total=total, offset=offset, limit=limit, items=items)


@router.post("", operation_id="createPerson", status_code=status.HTTP_201_CREATED)
def create_person(body: NewPerson, ctx: Ctx, response: Response) -> PersonOut:
    """A new person with their evidence (the skills office and admins)."""
    ref = body.evidence.person.id
    people.record(ctx, body.evidence, body.org_unit, expected=0)
    found = people.current(ctx, ref)
    response.headers["ETag"] = etag(found.number)
    response.headers["Location"] = f"/api/people/{quote(ref, safe='')}"
    return _person(found)


@router.get("/{ref}", operation_id="getPerson")
def get_person(ref: Ref, ctx: Ctx, response: Response) -> PersonOut:
    found = people.current(ctx, ref)
    response.headers["ETag"] = etag(found.number)
    return _person(found)


@router.put("/{ref}/evidence", operation_id="replaceEvidence")
def replace_evidence(
    ref: Ref, body: Evidence, ctx: Ctx, response: Response, if_match: IfMatch = None
) -> PersonOut:
    """Replace the person's whole evidence (the person themselves, the skills office and
    admins). The evidence's person id must be the person's."""
    if body.person.id != ref:
        problem = Phrase("person.id_mismatch", ref=ref)
        where = describe_location({}, ("person", "id"))
        raise EvidenceError.many("evidence", [(where, problem)])
    people.record(ctx, body, expected=expected(if_match))
    found = people.current(ctx, ref)
    response.headers["ETag"] = etag(found.number)
    return _person(found)


@router.delete("/{ref}", operation_id="removePerson", status_code=status.HTTP_204_NO_CONTENT)
def remove_person(
    ref: Ref,
    ctx: Ctx,
    left_on: Annotated[dt.date | None, Query(description="default: today")] = None,
) -> None:
    """Record that the person left (their evidence and assessments stay, as history)."""
    people.leave(ctx, ref, left_on or dt.date.today())
