"""What the API sends and receives, as pydantic models (and so as its OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from itss.engine.evidence import Evidence
from itss.io.report import AssessmentReport

T = TypeVar("T")
Limit = Annotated[int, Field(ge=1, le=500)]


class Page(BaseModel, Generic[T]):
    total: int
    offset: int
    limit: int
    items: list[T]


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class TokenRequest(Credentials):
    name: Annotated[str, StringConstraints(min_length=1, max_length=300)] = "api"


class Me(BaseModel):
    username: str
    role: str
    person: str | None
    unit: str | None


class SessionOut(Me):
    csrf_token: str
    expires_at: dt.datetime | None


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class NewToken(TokenOut):
    token: str  # shown this once


class Localized(BaseModel):
    text: str  # in the language asked for (the source's Japanese where no English exists)
    ja: str
    en: str | None


class Source(BaseModel):
    file: str
    line: int


class CriterionOut(BaseModel):
    id: str
    section: str
    text: Localized
    sources: list[Source]
    attestation: bool
    informational: bool
    items: list[CriterionOut]


class LevelOut(BaseModel):
    field: str
    level: int
    id: str
    common: bool
    sources: list[Source]
    criteria: list[CriterionOut]


class FieldOut(BaseModel):
    id: str
    category: str
    name: Localized
    levels: list[int]
    sources: list[Source]


class CategoryOut(BaseModel):
    id: str
    edition: str
    name: Localized
    fields: list[FieldOut]


class FrameworkOut(BaseModel):
    version: str
    categories: list[CategoryOut]


class PersonLineOut(BaseModel):
    ref: str
    name: str
    name_en: str | None
    org_unit: str | None
    left_on: dt.date | None
    revision: int


class PersonOut(BaseModel):
    ref: str
    org_unit: str | None
    left_on: dt.date | None
    revision: int
    recorded_at: dt.datetime
    recorded_by: str
    evidence: Evidence


class UnitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=300)]
    name_en: Annotated[str | None, Field(max_length=300)] = None
    parent: Annotated[str | None, Field(min_length=1, max_length=100)] = None


class UnitOut(BaseModel):
    code: str
    name: str
    name_en: str | None
    parent: str | None


class NewPerson(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evidence: Evidence
    org_unit: str | None = None


class HistoryOut(BaseModel):
    run_id: int
    as_of: dt.date
    assessed_at: dt.datetime
    framework_version: str
    policy: str
    revision: int
    levels: dict[str, tuple[int, int]]


class SkillRowOut(BaseModel):
    ref: str
    name: str
    org_unit: str | None
    levels: dict[str, tuple[int, int]]


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str
    field: str
    level: Annotated[int, Field(ge=1, le=7)]
    wanted: Annotated[int, Field(ge=0)]
    valid_from: dt.date
    valid_to: dt.date | None = None


class GapOut(BaseModel):
    unit: str
    field: str
    level: int
    wanted: int
    have: int
    short: int


class AuditEventOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    action: str
    resource: str
    resource_id: str
    before: dict[str, object] | None
    after: dict[str, object] | None


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str
    display_name: str
    role: str
    password: str
    person: str | None = None
    unit: str | None = None


class AccountOut(BaseModel):
    username: str
    display_name: str
    role: str
    person: str | None
    unit: str | None
    disabled: bool
    locked_until: dt.datetime | None


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str


class SubmitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: dt.date | None = None  # assessed as on this day (default: today)


class ReviewOut(BaseModel):
    id: int
    ref: str
    name: str
    org_unit: str | None
    revision: int
    as_of: dt.date
    state: str
    submitted_by: str
    submitted_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    comment: str


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["attested", "rejected"]
    comment: Annotated[str, StringConstraints(max_length=2000)] = ""


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: Annotated[str, StringConstraints(max_length=2000)] = ""


class DecisionOut(BaseModel):
    criterion: str
    decision: str
    comment: str
    reviewer: str
    decided_at: dt.datetime


class ReviewEventOut(BaseModel):
    at: dt.datetime
    actor: str
    from_state: str | None
    to_state: str
    comment: str


class ToAttest(BaseModel):
    criterion: str
    text: Localized
    sources: list[Source]


class ReviewDetailOut(BaseModel):
    review: ReviewOut
    evidence: Evidence
    assessment: AssessmentReport
    to_attest: list[ToAttest]
    decisions: list[DecisionOut]
    events: list[ReviewEventOut]


class OfficialOut(BaseModel):
    field: str
    level: int
    on: dt.date
    review_id: int
    approved_by: str


class FieldProblem(BaseModel):
    field: str
    problem: str


class PlaceProblem(BaseModel):
    where: str
    problem: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | list[PlaceProblem] | None = None


def _problem(description: str) -> dict[str, object]:
    # `model` puts Problem among the document's schemas; the content says its media type.
    schema = {"$ref": "#/components/schemas/Problem"}
    content = {"application/problem+json": {"schema": schema}}
    return {"description": description, "model": Problem, "content": content}


# What any route may answer besides its success (every route declares them all: a client
# reads one shape for every error).
PROBLEMS: dict[int | str, dict[str, object]] = {
    400: _problem("the request cannot be done as asked"),
    401: _problem("not signed in, or the session or token is not valid"),
    403: _problem("signed in, but not allowed"),
    404: _problem("no such thing, or nothing you may see by that name"),
    409: _problem("in conflict with the current state"),
    412: _problem("changed since the ETag you sent"),
    422: _problem("the request's content is not valid: `errors` names each field"),
    428: _problem("a change needs If-Match"),
    429: _problem("too many failed sign-ins: see Retry-After"),
    503: _problem("the database is not available or not up to date"),
}


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: dt.date | None = None  # default: today
    unit: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    # Keep every explained verdict, not only the levels: slower, and readable whatever
    # version of the engine reads them (the others are made again when read).
    explained: bool = False


Word = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class ImpactIn(BaseModel):
    """Another framework or policy, whose impact on the organisation a job reports."""

    model_config = ConfigDict(extra="forbid")

    files: Annotated[list[int], Field(max_length=50)] | None = None  # default: the adopted
    readings: Annotated[dict[Word, Word], Field(max_length=50)] = {}  # ambiguity -> reading
    as_of: dt.date | None = None  # default: today
    unit: Word | None = None


class JobOut(BaseModel):
    id: int
    kind: str
    state: Literal["queued", "running", "done", "failed"]
    done: int
    total: int
    result: dict[str, object] | None
    error: str | None  # in the language asked for
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class TrendPointOut(BaseModel):
    run_id: int
    as_of: dt.date
    levels: dict[str, dict[int, int]]  # field -> level -> people


class Paging(BaseModel):
    """?offset=&limit= of a list (beside the list's own parameters)."""

    offset: Annotated[int, Field(ge=0, le=10**9)] = 0
    limit: Limit = 50


def paged(items: list[T], paging: Paging) -> Page[T]:
    """One page of a list a service returned whole (a short one: long lists are paged by
    the database)."""
    chosen = items[paging.offset : paging.offset + paging.limit]
    return Page(total=len(items), offset=paging.offset, limit=paging.limit, items=chosen)
