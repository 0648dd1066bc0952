"""The `itss` command.

Each command's module is imported only when that command runs: a command that never opens
the database should not pay for importing the database layer, and `itss --help` lists the
commands from the table below without importing any of them.
"""

from __future__ import annotations

import difflib
import importlib
import sys
from dataclasses import dataclass

import typer
from typer import _click as click  # typer carries its own click: its commands are of these classes
from typer.core import TyperCommand, TyperGroup

from itss.cli.common import current_lang, reset_lang, t
from itss.errors import ItssError


@dataclass(frozen=True)
class Lazy:
    """Where a command lives, and its help for the list of commands (the same as the
    command's own: a test compares them)."""

    module: str
    attribute: str
    help: str

    def load(self, name: str) -> click.Command:
        found = getattr(importlib.import_module(self.module), self.attribute)
        if isinstance(found, typer.Typer):
            group = found
        else:  # a function: a command of its own
            group = typer.Typer()
            group.command(name)(found)
        command = typer.main.get_command(group)
        command.name = name
        return command


COMMANDS = {
    "assess": Lazy(
        "itss.cli.assess",
        "assess_command",
        "Assess one person's evidence: the level in each field, why, and what is missing.",
    ),
    "import": Lazy(
        "itss.cli.data",
        "import_command",
        "Import org units, people and their evidence, all or nothing.",
    ),
    "demo": Lazy(
        "itss.cli.demo",
        "demo_command",
        "Create a synthetic organisation in the database, assess it, show its skill levels.",
    ),
    "serve": Lazy(
        "itss.cli.serve",
        "serve_command",
        "Serve the pages and the REST API (default 127.0.0.1:8000; the API's document at /docs).",
    ),
    "worker": Lazy(
        "itss.cli.serve",
        "worker_command",
        "Run background jobs from a PostgreSQL database's queue, on this host, until Ctrl+C",
    ),
    "schema": Lazy("itss.cli.schema", "schema_command", "Print a published JSON Schema."),
    "framework": Lazy("itss.cli.framework", "app", "The ITSS framework catalogue."),
    "db": Lazy(
        "itss.cli.db",
        "app",
        "The organisation database: create it, bring it up to date, see what it holds.",
    ),
    "export": Lazy(
        "itss.cli.export",
        "app",
        "Write the skill map or everyone's evidence to CSV or .xlsx.",
    ),
    "person": Lazy(
        "itss.cli.person",
        "app",
        "One person: record their evidence, a leave, their stored assessment and history.",
    ),
    "targets": Lazy("itss.cli.targets", "app", "Staffing targets and the gaps against them."),
    "user": Lazy("itss.cli.user", "app", "Accounts that sign in to the server."),
}


class LazyGroup(TyperGroup):
    """The top-level group: commands are imported when they are run."""

    listing = False  # while the help lists the commands, only their help is needed

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = COMMANDS.get(cmd_name)
        if lazy is None:
            return None
        if self.listing:
            return TyperCommand(name=cmd_name, help=lazy.help)
        if cmd_name not in self.commands:
            self.commands[cmd_name] = lazy.load(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # typer would suggest only the commands loaded so far
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            close = ", ".join(repr(name) for name in difflib.get_close_matches(args[0], COMMANDS))
            ctx.fail(f"No such command {args[0]!r}." + (f" Did you mean {close}?" if close else ""))
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=LazyGroup,
    help="itss: assessment against Japan's IT Skill Standard (ITSS).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    suggest_commands=False,
)


@app.callback()
def main() -> None:
    """itss: assessment against Japan's IT Skill Standard (ITSS)."""


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
