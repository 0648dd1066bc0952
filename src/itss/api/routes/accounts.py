"""Accounts, for admins: add, list, disable, enable, reset a password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from itss.api.deps import Ctx
from itss.api.schemas import AccountIn, AccountOut, Page, Paging, PasswordIn, paged
from itss.services import accounts
from itss.services.accounts import AccountSpec
from itss.store.accounts import AccountRecord

router = APIRouter(prefix="/api/accounts", tags=["accounts"])
Username = Annotated[str, Path(min_length=1, max_length=100)]


def _out(account: AccountRecord) -> AccountOut:
    return AccountOut(
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        person=account.person,
        unit=account.unit,
        disabled=account.disabled,
        locked_until=account.locked_until,
    )


@router.get("", operation_id="listAccounts")
def list_accounts(ctx: Ctx, paging: Annotated[Paging, Query()]) -> Page[AccountOut]:
    return paged([_out(a) for a in accounts.listing(ctx)], paging)


@router.post("", operation_id="createAccount", status_code=status.HTTP_201_CREATED)
def create_account(body: AccountIn, ctx: Ctx) -> AccountOut:
    return _out(accounts.add(ctx, AccountSpec(**body.model_dump())))


@router.post("/{username}/disable", operation_id="disableAccount")
def disable(username: Username, ctx: Ctx) -> AccountOut:
    return _out(accounts.disable(ctx, username))


@router.post("/{username}/enable", operation_id="enableAccount")
def enable(username: Username, ctx: Ctx) -> AccountOut:
    return _out(accounts.enable(ctx, username))


@router.post("/{username}/password", operation_id="resetPassword")
def reset(username: Username, body: PasswordIn, ctx: Ctx) -> AccountOut:
    return _out(accounts.reset(ctx, username, body.password))
