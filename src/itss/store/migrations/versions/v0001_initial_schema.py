"""Initial schema: org units, people, evidence revisions, assessments, targets.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 17:01:49.828441
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by", sa.String(length=300), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("framework_version", sa.String(length=64), nullable=False),
        sa.Column("policy_name", sa.String(length=300), nullable=False),
        sa.Column("policy_readings", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_runs")),
    )
    op.create_table(
        "org_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("code <> ''", name=op.f("ck_org_units_code_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_units")),
        sa.UniqueConstraint("code", name=op.f("uq_org_units_code")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ref <> ''", name=op.f("ck_people_ref_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("ref", name=op.f("uq_people_ref")),
    )
    op.create_table(
        "org_unit_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("name <> ''", name=op.f("ck_org_unit_revisions_name_not_blank")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_org_unit_revisions_number_positive")),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> org_unit_id",
            name=op.f("ck_org_unit_revisions_not_own_parent"),
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_units.id"],
            name=op.f("fk_org_unit_revisions_org_unit_id_org_units"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["org_units.id"], name=op.f("fk_org_unit_revisions_parent_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit_revisions")),
        sa.UniqueConstraint(
            "org_unit_id", "number", name=op.f("uq_org_unit_revisions_org_unit_id_number")
        ),
    )
    op.create_table(
        "person_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=True),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("name <> ''", name=op.f("ck_person_revisions_name_not_blank")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_person_revisions_number_positive")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_units.id"],
            name=op.f("fk_person_revisions_org_unit_id_org_units"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_revisions_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_revisions")),
        sa.UniqueConstraint(
            "person_id", "number", name=op.f("uq_person_revisions_person_id_number")
        ),
    )
    op.create_index(
        op.f("ix_person_revisions_org_unit_id"), "person_revisions", ["org_unit_id"], unique=False
    )
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("wanted", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=300), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 7", name=op.f("ck_targets_level_range")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_targets_valid_to_after_from"),
        ),
        sa.CheckConstraint("wanted >= 0", name=op.f("ck_targets_wanted_non_negative")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_targets_org_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint(
            "org_unit_id",
            "field",
            "level",
            "valid_from",
            name=op.f("uq_targets_org_unit_id_field_level_valid_from"),
        ),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_zlib", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_assessments_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_assessments_revision_id_person_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["assessment_runs.id"], name=op.f("fk_assessments_run_id_assessment_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("run_id", "person_id", name=op.f("uq_assessments_run_id_person_id")),
    )
    op.create_index(
        op.f("ix_assessments_person_id_run_id"),
        "assessments",
        ["person_id", "run_id"],
        unique=False,
    )
    op.create_table(
        "attestations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("attested_by", sa.String(length=300), nullable=False),
        sa.Column("attested_on", sa.Date(), nullable=False),
        sa.Column("criterion", sa.String(length=200), nullable=True),
        sa.Column("skill_item", sa.String(length=200), nullable=True),
        sa.Column("field", sa.String(length=200), nullable=True),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("attested_by <> ''", name=op.f("ck_attestations_attested_by_not_blank")),
        sa.CheckConstraint(
            "(criterion IS NULL) <> (skill_item IS NULL)", name=op.f("ck_attestations_one_target")
        ),
        sa.CheckConstraint(
            "level IS NULL OR level BETWEEN 1 AND 7", name=op.f("ck_attestations_level_range")
        ),
        sa.CheckConstraint(
            "skill_item IS NULL OR (field IS NOT NULL AND level IS NOT NULL)",
            name=op.f("ck_attestations_skill_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_attestations_revision_id_person_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attestations")),
    )
    op.create_index(
        op.f("ix_attestations_revision_id"), "attestations", ["revision_id"], unique=False
    )
    op.create_table(
        "engagements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=True),
        sa.Column("contract_value_yen", sa.BigInteger(), nullable=True),
        sa.Column("annual_users", sa.Integer(), nullable=True),
        sa.Column("sites", sa.Integer(), nullable=True),
        sa.Column("computer_rooms", sa.Integer(), nullable=True),
        sa.Column("floor_area_m2", sa.Double(), nullable=True),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.CheckConstraint("field <> ''", name=op.f("ck_engagements_field_not_blank")),
        sa.CheckConstraint("ref <> ''", name=op.f("ck_engagements_ref_not_blank")),
        sa.CheckConstraint(
            "role IN ('member', 'leader', 'responsible', 'overall_responsible')",
            name=op.f("ck_engagements_role_known"),
        ),
        sa.CheckConstraint(
            "annual_users IS NULL OR annual_users >= 0",
            name=op.f("ck_engagements_annual_users_non_negative"),
        ),
        sa.CheckConstraint(
            "computer_rooms IS NULL OR computer_rooms >= 0",
            name=op.f("ck_engagements_computer_rooms_non_negative"),
        ),
        sa.CheckConstraint(
            "contract_value_yen IS NULL OR contract_value_yen >= 0",
            name=op.f("ck_engagements_contract_value_yen_non_negative"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date",
            name=op.f("ck_engagements_end_after_start"),
        ),
        sa.CheckConstraint(
            "floor_area_m2 IS NULL OR floor_area_m2 >= 0",
            name=op.f("ck_engagements_floor_area_m2_non_negative"),
        ),
        sa.CheckConstraint(
            "headcount IS NULL OR headcount >= 0",
            name=op.f("ck_engagements_headcount_non_negative"),
        ),
        sa.CheckConstraint(
            "sites IS NULL OR sites >= 0", name=op.f("ck_engagements_sites_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_engagements_revision_id_person_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
        sa.UniqueConstraint("revision_id", "ref", name=op.f("uq_engagements_revision_id_ref")),
    )
    op.create_index(
        op.f("ix_engagements_revision_id"), "engagements", ["revision_id"], unique=False
    )
    op.create_table(
        "expertise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=False),
        sa.Column("depth", sa.String(length=30), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "depth IN ('basic', 'practises_alone', 'guides_subordinates', 'guides_company', "
            "'guides_industry', 'leads_industry')",
            name=op.f("ck_expertise_depth_known"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_expertise_revision_id_person_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expertise")),
    )
    op.create_index(op.f("ix_expertise_revision_id"), "expertise", ["revision_id"], unique=False)
    op.create_table(
        "mentoring",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("mentee", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_mentoring_end_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_mentoring_revision_id_person_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring")),
    )
    op.create_index(op.f("ix_mentoring_revision_id"), "mentoring", ["revision_id"], unique=False)
    op.create_table(
        "qualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("obtained_on", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_qualifications_revision_id_person_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualifications")),
    )
    op.create_index(
        op.f("ix_qualifications_revision_id"), "qualifications", ["revision_id"], unique=False
    )
    op.create_table(
        "skill_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 7", name=op.f("ck_skill_claims_level_range")),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_skill_claims_revision_id_person_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_claims")),
    )
    op.create_index(
        op.f("ix_skill_claims_revision_id"), "skill_claims", ["revision_id"], unique=False
    )
    op.create_table(
        "succession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("activity_type", sa.String(length=200), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["person_revisions.id"],
            name=op.f("fk_succession_revision_id_person_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_succession")),
    )
    op.create_index(op.f("ix_succession_revision_id"), "succession", ["revision_id"], unique=False)
    op.create_table(
        "assessment_levels",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("provisional_level", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("level BETWEEN 0 AND 7", name=op.f("ck_assessment_levels_level_range")),
        sa.CheckConstraint(
            "provisional_level >= level", name=op.f("ck_assessment_levels_provisional_not_below")
        ),
        sa.CheckConstraint(
            "provisional_level BETWEEN 0 AND 7", name=op.f("ck_assessment_levels_provisional_range")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_levels_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("assessment_id", "field", name=op.f("pk_assessment_levels")),
    )


def downgrade() -> None:
    op.drop_table("assessment_levels")
    op.drop_index(op.f("ix_succession_revision_id"), table_name="succession")
    op.drop_table("succession")
    op.drop_index(op.f("ix_skill_claims_revision_id"), table_name="skill_claims")
    op.drop_table("skill_claims")
    op.drop_index(op.f("ix_qualifications_revision_id"), table_name="qualifications")
    op.drop_table("qualifications")
    op.drop_index(op.f("ix_mentoring_revision_id"), table_name="mentoring")
    op.drop_table("mentoring")
    op.drop_index(op.f("ix_expertise_revision_id"), table_name="expertise")
    op.drop_table("expertise")
    op.drop_index(op.f("ix_engagements_revision_id"), table_name="engagements")
    op.drop_table("engagements")
    op.drop_index(op.f("ix_attestations_revision_id"), table_name="attestations")
    op.drop_table("attestations")
    op.drop_index(op.f("ix_assessments_person_id_run_id"), table_name="assessments")
    op.drop_table("assessments")
    op.drop_table("targets")
    op.drop_index(op.f("ix_person_revisions_org_unit_id"), table_name="person_revisions")
    op.drop_table("person_revisions")
    op.drop_table("org_unit_revisions")
    op.drop_table("people")
    op.drop_table("org_units")
    op.drop_table("assessment_runs")
