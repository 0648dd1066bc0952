"""The application: one context (settings, store, framework) made at start-up and shared by
every request, which acts in it as the person who signed in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI

from itss.api import problems
from itss.api.routes import (
    accounts,
    assessments,
    audit,
    auth,
    exports,
    framework,
    framework_files,
    organisation,
    people,
    reviews,
    units,
)
from itss.api.routes import (
    jobs as job_routes,
)
from itss.api.schemas import PROBLEMS
from itss.api.throttle import Throttle
from itss.services import jobs
from itss.services.context import Actor, Context
from itss.services.runners import LocalRunner, runner_for
from itss.settings import Settings, get_settings
from itss.web import app as pages

ROUTERS = (
    auth,
    framework,
    framework_files,
    people,
    assessments,
    reviews,
    organisation,
    units,
    job_routes,
    exports,
    audit,
    accounts,
)


def create_app(settings: Settings | None = None, *, database_url: str | None = None) -> FastAPI:
    chosen = settings or get_settings()
    # The server's own actor never acts: every request acts as its signed-in account.
    context = Context(chosen, Actor("itss-server", role="none"), database_url=database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context.prepare()
        to_thread.current_default_thread_limiter().total_tokens = chosen.threads
        app.state.signing = CapacityLimiter(1)  # see `auth.sign_in`
        app.state.runner = runner = runner_for(chosen, context.url)
        if isinstance(runner, LocalRunner):
            for job_id in jobs.interrupted(context):
                runner.submit(job_id)
        yield
        runner.close()
        context.close()

    app = FastAPI(
        title="itss",
        summary="Assessment against Japan's IT Skill Standard",
        version="1",
        lifespan=lifespan,
    )
    app.state.context = context
    app.state.throttle = Throttle()
    problems.install(app)
    for module in ROUTERS:
        app.include_router(module.router, responses=PROBLEMS)
    pages.install(app)
    return app
