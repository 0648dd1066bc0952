"""The one mapping between a person's `Evidence` lists and the evidence tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    ColumnElement,
    Text,
    cast,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from itss.engine.evidence import (
    Activity,
    Attestation,
    Engagement,
    Expertise,
    Mentoring,
    Qualification,
    SkillClaim,
)
from itss.store.bulk import bulk_insert
from itss.store.database import Query
from itss.store.models import (
    ActivityRow,
    AttestationRow,
    EngagementRow,
    ExpertiseRow,
    ItemBase,
    MentoringRow,
    QualificationRow,
    SkillClaimRow,
)

# revision id -> Evidence list name -> items as dicts of the model's fields
Items = dict[int, dict[str, list[dict[str, Any]]]]


@dataclass(frozen=True, eq=False)  # identity is enough: there is one of each
class ItemKind:
    """One list of `Evidence` (e.g. "engagements") and the table that stores it."""

    attr: str
    table: type[ItemBase]
    model: type[BaseModel]
    renamed: Mapping[str, str] = field(default_factory=dict)  # model field -> table attribute

    @property
    def fields(self) -> list[str]:
        return list(self.model.model_fields)

    @cached_property
    def column_names(self) -> dict[str, str]:
        """Model field -> the column's name in the table (`start` is stored as start_date)."""
        columns = self.table.__mapper__.columns
        return {f: columns[self.renamed.get(f, f)].name for f in self.fields}

    def row(self, item: BaseModel, revision_id: int) -> dict[str, Any]:
        """The item as a row for a Core INSERT (keyed by column name)."""
        names = self.column_names
        # vars(), not model_dump(): the fields are plain values already, and this is per row.
        values = {names[k]: v for k, v in vars(item).items()}
        values["revision_id"] = revision_id
        return values

    def insert(self, session: Session, rows: list[dict[str, Any]]) -> None:
        bulk_insert(session, self.table, rows)

    def select(self, revisions: ColumnElement[bool]) -> Query:
        # The driver's own values (ISO dates, 0/1 on SQLite; JSON always as its text, parsed
        # here with orjson): `Evidence` validates every item anyway, and SQLAlchemy's per-value
        # result processing would double the cost of reading a whole organisation.
        columns = [self._raw(getattr(self.table, self.renamed.get(f, f))) for f in self.fields]
        return select(self.table.revision_id, *columns).where(revisions).order_by(self.table.id)

    @staticmethod
    def _raw(column: Any) -> ColumnElement[Any]:
        if isinstance(column.type, JSON):
            return type_coerce(cast(column, Text), NullType())
        return type_coerce(column, NullType())

    @cached_property
    def json_fields(self) -> list[str]:
        """Fields stored as JSON, which the driver may hand back as text."""
        columns = self.table.__mapper__.columns
        return [f for f in self.fields if isinstance(columns[self.renamed.get(f, f)].type, JSON)]


KINDS = (
    ItemKind("engagements", EngagementRow, Engagement, {"id": "ref"}),
    ItemKind("expertise", ExpertiseRow, Expertise),
    ItemKind("succession", ActivityRow, Activity),
    ItemKind("mentoring", MentoringRow, Mentoring),
    ItemKind("qualifications", QualificationRow, Qualification, {"id": "ref"}),
    ItemKind("skills", SkillClaimRow, SkillClaim),
    ItemKind("attestations", AttestationRow, Attestation),
)
BY_ATTR = {kind.attr: kind for kind in KINDS}


ItemQueries = list[tuple[ItemKind, Query]]


def item_queries(revision_ids: Query) -> ItemQueries:
    """The statements that read every evidence item of the revisions `revision_ids` selects.

    A subquery rather than a list of ids: no bound-parameter limits, and the database joins.
    """
    return [(kind, kind.select(kind.table.revision_id.in_(revision_ids))) for kind in KINDS]


def read_items(session: Session, queries: ItemQueries, params: Mapping[str, Any]) -> Items:
    """The items those statements read, in recorded order, by revision id."""
    found: Items = defaultdict(lambda: {kind.attr: [] for kind in KINDS})
    connection = session.connection()  # plain rows: the ORM adds nothing to tuples of values
    for kind, query in queries:
        names = kind.fields
        decode = kind.json_fields
        for revision_id, *values in connection.execute(query, params).all():
            item = dict(zip(names, values, strict=True))
            for name in decode:
                if isinstance(item[name], str):
                    item[name] = orjson.loads(item[name])
            found[revision_id][kind.attr].append(item)
    return found


# A JSON object and an array of objects, in each dialect's functions.
_OBJECT = {"sqlite": func.json_object, "postgresql": func.json_build_object}


def json_document(dialect: str, person: Mapping[str, Any], revision_id: Any) -> ColumnElement[str]:
    """The evidence of the revision `revision_id` as one JSON text, assembled by the database:
    `person` (the person's own values by key) and each list, its items in recorded order.

    For reading everyone: building each item's dict in Python and validating it as Python
    took twice as long as validating the one text in pydantic's own JSON parser."""
    make = _OBJECT[dialect]
    pairs: list[Any] = [_key("person"), make(*_pairs(person))]
    for kind in KINDS:
        pairs += [_key(kind.attr), _json_list(dialect, kind, revision_id)]
    return cast(make(*pairs), Text)


def _key(name: str) -> ColumnElement[str]:
    # A literal, not a bound value: PostgreSQL cannot type a bound value in json_build_object.
    return literal_column(f"'{name}'")


def _pairs(values: Mapping[str, Any]) -> list[Any]:
    return [part for name, value in values.items() for part in (_key(name), value)]


def _json_list(dialect: str, kind: ItemKind, revision_id: Any) -> Any:
    table, make = kind.table, _OBJECT[dialect]
    if dialect == "postgresql":
        columns = {f: getattr(table, kind.renamed.get(f, f)) for f in kind.fields}
        item = make(*_pairs(columns))
        items = func.json_agg(item).aggregate_order_by(table.id)
        found = select(func.coalesce(items, literal_column("'[]'::json")))
        return found.where(table.revision_id == revision_id).scalar_subquery()
    # SQLite keeps JSON as text (json() embeds it as JSON, not as a string), and aggregates
    # the rows of a subquery in its order (its version here has no ORDER BY in aggregates).
    ordered = (
        select(table)
        .where(table.revision_id == revision_id)
        .order_by(table.id)
        .correlate_except(table)  # a subquery in FROM names the outer revision only if told
        .subquery()
    )
    row = {f: ordered.c[name] for f, name in kind.column_names.items()}
    columns = {f: func.json(c) if f in kind.json_fields else c for f, c in row.items()}
    return select(func.json_group_array(make(*_pairs(columns)))).scalar_subquery()


def load_items(session: Session, revision_ids: Query) -> Items:
    """Every evidence item of the revisions `revision_ids` selects, in recorded order."""
    return read_items(session, item_queries(revision_ids), {})
