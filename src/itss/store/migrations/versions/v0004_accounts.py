"""Accounts, their sessions and API tokens, and the audit trail.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:43:42

The audit trail is append-only in the database itself: triggers refuse every UPDATE and
DELETE of its rows, whoever connects.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFUSAL = "audit events are never changed or deleted"
_SQLITE_TRIGGER = """
CREATE TRIGGER audit_events_no_{verb} BEFORE {verb} ON audit_events
BEGIN SELECT RAISE(ABORT, '{refusal}'); END
"""
_POSTGRES_FUNCTION = f"""
CREATE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$
"""
_POSTGRES_TRIGGER = """
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse()
"""


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    _accounts()
    _credentials()
    _audit_events()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES_FUNCTION)
        op.execute(_POSTGRES_TRIGGER)
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(_SQLITE_TRIGGER.format(verb=verb, refusal=_REFUSAL))


def _accounts() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "role <> 'manager' OR org_unit_id IS NOT NULL",
            name=op.f("ck_accounts_manager_has_unit"),
        ),
        sa.CheckConstraint(
            "role <> 'member' OR person_id IS NOT NULL", name=op.f("ck_accounts_member_is_a_person")
        ),
        sa.CheckConstraint(
            "role IN ('member', 'manager', 'office', 'admin')", name=op.f("ck_accounts_known_role")
        ),
        sa.CheckConstraint(
            "failed_logins >= 0", name=op.f("ck_accounts_failed_logins_non_negative")
        ),
        sa.CheckConstraint(
            "length(username) BETWEEN 1 AND 100", name=op.f("ck_accounts_username_length")
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_accounts_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_accounts_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("person_id", name=op.f("uq_accounts_person_id")),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_username")),
    )


def _credentials() -> None:
    op.create_table(
        "credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=True),
        sa.Column("revoked_at", _utc(), nullable=True),
        sa.CheckConstraint(
            "kind <> 'session' OR csrf IS NOT NULL", name=op.f("ck_credentials_session_has_csrf")
        ),
        sa.CheckConstraint("kind IN ('session', 'token')", name=op.f("ck_credentials_known_kind")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_credentials_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
        sa.UniqueConstraint("digest", name=op.f("uq_credentials_digest")),
    )
    op.create_index(op.f("ix_credentials_account_id"), "credentials", ["account_id"])


def _audit_events() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("resource", sa.String(length=100), nullable=False),
        sa.Column("resource_id", sa.String(length=200), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_audit_events_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"])
    op.create_index(
        op.f("ix_audit_events_resource_resource_id"), "audit_events", ["resource", "resource_id"]
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_refuse()")
    op.drop_table("audit_events")  # its SQLite triggers go with it
    op.drop_table("credentials")
    op.drop_table("accounts")
