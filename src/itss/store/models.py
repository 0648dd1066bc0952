"""The tables of the organisation store, as typed SQLAlchemy models.

History is kept by appending, never by updating: a person or an org unit is an identity row
plus numbered revisions, and each person revision carries the whole of the person's evidence
at that moment. Assessments are snapshots that point at the revision they read. What must
never be false is a constraint here, so the database refuses it whatever the code does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from itss.engine.evidence import DEPTHS, MEASURES, ROLES
from itss.store.codec import CODECS

# Deterministic constraint names, the same on SQLite and PostgreSQL, so that migrations can
# refer to them and `alembic check` compares like with like.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Ref = String(200)
Name = String(300)
LEVEL_RANGE = "BETWEEN 0 AND 7"
FILL_FACTOR = 50  # of the standings' pages on PostgreSQL: half left for each row's next version


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC timestamp on every backend (SQLite keeps no zone, so it is restored)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, _dialect: Dialect) -> Any:
        if value is not None and value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, _dialect: Dialect) -> Any:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[int]: JSON,
    }


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _ordered(start: str, end: str) -> str:
    return f"{end} IS NULL OR {end} >= {start}"


def _non_negative(*columns: str) -> list[CheckConstraint]:
    return [CheckConstraint(f"{c} IS NULL OR {c} >= 0", name=f"{c}_non_negative") for c in columns]


def _not_blank(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} <> ''", name=f"{column}_not_blank")


# -- organisation units ------------------------------------------------------------------------


class OrgUnit(Base):
    """An organisation unit's identity; its name and place in the tree are revisions."""

    __tablename__ = "org_units"
    __table_args__ = (_not_blank("code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime]


class OrgUnitRevision(Base):
    __tablename__ = "org_unit_revisions"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("parent_id IS NULL OR parent_id <> org_unit_id", name="not_own_parent"),
        _not_blank("name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    number: Mapped[int]
    recorded_at: Mapped[dt.datetime]
    recorded_by: Mapped[str] = mapped_column(Name)
    source: Mapped[str] = mapped_column(String(500))
    name: Mapped[str] = mapped_column(Name)
    name_en: Mapped[str | None] = mapped_column(Name)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))


# -- people and their evidence -----------------------------------------------------------------


class Person(Base):
    """A person's identity (the id HR uses); everything else about them is a revision."""

    __tablename__ = "people"
    __table_args__ = (_not_blank("ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(Ref, unique=True)
    created_at: Mapped[dt.datetime]


class PersonRevision(Base):
    """The person as recorded at one moment: name, org unit, and all evidence rows below."""

    __tablename__ = "person_revisions"
    __table_args__ = (
        # Two writers who read the same revision both try to add number + 1: one must lose.
        UniqueConstraint("person_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        _not_blank("name"),
        # The few revisions that record a leave, which every view leaves out (schema 0010).
        Index(
            "ix_person_revisions_left_on",
            "left_on",
            sqlite_where=text("left_on IS NOT NULL"),
            postgresql_where=text("left_on IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    number: Mapped[int]
    recorded_at: Mapped[dt.datetime]
    recorded_by: Mapped[str] = mapped_column(Name)
    source: Mapped[str] = mapped_column(String(500))
    name: Mapped[str] = mapped_column(Name)
    name_en: Mapped[str | None] = mapped_column(Name)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    # The day the person left the organisation (schema 0003): their evidence and assessments
    # stay, but new runs skip them and the views leave them out from that day on.
    left_on: Mapped[dt.date | None]


class ItemBase(Base):
    """One evidence row; it belongs to exactly one person revision and never changes."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("person_revisions.id"), index=True, sort_order=-1
    )


class EngagementRow(ItemBase):
    __tablename__ = "engagements"
    __table_args__ = (
        UniqueConstraint("revision_id", "ref"),
        CheckConstraint(_in("role", ROLES), name="role_known"),
        CheckConstraint(_ordered("start_date", "end_date"), name="end_after_start"),
        *_non_negative(*MEASURES),
        _not_blank("ref"),
        _not_blank("field"),
    )

    ref: Mapped[str] = mapped_column(Ref)
    field: Mapped[str] = mapped_column(Ref)
    role: Mapped[str] = mapped_column(String(30))
    start: Mapped[dt.date] = mapped_column("start_date")
    end: Mapped[dt.date | None] = mapped_column("end_date")
    headcount: Mapped[int | None]
    contract_value_yen: Mapped[int | None] = mapped_column(BigInteger)
    annual_users: Mapped[int | None]
    sites: Mapped[int | None]
    computer_rooms: Mapped[int | None]
    floor_area_m2: Mapped[float | None] = mapped_column(Double)
    criteria: Mapped[list[str]]
    succeeded: Mapped[bool]
    description: Mapped[str] = mapped_column(Text)


class ExpertiseRow(ItemBase):
    __tablename__ = "expertise"
    __table_args__ = (CheckConstraint(_in("depth", DEPTHS), name="depth_known"),)

    area: Mapped[str] = mapped_column(Ref)
    depth: Mapped[str] = mapped_column(String(30))
    since: Mapped[dt.date | None]


class ActivityRow(ItemBase):
    """A knowledge-succession activity: a paper, a lecture, a patent..."""

    __tablename__ = "succession"

    type: Mapped[str] = mapped_column("activity_type", Ref)
    date: Mapped[dt.date] = mapped_column("activity_date")
    title: Mapped[str] = mapped_column(Name)


class MentoringRow(ItemBase):
    __tablename__ = "mentoring"
    __table_args__ = (CheckConstraint(_ordered("start_date", "end_date"), name="end_after_start"),)

    start: Mapped[dt.date] = mapped_column("start_date")
    end: Mapped[dt.date | None] = mapped_column("end_date")
    mentee: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)


class QualificationRow(ItemBase):
    __tablename__ = "qualifications"

    ref: Mapped[str] = mapped_column(Ref)
    date: Mapped[dt.date] = mapped_column("obtained_on")
    name: Mapped[str] = mapped_column(Text)


class SkillClaimRow(ItemBase):
    __tablename__ = "skill_claims"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 7", name="level_range"),)

    item: Mapped[str] = mapped_column(Ref)
    field: Mapped[str] = mapped_column(Ref)
    level: Mapped[int] = mapped_column(SmallInteger)


class AttestationRow(ItemBase):
    """A person's confirmation of a criterion or of a skill proficiency."""

    __tablename__ = "attestations"
    __table_args__ = (
        CheckConstraint("(criterion IS NULL) <> (skill_item IS NULL)", name="one_target"),
        CheckConstraint(
            "skill_item IS NULL OR (field IS NOT NULL AND level IS NOT NULL)", name="skill_complete"
        ),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 7", name="level_range"),
        _not_blank("attested_by"),
    )

    by: Mapped[str] = mapped_column("attested_by", Name)
    date: Mapped[dt.date] = mapped_column("attested_on")
    criterion: Mapped[str | None] = mapped_column(Ref)
    skill_item: Mapped[str | None] = mapped_column(Ref)
    field: Mapped[str | None] = mapped_column(Ref)
    level: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str] = mapped_column(Text)


# -- assessments -------------------------------------------------------------------------------


class AssessmentRun(Base):
    """One pass of the evaluator: which framework and policy, when, as on which date."""

    __tablename__ = "assessment_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime]
    started_by: Mapped[str] = mapped_column(Name)
    as_of: Mapped[dt.date]
    framework_version: Mapped[str] = mapped_column(String(64))
    policy_name: Mapped[str] = mapped_column(Name)
    policy_readings: Mapped[dict[str, Any]]
    engine_version: Mapped[str] = mapped_column(String(16))


# Only the snapshot and its codec together, or neither.
_SNAPSHOT_WITH_CODEC = "(snapshot IS NULL) = (codec IS NULL)"


class AssessmentRow(Base):
    """An immutable assessment of one person: the revision that was read, and either every
    explained verdict (the snapshot) or none, the levels alone (in `assessment_levels`)."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("run_id", "person_id"),
        Index(None, "person_id", "run_id"),
        # What a standing refers to: an assessment with its person (schema 0014).
        Index(None, "id", "person_id", unique=True),
        CheckConstraint(_in("codec", CODECS), name="known_codec"),
        CheckConstraint(_SNAPSHOT_WITH_CODEC, name="snapshot_with_codec"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_runs.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("person_revisions.id"))
    # `itss.io.snapshot` form (every verdict with its structured reason, rendered on demand
    # in either language against the framework version of the run), compressed by `codec`
    # (`itss.store.codec`): ~6.5 KB of JSON per person becomes ~1.2 KB. None in a run that
    # kept levels alone: the run names its framework, policy and engine version, the row its
    # evidence revision, so the verdicts are made again, exactly, when asked for; building
    # and encoding them was 40% of the time of a run.
    snapshot: Mapped[bytes | None] = mapped_column(LargeBinary)
    codec: Mapped[str | None] = mapped_column(String(8))


class AssessmentLevel(Base):
    """One field's levels from a snapshot: the rows skill maps and distributions read."""

    __tablename__ = "assessment_levels"
    __table_args__ = (
        CheckConstraint(f"level {LEVEL_RANGE}", name="level_range"),
        CheckConstraint(f"provisional_level {LEVEL_RANGE}", name="provisional_range"),
        CheckConstraint("provisional_level >= level", name="provisional_not_below"),
    )

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    field: Mapped[str] = mapped_column(Ref, primary_key=True)
    category: Mapped[str] = mapped_column(Ref)
    level: Mapped[int] = mapped_column(SmallInteger)
    provisional_level: Mapped[int] = mapped_column(SmallInteger)


class Standing(Base):
    """Each person's latest assessment of all (the latest as-of date, then the latest run),
    kept as runs are stored (schema 0012), with the unit that assessment saw them in: what a
    question about everyone now reads instead of looking among every assessment for it."""

    __tablename__ = "standings"
    __table_args__ = (
        # The standing assessment is one of the person's own (schema 0014). Nothing indexes
        # it: every run changes it for everyone, and PostgreSQL then updates the row within
        # its page (a HOT update, into the room the fill factor leaves), where an indexed
        # value made it add an entry to each index and leave the old row to vacuum: at 1.3
        # million people, 2.6 million dead rows after two runs.
        ForeignKeyConstraint(
            ["assessment_id", "person_id"], ["assessments.id", "assessments.person_id"]
        ),
        {"postgresql_with": {"fillfactor": FILL_FACTOR}},
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    assessment_id: Mapped[int]
    as_of: Mapped[dt.date]
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)


class StandingCount(Base):
    """How many people's standing assessment is at a level of a field, by the unit it saw
    them in (schema 0012): the whole organisation's distribution is a sum of these, where
    counting a million people's levels took seconds. Leavers stay counted; a reader takes
    them out for the day it asks about (leave dates may lie ahead)."""

    __tablename__ = "standing_counts"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "field", "level"),
        # NULLs are distinct to both databases, so the constraint above lets the people
        # without a unit be counted twice at one level of a field: this refuses it (0015).
        Index(
            "uq_standing_counts_unitless_field_level",
            "field",
            "level",
            unique=True,
            sqlite_where=text("org_unit_id IS NULL"),
            postgresql_where=text("org_unit_id IS NULL"),
        ),
        CheckConstraint(f"level {LEVEL_RANGE}", name="level_range"),
        CheckConstraint("people > 0", name="people_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    field: Mapped[str] = mapped_column(Ref)
    level: Mapped[int] = mapped_column(SmallInteger)
    people: Mapped[int]


# -- staffing targets --------------------------------------------------------------------------


class Target(Base):
    """How many people an org unit wants at a level (or above) in a field, for a period."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "field", "level", "valid_from"),
        CheckConstraint("level BETWEEN 1 AND 7", name="level_range"),
        CheckConstraint("wanted >= 0", name="wanted_non_negative"),
        CheckConstraint(_ordered("valid_from", "valid_to"), name="valid_to_after_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    field: Mapped[str] = mapped_column(Ref)
    level: Mapped[int] = mapped_column(SmallInteger)
    wanted: Mapped[int]
    valid_from: Mapped[dt.date]
    valid_to: Mapped[dt.date | None]
    recorded_at: Mapped[dt.datetime]
    recorded_by: Mapped[str] = mapped_column(Name)


# -- accounts, credentials and the audit trail ---------------------------------------------------

ROLES_OF_ACCOUNTS = ("member", "manager", "office", "admin")
CREDENTIAL_KINDS = ("session", "token")


class Account(Base):
    """Someone who signs in. A member is a person of the organisation; a manager manages an
    org unit (and the units below it); the skills office and admins act on everyone."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES_OF_ACCOUNTS), name="known_role"),
        CheckConstraint("role <> 'member' OR person_id IS NOT NULL", name="member_is_a_person"),
        CheckConstraint("role <> 'manager' OR org_unit_id IS NOT NULL", name="manager_has_unit"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_non_negative"),
        CheckConstraint("length(username) BETWEEN 1 AND 100", name="username_length"),
        CheckConstraint("lang IS NULL OR lang IN ('ja', 'en')", name="known_lang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(Name)
    role: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), unique=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool]
    failed_logins: Mapped[int]
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    lang: Mapped[str | None] = mapped_column(String(2))  # the pages' language, once chosen


class Credential(Base):
    """A session (from a login in the pages) or an API token: only its SHA-256 digest is kept,
    so that a copy of the database opens no account."""

    __tablename__ = "credentials"
    __table_args__ = (
        CheckConstraint(_in("kind", CREDENTIAL_KINDS), name="known_kind"),
        CheckConstraint("kind <> 'session' OR csrf IS NOT NULL", name="session_has_csrf"),
        Index(None, "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(Name)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class AuditEvent(Base):
    """One change, by whom and when, with what it was before and after. Appended in the same
    transaction as the change; never updated or deleted (triggers refuse both)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index(None, "at"), Index(None, "resource", "resource_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(Name)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    action: Mapped[str] = mapped_column(String(100))
    resource: Mapped[str] = mapped_column(String(100))
    resource_id: Mapped[str] = mapped_column(Ref)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


# -- reviews -------------------------------------------------------------------------------------

REVIEW_STATES = ("submitted", "approved", "returned", "withdrawn", "invalidated")
DECISIONS = ("attested", "rejected")


class Review(Base):
    """A person's evidence (one revision) submitted for review, and what became of it."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint(_in("state", REVIEW_STATES), name="known_state"),
        CheckConstraint(
            "(state IN ('submitted', 'withdrawn', 'invalidated')) = (decided_at IS NULL)",
            name="decided_when_approved_or_returned",
        ),
        # At most one open review per person, whatever two writers do at once.
        Index(
            "uq_reviews_one_open",
            "person_id",
            unique=True,
            sqlite_where=text("state = 'submitted'"),
            postgresql_where=text("state = 'submitted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("person_revisions.id"))
    as_of: Mapped[dt.date]
    state: Mapped[str] = mapped_column(String(20))
    submitted_by: Mapped[str] = mapped_column(Name)
    submitted_by_account: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    submitted_at: Mapped[dt.datetime]
    decided_by: Mapped[str | None] = mapped_column(Name)
    decided_by_account: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[dt.datetime | None]
    comment: Mapped[str] = mapped_column(Text)


class ReviewDecision(Base):
    """A reviewer's attestation or rejection of one criterion of a review: by their account."""

    __tablename__ = "review_decisions"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion"),
        CheckConstraint(_in("decision", DECISIONS), name="known_decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    criterion: Mapped[str] = mapped_column(Ref)
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[dt.datetime]


class ReviewEvent(Base):
    """One transition of a review, by whom and why."""

    __tablename__ = "review_events"
    __table_args__ = (
        CheckConstraint(_in("to_state", REVIEW_STATES), name="known_state"),
        Index(None, "review_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(Name)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text)


class OfficialLevel(Base):
    """A person's official level in a field, given by an approved review, as on its day."""

    __tablename__ = "official_levels"
    __table_args__ = (
        UniqueConstraint("review_id", "field"),
        CheckConstraint(f"level {LEVEL_RANGE}", name="level_range"),
        Index(None, "person_id", "on_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    field: Mapped[str] = mapped_column(Ref)
    level: Mapped[int] = mapped_column(SmallInteger)
    on: Mapped[dt.date] = mapped_column("on_day")


class OfficialAssessment(Base):
    """The assessment an approved review made official, with every explained verdict as it
    was made: an official level stays explained whatever the engine becomes."""

    __tablename__ = "official_assessments"
    __table_args__ = (CheckConstraint(_in("codec", CODECS), name="known_codec"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), primary_key=True)
    framework_version: Mapped[str] = mapped_column(String(64))
    policy_name: Mapped[str] = mapped_column(Name)
    policy_readings: Mapped[dict[str, Any]]
    engine_version: Mapped[str] = mapped_column(String(16))
    snapshot: Mapped[bytes] = mapped_column(LargeBinary)  # as in `AssessmentRow`
    codec: Mapped[str] = mapped_column(String(8))


# -- background jobs -------------------------------------------------------------------------------

JOB_KINDS = ("assess_all", "import_check", "import_apply", "impact")
JOB_STATES = ("queued", "running", "done", "failed")


class Job(Base):
    """Long work done outside a request (a run of everyone, an import): what was asked, by
    whom, how far it is, and what came of it. The queue that runs it is not here: on SQLite
    the server's worker process, on PostgreSQL procrastinate's tables."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(_in("kind", JOB_KINDS), name="known_kind"),
        CheckConstraint(_in("state", JOB_STATES), name="known_state"),
        CheckConstraint("done >= 0 AND total >= 0", name="progress_non_negative"),
        CheckConstraint("(state = 'failed') = (error IS NOT NULL)", name="error_when_failed"),
        Index(None, "created_by_account", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(10))
    done: Mapped[int]
    total: Mapped[int]
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(Name)
    created_by_account: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]


class JobFile(Base):
    """A file uploaded for a job (an import), kept in the database so that a worker on any
    host can read it."""

    __tablename__ = "job_files"
    __table_args__ = (UniqueConstraint("job_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"))
    name: Mapped[str] = mapped_column(Name)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class FrameworkFile(Base):
    """A tailored framework file an admin uploaded: kept whole, never changed, so that any
    framework the organisation has used can be built again."""

    __tablename__ = "framework_files"
    __table_args__ = (
        CheckConstraint("length(digest) = 64", name="digest_is_sha256"),
        CheckConstraint("name <> ''", name="name_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Name)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[dt.datetime]
    uploaded_by: Mapped[str] = mapped_column(Name)


class FrameworkAdoption(Base):
    """The organisation's step to a framework: the tailored files it adds to the built-in
    one, in order, and the version that gives. The latest adoption is the framework in use;
    assessments keep the version they were made with."""

    __tablename__ = "framework_adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    files: Mapped[list[int]]  # framework_files ids, in loading order (none: built-in only)
    version: Mapped[str] = mapped_column(String(64))
    adopted_at: Mapped[dt.datetime]
    adopted_by: Mapped[str] = mapped_column(Name)
