"""Accounts and their credentials (sessions and API tokens), by username and digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import Session, aliased

from itss.store.errors import StoreError, UnknownError
from itss.store.models import Account, Credential, OrgUnit, Person


@dataclass(frozen=True)
class AccountRecord:
    """An account as the services see it: the person and unit by their codes."""

    id: int
    username: str
    display_name: str
    role: str
    person: str | None  # the person's ref
    unit: str | None  # the managed unit's code
    disabled: bool
    failed_logins: int
    locked_until: dt.datetime | None
    password_hash: str
    lang: str | None = None  # the language the person chose for the pages


def _records() -> Select[Account, str, str]:  # the two codes may be NULL (outer joins)
    person, unit = aliased(Person), aliased(OrgUnit)
    return (
        select(Account, person.ref, unit.code)
        .outerjoin(person, person.id == Account.person_id)
        .outerjoin(unit, unit.id == Account.org_unit_id)
    )


def _record(row: tuple[Account, str, str]) -> AccountRecord:
    account, person, unit = row
    return AccountRecord(
        account.id,
        account.username,
        account.display_name,
        account.role,
        person,
        unit,
        account.disabled,
        account.failed_logins,
        account.locked_until,
        account.password_hash,
        account.lang,
    )


def find(session: Session, username: str) -> AccountRecord | None:
    query = _records().where(Account.username == username)
    row = session.execute(query).first()
    return _record(row) if row else None


def by_id(session: Session, account_id: int) -> AccountRecord | None:
    query = _records().where(Account.id == account_id)
    row = session.execute(query).first()
    return _record(row) if row else None


def listing(session: Session) -> list[AccountRecord]:
    query = _records().order_by(Account.username)
    return [_record(row) for row in session.execute(query)]


def _person_id(session: Session, ref: str) -> int:
    found = session.scalar(select(Person.id).where(Person.ref == ref))
    if found is None:
        raise UnknownError(key="person.unknown", values={"ref": ref})
    return found


def _unit_id(session: Session, code: str) -> int:
    found = session.scalar(select(OrgUnit.id).where(OrgUnit.code == code))
    if found is None:
        raise UnknownError(key="store.unknown_units", values={"units": code})
    return found


@dataclass(frozen=True)
class NewAccount:
    username: str
    display_name: str
    role: str
    password_hash: str
    person: str | None = None
    unit: str | None = None


def add(session: Session, new: NewAccount, at: dt.datetime) -> int:
    if session.scalar(select(Account.id).where(Account.username == new.username)) is not None:
        raise StoreError(key="account.exists", values={"username": new.username})
    person = _person_id(session, new.person) if new.person else None
    unit = _unit_id(session, new.unit) if new.unit else None
    if person is not None and session.scalar(select(Account.id).where(Account.person_id == person)):
        raise StoreError(key="account.person_taken", values={"ref": new.person})
    account = Account(
        username=new.username,
        display_name=new.display_name,
        role=new.role,
        person_id=person,
        org_unit_id=unit,
        password_hash=new.password_hash,
        disabled=False,
        failed_logins=0,
        created_at=at,
    )
    session.add(account)
    session.flush()
    return account.id


def change(session: Session, account_id: int, **values: object) -> None:
    session.execute(update(Account).where(Account.id == account_id).values(**values))


# -- credentials -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialRecord:
    id: int
    account_id: int
    kind: str
    name: str
    csrf: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _credential(row: Credential) -> CredentialRecord:
    return CredentialRecord(
        row.id,
        row.account_id,
        row.kind,
        row.name,
        row.csrf,
        row.created_at,
        row.expires_at,
        row.revoked_at,
    )


def add_credential(session: Session, credential: Credential) -> int:
    session.add(credential)
    session.flush()
    return credential.id


def credential(session: Session, digest: str) -> CredentialRecord | None:
    row = session.scalar(select(Credential).where(Credential.digest == digest))
    return _credential(row) if row else None


@cache
def _holder_query() -> Select[Account, str, str, Credential]:
    """A credential with its account, by the credential's digest: built once, as every
    request asks it (building a statement costs more than running this one)."""
    query = _records().add_columns(Credential).join(Credential, Credential.account_id == Account.id)
    return query.where(Credential.digest == bindparam("digest"))


def holder(session: Session, digest: str) -> tuple[CredentialRecord, AccountRecord] | None:
    """The credential of this digest and its account, if there is one."""
    row = session.execute(_holder_query(), {"digest": digest}).first()
    if row is None:
        return None
    account, person, unit, credential = row
    return _credential(credential), _record((account, person, unit))


def credentials(session: Session, account_id: int, kind: str) -> list[CredentialRecord]:
    query = (
        select(Credential)
        .where(Credential.account_id == account_id, Credential.kind == kind)
        .order_by(Credential.id)
    )
    return [_credential(row) for row in session.scalars(query)]


def revoke(session: Session, credential_ids: list[int], at: dt.datetime) -> int:
    """Revoke credentials not yet revoked; how many were."""
    query = (
        update(Credential)
        .where(Credential.id.in_(credential_ids), Credential.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return session.execute(query).rowcount  # type: ignore[attr-defined, no-any-return]


def revoke_all(session: Session, account_id: int, at: dt.datetime) -> None:
    session.execute(
        update(Credential)
        .where(Credential.account_id == account_id, Credential.revoked_at.is_(None))
        .values(revoked_at=at)
    )


def set_lang(session: Session, account_id: int, lang: str) -> None:
    session.execute(update(Account).where(Account.id == account_id).values(lang=lang))
