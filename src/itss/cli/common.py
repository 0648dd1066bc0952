"""What every command shares: the context of a command, options, dates, the language."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from itss.i18n import LANGS, tr
from itss.settings import get_settings

if TYPE_CHECKING:
    from itss.services.context import Context

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
UnitOption = Annotated[
    str | None, typer.Option("--unit", help="only this org unit and the units below it")
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
    # Imported here: a command that needs no context should not import the store.
    from itss.services.context import Actor, Context  # noqa: PLC0415

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
        raise typer.BadParameter(t("cli.date.invalid", value=value), param_hint=option) from None


def required_day(value: str, option: str) -> dt.date:
    """The date of a required option (typer has made sure it is given)."""
    day = parse_day(value, option)
    if day is None:
        raise typer.BadParameter(t("cli.date.invalid", value=value), param_hint=option)
    return day


def today() -> dt.date:
    """The day a command assesses as on when not told: the front end reads the clock."""
    return dt.date.today()


_chosen: list[str] = []  # the language of this command's output, once its options are read


def lang(value: str | None) -> str:
    """The language of the output: `--lang`, else ITSS_LANG; every later message uses it."""
    chosen = value or get_settings().lang
    if chosen not in LANGS:
        raise typer.BadParameter(t("cli.lang.unknown", value=chosen), param_hint="--lang")
    _chosen[:] = [chosen]
    return chosen


def reset_lang() -> None:
    _chosen.clear()


def current_lang() -> str:
    """The language chosen so far (errors before `--lang` is read use the settings')."""
    if _chosen:
        return _chosen[0]
    try:
        return get_settings().lang
    except ValueError:  # ITSS_LANG itself is wrong: say so in the default language
        return "ja"


def t(key: str, /, **args: object) -> str:
    """A text of the message catalogue in the command's language."""
    return tr(key, current_lang(), **args)


def written(paths: list[Path]) -> None:
    """Say which files a command wrote."""
    for path in paths:
        typer.echo(t("cli.wrote", path=path))
