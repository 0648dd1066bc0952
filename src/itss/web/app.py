"""The pages as part of the application: their routes, their assets, their error pages."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from itss.web import errors
from itss.web.routes import auth, framework, office, people, reviews

ROUTERS = (auth, framework, people, reviews, office)


def install(app: FastAPI) -> None:
    static = resources.files("itss.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app)
    for module in ROUTERS:
        app.include_router(module.router)
