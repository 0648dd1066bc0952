"""Errors as RFC 9457 problem details, in the language of the request; never a traceback.

Every refusal of a service is an `ItssError`; its class says the status. Request validation
names each field with its problem, in the catalogue's words where it has them.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.requests import Request

from itss.api.language import lang_of
from itss.errors import (
    AuthenticationError,
    ItssError,
    LocatedError,
    NotFoundError,
    PermissionDeniedError,
    Phrase,
    TooManyAttemptsError,
)
from itss.i18n import tr
from itss.io.validation import phrase
from itss.store.errors import (
    ConflictError,
    DatabaseUnavailableError,
    NotInitialisedError,
    StaleError,
    UnexplainableError,
)

MEDIA_TYPE = "application/problem+json"
# The first class an error is an instance of gives the status.
STATUSES: list[tuple[type[ItssError], int]] = [
    (TooManyAttemptsError, 429),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (StaleError, 412),
    (ConflictError, 409),
    (UnexplainableError, 409),  # stored, but this installation cannot explain it as made
    (NotInitialisedError, 503),
    (DatabaseUnavailableError, 503),
    (LocatedError, 422),
]
log = logging.getLogger("itss.api")


def status_of(error: ItssError) -> int:
    return next((status for kind, status in STATUSES if isinstance(error, kind)), 400)


def problem(
    request: Request, status: int, detail: str, headers: dict[str, str] | None = None, **more: Any
) -> Response:
    page = getattr(request.app.state, "error_page", None)
    if page is not None and is_page(request):
        # A page's visitor reads the same refusal as a page, not as JSON.
        answer: Response = page(request, status, detail, more)
        return answer
    lang = _lang(request)
    body = {
        "type": "about:blank",
        "title": tr(TITLES[status], lang) if status in TITLES else str(status),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **more,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


TITLES = {
    400: "problem.400",
    401: "problem.401",
    403: "problem.403",
    404: "problem.404",
    405: "problem.405",
    409: "problem.409",
    412: "problem.412",
    413: "problem.413",
    422: "problem.422",
    428: "problem.428",
    429: "problem.429",
    500: "problem.500",
    503: "problem.503",
}


def is_page(request: Request) -> bool:
    """Whether the request is for the pages (the API and its documents answer otherwise)."""
    path = request.url.path
    return not (path.startswith("/api/") or path in ("/docs", "/openapi.json", "/redoc"))


def _lang(request: Request) -> str:
    return lang_of(request, request.app.state.context.settings.lang)


def _itss_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ItssError)
    lang = _lang(request)
    headers = (
        {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttemptsError) else None
    )
    if isinstance(exc, AuthenticationError) and not isinstance(exc, TooManyAttemptsError):
        headers = {"WWW-Authenticate": 'Bearer realm="itss"'}
    more: dict[str, Any] = {}
    if isinstance(exc, LocatedError):
        more["errors"] = [
            {"where": exc.where, "problem": exc.localized_problem(lang)},
            *({"where": w, "problem": _text(p, lang)} for w, p in exc.more),
        ]
    return problem(request, status_of(exc), exc.localized(lang), headers, **more)


def _text(problem_: str | Phrase, lang: str) -> str:
    return problem_.localized(lang) if isinstance(problem_, Phrase) else problem_


def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    lang = _lang(request)
    errors = [
        {
            "field": ".".join(str(part) for part in found["loc"]),
            "problem": _text(phrase(found), lang),
        }
        for found in exc.errors()
    ]
    return problem(request, 422, tr("problem.invalid", lang), errors=errors)


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    lang = _lang(request)
    key = TITLES.get(exc.status_code)
    detail = tr(key, lang) if key else str(exc.detail)
    return problem(request, exc.status_code, detail, dict(exc.headers or {}))


def _unexpected(request: Request, exc: Exception) -> Response:
    # Logged for the operator with its traceback; the client learns only that it happened.
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, 500, tr("problem.internal", _lang(request)))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ItssError, _itss_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
