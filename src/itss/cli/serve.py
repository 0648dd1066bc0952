"""`itss serve`: the pages and the REST API on uvicorn; `itss worker`: background jobs on
PostgreSQL."""

from __future__ import annotations

from typing import Annotated

import typer

from itss.cli.common import DbOption, LangOption, context, lang, t


def serve_command(
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="port")] = None,
    db: DbOption = None,
    language: LangOption = None,
) -> None:
    """Serve the pages and the REST API (default 127.0.0.1:8000; the API's document at /docs)."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from itss.api.app import create_app  # noqa: PLC0415

    lang(language)
    with context(db) as ctx:
        ctx.prepare()  # a database without the current schema is refused here, in words
        url, settings = ctx.url, ctx.settings
    chosen_host, chosen_port = host or settings.host, port or settings.port
    typer.echo(t("cli.serve.listening", url=f"http://{chosen_host}:{chosen_port}"))
    app = create_app(settings, database_url=url)
    uvicorn.run(app, host=chosen_host, port=chosen_port, log_level="warning")


def worker_command(db: DbOption = None, language: LangOption = None) -> None:
    """Run background jobs from a PostgreSQL database's queue, on this host, until Ctrl+C
    (any number of workers may share one queue)."""
    from itss.services.runners import require_queue, work  # noqa: PLC0415

    lang(language)
    with context(db) as ctx:
        ctx.prepare()
        url, settings, where = ctx.url, ctx.settings, ctx.shown_url
    require_queue(url)
    typer.echo(t("cli.worker.started", url=where))
    work(settings, url)
