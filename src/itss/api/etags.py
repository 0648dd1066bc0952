"""Optimistic concurrency: a resource's revision is its ETag, and a change names the revision
it was based on (If-Match), so that nobody overwrites a change they have not seen."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, HTTPException, status

IfMatch = Annotated[
    str | None,
    Header(description='the ETag of the resource as last read, e.g. "3" (required)'),
]


def etag(revision: int) -> str:
    return f'"{revision}"'


def expected(if_match: str | None) -> int:
    """The revision an If-Match header names; a change without one is refused (428)."""
    if if_match is None:
        raise HTTPException(status.HTTP_428_PRECONDITION_REQUIRED)
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 18:
        raise HTTPException(status.HTTP_412_PRECONDITION_FAILED)
    return int(text)
