"""`itss schema NAME`: the published JSON Schemas."""

from __future__ import annotations

from typing import Annotated

import typer

from itss.cli.common import t
from itss.io.schemas import MODELS, dumps


def schema_command(
    name: Annotated[str, typer.Argument(help="evidence, policy, assessment or catalogue")],
) -> None:
    """Print a published JSON Schema."""
    if name not in MODELS:
        raise typer.BadParameter(
            t("cli.schema.unknown", name=name, known=", ".join(MODELS)), param_hint="NAME"
        )
    typer.echo(dumps(name), nl=False)
