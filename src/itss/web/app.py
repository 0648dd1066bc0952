"""The pages as part of the application: their routes, their assets, their error pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from itss.api.problems import is_page
from itss.web import errors
from itss.web.routes import auth, framework, office, people, reviews

ROUTERS = (auth, framework, people, reviews, office)
# Every page loads only what the application serves: no script of another site runs in it,
# nothing inline runs at all, and no other site may show it in a frame.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


async def page_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    if is_page(request):
        response.headers.update(PAGE_HEADERS)
    return response


def install(app: FastAPI) -> None:
    static = resources.files("itss.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app)
    app.middleware("http")(page_headers)
    for module in ROUTERS:
        app.include_router(module.router)
