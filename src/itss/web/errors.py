"""The pages' answer to a refusal or a failure: a page in the visitor's language that says
what happened and where to go, never a traceback; a visitor without a session is sent to
the login page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from itss.web.session import SignInNeededError, visitor

# The page's heading by status; other statuses show the generic one.
HEADINGS = {
    400: "web.error.400",
    403: "web.error.403",
    404: "web.error.404",
    409: "web.error.409",
    412: "web.error.409",
    422: "web.error.400",
    429: "web.error.429",
    500: "web.error.500",
    503: "web.error.503",
}


def error_page(request: Request, status: int, detail: str, more: dict[str, Any]) -> Response:
    page = visitor(request, request.app.state.context)
    heading = HEADINGS.get(status, "web.error.other")
    errors = [
        f"{e.get('where') or e.get('field')}: {e.get('problem')}" for e in more.get("errors", [])
    ]
    response = page.render(
        "error.html", status, heading=heading, code=status, detail=detail, errors=errors
    )
    if status == 401:
        return _to_login(request)
    return response


def _to_login(request: Request) -> Response:
    target = "/login?next=" + quote(request.url.path, safe="/")
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _sign_in(request: Request, exc: Exception) -> Response:
    return _to_login(request)


def install(app: FastAPI) -> None:
    app.state.error_page = error_page
    app.add_exception_handler(SignInNeededError, _sign_in)
