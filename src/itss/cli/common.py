"""What every command shares: loading the framework from options and settings, errors."""

from __future__ import annotations

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


def lang(value: str | None) -> str:
    chosen = value or get_settings().lang
    if chosen not in ("ja", "en"):
        raise typer.BadParameter(f"{chosen!r}: choose ja or en", param_hint="--lang")
    return chosen
