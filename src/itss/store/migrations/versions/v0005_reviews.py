"""Reviews: submissions, the reviewers' decisions on criteria, transitions, official levels.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:12:23.547548
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("submitted_by", sa.String(length=300), nullable=False),
        sa.Column("submitted_by_account", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=True),
        sa.Column("decided_by_account", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(state IN ('submitted', 'withdrawn', 'invalidated')) = (decided_at IS NULL)",
            name=op.f("ck_reviews_decided_when_approved_or_returned"),
        ),
        sa.CheckConstraint(
            "state IN ('submitted', 'approved', 'returned', 'withdrawn', 'invalidated')",
            name=op.f("ck_reviews_known_state"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_account"],
            ["accounts.id"],
            name=op.f("fk_reviews_decided_by_account_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_reviews_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_reviews_revision_id_person_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_account"],
            ["accounts.id"],
            name=op.f("fk_reviews_submitted_by_account_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(
        "uq_reviews_one_open",
        "reviews",
        ["person_id"],
        unique=True,
        sqlite_where=sa.text("state = 'submitted'"),
        postgresql_where=sa.text("state = 'submitted'"),
    )

    op.create_table(
        "official_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("on_day", sa.Date(), nullable=False),
        sa.CheckConstraint("level BETWEEN 0 AND 7", name=op.f("ck_official_levels_level_range")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_official_levels_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_official_levels_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_levels")),
        sa.UniqueConstraint("review_id", "field", name=op.f("uq_official_levels_review_id_field")),
    )
    op.create_index(
        "ix_official_levels_person_id_on_day",
        "official_levels",
        ["person_id", "on_day"],
        unique=False,
    )

    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('attested', 'rejected')", name=op.f("ck_review_decisions_known_decision")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_decisions_review_id_reviews")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["accounts.id"], name=op.f("fk_review_decisions_reviewer_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
        sa.UniqueConstraint(
            "review_id", "criterion", name=op.f("uq_review_decisions_review_id_criterion")
        ),
    )
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "to_state IN ('submitted', 'approved', 'returned', 'withdrawn', 'invalidated')",
            name=op.f("ck_review_events_known_state"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_review_events_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_events_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_events")),
    )
    op.create_index("ix_review_events_review_id", "review_events", ["review_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_review_events_review_id", table_name="review_events")

    op.drop_table("review_events")
    op.drop_table("review_decisions")
    op.drop_index("ix_official_levels_person_id_on_day", table_name="official_levels")

    op.drop_table("official_levels")
    op.drop_index(
        "uq_reviews_one_open",
        table_name="reviews",
        sqlite_where=sa.text("state = 'submitted'"),
        postgresql_where=sa.text("state = 'submitted'"),
    )

    op.drop_table("reviews")
