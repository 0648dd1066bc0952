"""The `itss` command."""

from __future__ import annotations

import sys

import typer

from itss.cli import framework as framework_cli
from itss.cli.assess import assess_command
from itss.errors import ItssError

app = typer.Typer(help="itss: assessment against Japan's IT Skill Standard (ITSS).",
                  no_args_is_help=True, pretty_exceptions_enable=False,
                  add_completion=False)
app.add_typer(framework_cli.app, name="framework")
app.command("assess")(assess_command)


def run() -> None:
    """Entry point: a user sees an error that names the place, never a traceback."""
    try:
        app(standalone_mode=False)
    except ItssError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence for the user
        if isinstance(exc, typer.Exit | SystemExit):
            raise
        _click_or_internal(exc)


def _click_or_internal(exc: Exception) -> None:
    import click  # noqa: PLC0415

    if isinstance(exc, click.ClickException):
        exc.show()
        sys.exit(exc.exit_code)
    typer.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
    sys.exit(70)


if __name__ == "__main__":
    run()
