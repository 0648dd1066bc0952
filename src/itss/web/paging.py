"""A list page's place in its list: the offset asked for, and what the pager shows."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query

Offset = Annotated[int, Query(ge=0, le=10**9)]


def pager(total: int, offset: int, limit: int, **kept: str) -> dict[str, Any]:
    """The values `pager.html` reads; `kept` are the page's own parameters, which every
    other page of the list keeps."""
    return {"total": total, "offset": offset, "limit": limit, "query": urlencode(kept)}
