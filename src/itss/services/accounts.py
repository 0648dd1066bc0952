"""Accounts: who may sign in, with which role; sign-in, sessions, API tokens, sign-out.

Passwords are kept as argon2id hashes. A session or an API token is a random secret shown
once; the database keeps only its SHA-256 digest (a secret of 256 random bits needs no slow
hash: nobody can guess one, and the digest opens nothing). Repeated failed sign-ins lock the
account for a while, whoever tries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from itss.errors import (
    AuthenticationError,
    ItssError,
    NotFoundError,
    PermissionDeniedError,
    TooManyAttemptsError,
)
from itss.services import audit
from itss.services.context import ROLES, Actor, Context
from itss.store import accounts
from itss.store.accounts import AccountRecord, CredentialRecord, NewAccount
from itss.store.change import now
from itss.store.models import Credential

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
PASSWORD_CHARS = 10  # at least (NIST SP 800-63B asks for 8; longer is better)
TOKEN_BYTES = 32


class AccountError(ItssError):
    """An account cannot be added or changed as asked."""


@cache
def _hasher(memory_kib: int, time_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def _hasher_of(ctx: Context) -> PasswordHasher:
    return _hasher(ctx.settings.password_memory_kib, ctx.settings.password_time_cost)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_admin(ctx: Context) -> None:
    if ctx.actor.role != "admin":
        raise PermissionDeniedError(key="access.admin_only")


def _checked_password(password: str) -> str:
    if len(password) < PASSWORD_CHARS:
        raise AccountError(key="account.password_short", values={"chars": PASSWORD_CHARS})
    return password


@dataclass(frozen=True)
class AccountSpec:
    """What an administrator gives to add an account."""

    username: str
    display_name: str
    role: str
    password: str
    person: str | None = None  # required for a member
    unit: str | None = None  # required for a manager

    def checked(self) -> AccountSpec:
        if not USERNAME.fullmatch(self.username):
            raise AccountError(key="account.username", values={"username": self.username})
        if self.role not in ROLES:
            raise AccountError(key="account.role", values={"roles": ", ".join(ROLES)})
        if self.role == "member" and not self.person:
            raise AccountError(key="account.member_needs_person")
        if self.role == "manager" and not self.unit:
            raise AccountError(key="account.manager_needs_unit")
        _checked_password(self.password)
        return self


def add(ctx: Context, spec: AccountSpec) -> AccountRecord:
    """A new account (admins only)."""
    _require_admin(ctx)
    spec = spec.checked()
    hashed = _hasher_of(ctx).hash(spec.password)
    new = NewAccount(spec.username, spec.display_name, spec.role, hashed, spec.person, spec.unit)

    def write(session: Session) -> int:
        account_id = accounts.add(session, new, now())
        after = _shown(accounts.by_id(session, account_id))
        audit.record(session, ctx, "account:add", "account", spec.username, after=after)
        return account_id

    account_id = ctx.ready.run(write)
    return _found(ctx, spec.username, account_id)


def _found(ctx: Context, username: str, account_id: int | None = None) -> AccountRecord:
    with ctx.ready.transaction() as session:
        found = accounts.find(session, username)
    if found is None or (account_id is not None and found.id != account_id):
        raise NotFoundError(key="account.unknown", values={"username": username})
    return found


def _shown(account: AccountRecord | None) -> dict[str, object] | None:
    """An account as the audit trail keeps it: never its password hash."""
    if account is None:
        return None
    return {
        "username": account.username,
        "display_name": account.display_name,
        "role": account.role,
        "person": account.person,
        "unit": account.unit,
        "disabled": account.disabled,
    }


def listing(ctx: Context) -> list[AccountRecord]:
    _require_admin(ctx)
    with ctx.ready.transaction() as session:
        return accounts.listing(session)


def _change(ctx: Context, username: str, action: str, **values: object) -> AccountRecord:
    """Change an account (admins only), sign it out everywhere, and record it."""
    _require_admin(ctx)
    account = _found(ctx, username)

    def write(session: Session) -> None:
        accounts.change(session, account.id, **values)
        accounts.revoke_all(session, account.id, now())
        after = _shown(accounts.by_id(session, account.id))
        audit.record(session, ctx, action, "account", username, before=_shown(account), after=after)

    ctx.ready.run(write)
    return _found(ctx, username)


def disable(ctx: Context, username: str) -> AccountRecord:
    """No more sign-ins; every session and token of the account ends now."""
    return _change(ctx, username, "account:disable", disabled=True)


def enable(ctx: Context, username: str) -> AccountRecord:
    return _change(ctx, username, "account:enable", disabled=False)


def reset(ctx: Context, username: str, password: str) -> AccountRecord:
    """A new password; the lock after failed sign-ins is lifted, sessions and tokens end."""
    hashed = _hasher_of(ctx).hash(_checked_password(password))
    values = {"password_hash": hashed, "failed_logins": 0, "locked_until": None}
    return _change(ctx, username, "account:reset", **values)


# -- signing in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    """A new session or token: the secret is shown this once and never again."""

    secret: str
    credential: CredentialRecord
    account: AccountRecord


def login(ctx: Context, username: str, password: str, *, kind: str, name: str) -> Issued:
    """Check the password and issue a session (`kind="session"`) or an API token."""
    account = _verified(ctx, username, password)
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    at = now()
    expires = at + dt.timedelta(hours=ctx.settings.session_hours) if kind == "session" else None
    row = Credential(
        account_id=account.id,
        kind=kind,
        name=name[:300] or kind,
        digest=digest(secret),
        csrf=secrets.token_urlsafe(TOKEN_BYTES) if kind == "session" else None,
        created_at=at,
        expires_at=expires,
    )

    def write(session: Session) -> CredentialRecord:
        accounts.change(session, account.id, failed_logins=0, locked_until=None)
        accounts.add_credential(session, row)
        if kind == "token":
            actor = _actor(account)
            audit.record(session, ctx.acting(actor), "token:create", "token", str(row.id))
        found = accounts.credential(session, row.digest)
        assert found is not None  # written just now, in this transaction
        return found

    return Issued(secret, ctx.ready.run(write), account)


def _verified(ctx: Context, username: str, password: str) -> AccountRecord:
    """The account, if the password is right and the account may sign in; a failure counts
    towards the lock. One message for every failure: it must not tell who exists."""
    with ctx.ready.transaction() as session:
        account = accounts.find(session, username)
    hasher = _hasher_of(ctx)
    if account is None:
        _spend_the_same_time(hasher, password)
        raise AuthenticationError(key="auth.failed")
    _refuse_while_locked(account)
    try:
        hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        _count_failure(ctx, account)
        raise AuthenticationError(key="auth.failed") from None
    if account.disabled:
        raise AuthenticationError(key="auth.failed")
    return account


def _spend_the_same_time(hasher: PasswordHasher, password: str) -> None:
    with contextlib.suppress(VerificationError):
        hasher.verify(_decoy(hasher), password)


@cache
def _decoy_of(memory_kib: int, time_cost: int) -> str:
    return _hasher(memory_kib, time_cost).hash(secrets.token_urlsafe(16))


def _decoy(hasher: PasswordHasher) -> str:
    return _decoy_of(hasher.memory_cost, hasher.time_cost)


def _refuse_while_locked(account: AccountRecord) -> None:
    if account.locked_until is not None and account.locked_until > now():
        seconds = int((account.locked_until - now()).total_seconds()) + 1
        minutes = (seconds + 59) // 60
        raise TooManyAttemptsError(
            retry_after=seconds, key="auth.locked", values={"minutes": minutes}
        )


def _count_failure(ctx: Context, account: AccountRecord) -> None:
    failures = account.failed_logins + 1
    if failures < ctx.settings.login_attempts:
        values: dict[str, object] = {"failed_logins": failures}
    else:
        until = now() + dt.timedelta(minutes=ctx.settings.lockout_minutes)
        values = {"failed_logins": 0, "locked_until": until}
    ctx.ready.run(lambda s: accounts.change(s, account.id, **values))


def _actor(account: AccountRecord) -> Actor:
    return Actor(account.username, account.role, account.id, account.person, account.unit)


@dataclass(frozen=True)
class Authenticated:
    actor: Actor
    credential: CredentialRecord
    lang: str | None = None  # the language the person chose for the pages


def authenticate(ctx: Context, secret: str) -> Authenticated:
    """Who presents this session or token, if it is valid now."""
    with ctx.ready.transaction() as session:
        found = accounts.holder(session, digest(secret))
    if found is None or found[1].disabled:
        raise AuthenticationError(key="auth.invalid")
    credential, account = found
    if credential.revoked_at is not None:
        raise AuthenticationError(key="auth.invalid")
    if credential.expires_at is not None and credential.expires_at <= now():
        raise AuthenticationError(key="auth.expired")
    return Authenticated(_actor(account), credential, account.lang)


def logout(ctx: Context, credential_id: int) -> None:
    ctx.ready.run(lambda s: accounts.revoke(s, [credential_id], now()))


def tokens(ctx: Context) -> list[CredentialRecord]:
    """The acting account's API tokens (their secrets are not kept, so not shown)."""
    account_id = _account_id(ctx)
    with ctx.ready.transaction() as session:
        return accounts.credentials(session, account_id, "token")


def revoke_token(ctx: Context, token_id: int) -> None:
    """Revoke one of the acting account's own tokens."""
    mine = {t.id for t in tokens(ctx)}
    if token_id not in mine:
        raise NotFoundError(key="token.unknown", values={"id": token_id})

    def write(session: Session) -> None:
        accounts.revoke(session, [token_id], now())
        audit.record(session, ctx, "token:revoke", "token", str(token_id))

    ctx.ready.run(write)


def _account_id(ctx: Context) -> int:
    if ctx.actor.account_id is None:
        raise PermissionDeniedError(key="access.account_only")
    return ctx.actor.account_id


def set_language(ctx: Context, lang: str) -> None:
    """Remember the language the acting person chose for the pages, on every browser."""
    account_id = _account_id(ctx)
    if lang not in ("ja", "en"):
        raise AccountError(key="account.language", values={"lang": lang[:20]})

    def write(session: Session) -> None:
        accounts.set_lang(session, account_id, lang)
        after = {"lang": lang}
        audit.record(session, ctx, "account:language", "account", ctx.actor.name, after=after)

    ctx.ready.run(write)
