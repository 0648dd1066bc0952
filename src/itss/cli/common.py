"""What every command shares: the context of a command, options, dates, the language."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path
from typing import Annotated

import typer

from itss.services.context import Actor, Context
from itss.settings import get_settings

FrameworkOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--framework",
        "-f",
        help="A tailored framework file to load beside the built-in ones (repeatable).",
        exists=False,
    ),
]
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="database URL or SQLite file (default: ITSS_DATABASE_URL, else "
        "sqlite:///itss.sqlite3)",
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="who makes the change, recorded with it (default: your user name)",
        show_default=False,
    ),
]


def who(by: str | None) -> str:
    return by or os.environ.get("ITSS_USER") or getpass.getuser()


def context(
    db: str | None = None,
    framework_files: list[Path] | None = None,
    *,
    by: str | None = None,
    policy: Path | None = None,
) -> Context:
    """The context of one command: settings, the user who runs it, its options."""
    return Context(
        get_settings(),
        Actor(who(by)),
        framework_files=tuple(framework_files or ()),
        policy_file=policy,
        database_url=db,
    )


def parse_day(value: str | None, option: str = "--as-of") -> dt.date | None:
    """A YYYY-MM-DD option value, or a usage error naming the option."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def today() -> dt.date:
    """The day a command assesses as on when not told: the front end reads the clock."""
    return dt.date.today()


def lang(value: str | None) -> str:
    chosen = value or get_settings().lang
    if chosen not in ("ja", "en"):
        raise typer.BadParameter(f"{chosen!r}: choose ja or en", param_hint="--lang")
    return chosen
