"""What every command shares: loading the framework from options and settings, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.loader import load_catalogue
from itss.engine import registry
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


def framework(extra: list[Path] | None) -> Catalogue:
    files = [*get_settings().framework_files, *(extra or [])]
    return load_catalogue(files, checkers=registry.checkers())


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


def lang(value: str | None) -> str:
    chosen = value or get_settings().lang
    if chosen not in ("ja", "en"):
        raise typer.BadParameter(f"{chosen!r}: choose ja or en", param_hint="--lang")
    return chosen
