"""`itss demo`: a synthetic organisation in the database, assessed, summarised.

It creates the database when it is new, records a small organisation tree and a few hundred
people with plausible careers (`itss.demo`), assesses them all and prints how many people
reached each level in each field. Run it again and it changes nothing but adds a new run.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from itss.cli.bulk import DEFAULT_JOBS, JobsOption, progress
from itss.cli.common import (
    ByOption,
    DbOption,
    FrameworkOption,
    LangOption,
    context,
    lang,
    parse_day,
    t,
)
from itss.cli.render import distribution_table, run_line
from itss.demo import AS_OF
from itss.services import demo


def demo_command(
    count: Annotated[
        int, typer.Option("--people", min=1, max=100_000, help="how many people")
    ] = 300,
    seed: Annotated[int, typer.Option("--seed", help="the same seed, the same people")] = 0,
    as_of: Annotated[str, typer.Option("--as-of", help="assess as on this date")] = str(AS_OF),
    yes: Annotated[
        bool,
        typer.Option("--yes", help="add the demo people even to a database with real people"),
    ] = False,
    db: DbOption = None,
    by: ByOption = None,
    jobs: JobsOption = DEFAULT_JOBS,
    language: LangOption = None,
    framework_files: FrameworkOption = None,
) -> None:
    """Create a synthetic organisation in the database, assess it, show its skill levels."""
    chosen = lang(language)
    day = parse_day(as_of) or AS_OF
    with context(db, framework_files, by=by) as ctx:
        into_real = yes or (demo.holds_real_data(ctx) and _confirmed(ctx.url))
        with progress("assess", count) as advance:
            report = demo.run(
                ctx, count, seed, day, jobs=jobs, into_real_data=into_real, progress=advance
            )
        demo.showcase(ctx, day)
        run_line(report.run)
        distribution_table(ctx.framework, report.by_field, chosen)
    accounts_table()


def accounts_table() -> None:
    """The demo accounts, to sign in with at once."""
    table = Table(title=t("cli.demo.accounts"))
    for key in ("heading.account_username", "heading.account_role"):
        table.add_column(t(key))
    table.add_column(t("heading.password"))
    for username, role, password in demo.DEMO_ACCOUNTS:
        table.add_row(username, role, password)
    Console().print(table)


def _confirmed(url: str) -> bool:
    """Asked on a terminal; elsewhere (a script) the demo refuses rather than guess."""
    if not sys.stdin.isatty():
        return False
    return typer.confirm(t("cli.demo.confirm", url=url))
