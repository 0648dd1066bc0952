"""`itss user add|list|disable|enable|reset`: the accounts that sign in to the server."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from itss.cli.common import ByOption, DbOption, LangOption, context, lang, t
from itss.services import accounts
from itss.services.accounts import AccountSpec
from itss.store.accounts import AccountRecord
from itss.store.change import now

app = typer.Typer(help="Accounts that sign in to the server.", no_args_is_help=True)
console = Console()
HEADINGS = (
    "heading.account_username",
    "heading.account_name",
    "heading.account_role",
    "heading.account_person",
    "heading.account_unit",
    "heading.account_state",
)
Username = Annotated[str, typer.Argument(help="the account's username")]
Password = Annotated[
    str,
    typer.Option(
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="the password (asked for when not given)",
    ),
]


@app.command("add")
def add_command(
    username: Username,
    role: Annotated[str, typer.Option(help="member, manager, office or admin")],
    password: Password,
    name: Annotated[str | None, typer.Option(help="display name (default: username)")] = None,
    person: Annotated[str | None, typer.Option(help="the member's person id")] = None,
    unit: Annotated[str | None, typer.Option(help="the org unit a manager manages")] = None,
    db: DbOption = None,
    by: ByOption = None,
    language: LangOption = None,
) -> None:
    """Add an account: a member is a person; a manager manages a unit and the units below."""
    lang(language)
    spec = AccountSpec(username, name or username, role, password, person, unit)
    with context(db, by=by) as ctx:
        added = accounts.add(ctx, spec)
    typer.echo(t("cli.user.added", username=added.username, role=added.role))


@app.command("list")
def list_command(db: DbOption = None, language: LangOption = None) -> None:
    """Every account, its role and whether it may sign in."""
    lang(language)
    with context(db) as ctx:
        found = accounts.listing(ctx)
    table = Table()
    for key in HEADINGS:
        table.add_column(t(key))
    for account in found:
        table.add_row(
            account.username,
            account.display_name,
            account.role,
            account.person or "",
            account.unit or "",
            _state(account),
        )
    console.print(table)


def _state(account: AccountRecord) -> str:
    if account.disabled:
        return t("account.state.disabled")
    if account.locked_until is not None and account.locked_until > now():
        return t("account.state.locked")
    return t("account.state.active")


@app.command("disable")
def disable_command(
    username: Username, db: DbOption = None, by: ByOption = None, language: LangOption = None
) -> None:
    """No more sign-ins; the account's sessions and tokens end now."""
    lang(language)
    with context(db, by=by) as ctx:
        accounts.disable(ctx, username)
    typer.echo(t("cli.user.disabled", username=username))


@app.command("enable")
def enable_command(
    username: Username, db: DbOption = None, by: ByOption = None, language: LangOption = None
) -> None:
    """Let a disabled account sign in again."""
    lang(language)
    with context(db, by=by) as ctx:
        accounts.enable(ctx, username)
    typer.echo(t("cli.user.enabled", username=username))


@app.command("reset")
def reset_command(
    username: Username,
    password: Password,
    db: DbOption = None,
    by: ByOption = None,
    language: LangOption = None,
) -> None:
    """A new password; lifts a lock after failed sign-ins and ends sessions and tokens."""
    lang(language)
    with context(db, by=by) as ctx:
        accounts.reset(ctx, username, password)
    typer.echo(t("cli.user.reset", username=username))
