"""The language of a response: `?lang=`, else the first of `Accept-Language` that itss speaks,
else the server's default."""

from __future__ import annotations

from starlette.requests import HTTPConnection

LANGS = ("ja", "en")


def lang_of(request: HTTPConnection, default: str) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    return accepted(request.headers.get("accept-language", ""), default)


def accepted(header: str, default: str) -> str:
    """The first language of the header (by its q weights) that itss speaks."""
    weighted = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        weighted.append((-weight, index, tag.strip().lower()[:2]))
    for weight, _, tag in sorted(weighted):
        if tag in LANGS and weight < 0:
            return tag
    return default
