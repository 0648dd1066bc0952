"""The `itss` command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from itss.cli import data as data_cli
from itss.cli import db as db_cli
from itss.cli import framework as framework_cli
from itss.cli import person as person_cli
from itss.cli import targets as targets_cli
from itss.cli import user as user_cli
from itss.cli.assess import assess_command
from itss.cli.common import current_lang, reset_lang, t
from itss.cli.demo import demo_command
from itss.cli.serve import serve_command, worker_command
from itss.errors import ItssError
from itss.io.schemas import MODELS, dumps

app = typer.Typer(
    help="itss: assessment against Japan's IT Skill Standard (ITSS).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(framework_cli.app, name="framework")
app.command("assess")(assess_command)
app.add_typer(db_cli.app, name="db")
app.command("import")(data_cli.import_command)
app.add_typer(data_cli.export_app, name="export")
app.command("demo")(demo_command)
app.add_typer(person_cli.app, name="person")
app.add_typer(targets_cli.app, name="targets")
app.add_typer(user_cli.app, name="user")
app.command("serve")(serve_command)
app.command("worker")(worker_command)


@app.command("schema")
def schema_command(
    name: Annotated[str, typer.Argument(help="evidence, policy, assessment or catalogue")],
) -> None:
    """Print a published JSON Schema."""
    if name not in MODELS:
        raise typer.BadParameter(
            t("cli.schema.unknown", name=name, known=", ".join(MODELS)), param_hint="NAME"
        )
    typer.echo(dumps(name), nl=False)


def run() -> None:
    """Entry point: a user sees an error that names the place, never a traceback."""
    reset_lang()
    try:
        # Without standalone mode, click returns the code of `typer.Exit(code)`.
        code = app(standalone_mode=False)
    except ItssError as exc:
        typer.echo(t("cli.error", message=exc.localized(current_lang())), err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo(t("cli.aborted"), err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo(t("cli.interrupted"), err=True)
        sys.exit(130)
    except Exception as exc:
        if isinstance(exc, typer.Exit | SystemExit):
            raise
        _click_or_internal(exc)
    else:
        if isinstance(code, int) and code:
            sys.exit(code)


def _click_or_internal(exc: Exception) -> None:
    # Usage errors (bad option, unknown argument) carry their own message and exit code.
    show = getattr(exc, "show", None)
    if isinstance(exc, typer.TyperException) and callable(show):
        show()
        sys.exit(int(getattr(exc, "exit_code", 2)))
    typer.echo(t("cli.internal", kind=type(exc).__name__, message=exc), err=True)
    sys.exit(70)


if __name__ == "__main__":
    run()
