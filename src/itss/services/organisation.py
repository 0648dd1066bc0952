"""The organisation's views: skill map, level distribution, staffing targets and gaps."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from itss.errors import ItssError
from itss.services import access, audit
from itss.services.context import Context
from itss.store import migrate, org, people, targets, views
from itss.store.database import shown
from itss.store.targets import Gap, TargetRecord
from itss.store.views import SkillRow


def skill_map(
    ctx: Context, *, day: dt.date | None = None, unit: str | None = None
) -> list[SkillRow]:
    """Everyone assessed (or only `unit` and the units below it), levels by field."""
    with ctx.ready.transaction() as session:
        shown = access.view_unit(ctx, session, unit)
        return views.skill_map(session, day=day, unit=shown)


def skill_map_page(
    ctx: Context,
    *,
    day: dt.date | None,
    unit: str | None,
    offset: int,
    limit: int,
    by_field: str | None = None,
) -> tuple[int, list[SkillRow]]:
    """(how many, one page) of the skill map, by ref or by the level in one field."""
    if by_field is not None and by_field not in ctx.framework.fields:
        raise ItssError(key="framework.unknown", values={"kind": "field", "id": by_field})
    with ctx.ready.transaction() as session:
        shown = access.view_unit(ctx, session, unit)
        return views.skill_map_page(
            session, day=day, unit=shown, offset=offset, limit=limit, by_field=by_field
        )


def distribution(ctx: Context, run_id: int) -> dict[str, Counter[int]]:
    """How many people of a run reached each level, by field."""
    access.require_role(ctx, *access.EVERYONE)
    with ctx.ready.transaction() as session:
        return views.distribution(session, run_id)


def add_targets(ctx: Context, records: list[TargetRecord]) -> None:
    """Record staffing targets (never edited: a later start date supersedes)."""
    access.require_role(ctx, *access.EVERYONE)
    fields = set(ctx.framework.fields)
    change = ctx.change("targets")

    def write(session: Session) -> None:
        targets.add_targets(session, records, change, fields=fields)
        for target in records:
            after = {k: str(v) if isinstance(v, dt.date) else v for k, v in asdict(target).items()}
            key = f"{target.unit}/{target.field}/{target.level}"
            audit.record(session, ctx, "target:add", "target", key, after=after)

    ctx.ready.run(write)


def targets_on(ctx: Context, day: dt.date) -> list[TargetRecord]:
    access.require_role(ctx, *access.EVERYONE)
    with ctx.ready.transaction() as session:
        return targets.targets_on(session, day)


def gaps(ctx: Context, day: dt.date, *, unit: str | None = None) -> list[Gap]:
    """Each target in force on `day` (of `unit` and the units below it) against the people
    who have the level."""
    access.require_role(ctx, *access.EVERYONE)
    with ctx.ready.transaction() as session:
        return targets.gaps(session, day, unit)


@dataclass(frozen=True)
class Status:
    """What the database holds, for `itss db status`."""

    url: str
    exists: bool
    schema: str | None
    head: str
    units: int = 0
    people: int = 0
    runs: int = 0
    latest_run: views.RunLine | None = None

    @property
    def current(self) -> bool:
        return self.schema == self.head


def status(ctx: Context) -> Status:
    """The database's schema revision and how much it holds; never creates anything."""
    store, head = ctx.store, migrate.head()
    url = shown(store.url)
    if store.missing:
        return Status(url, False, None, head)
    schema = migrate.current(store)
    if schema != head:
        return Status(url, True, schema, head)
    with store.transaction() as session:
        runs = views.runs(session)
        return Status(
            url,
            True,
            schema,
            head,
            len(org.tree(session)),
            people.count(session),
            len(runs),
            runs[-1] if runs else None,
        )


def level_distribution(
    ctx: Context, *, day: dt.date | None = None, unit: str | None = None
) -> dict[str, dict[int, int]]:
    """How many people of the skill map (of `unit`, as on `day`) are at each level, by field."""
    with ctx.ready.transaction() as session:
        shown = access.view_unit(ctx, session, unit)
        return views.level_counts(session, day=day, unit=shown)


@dataclass(frozen=True)
class TrendPoint:
    """One run: its day, and how many people it found at each level, by field."""

    run_id: int
    as_of: dt.date
    levels: dict[str, dict[int, int]]


def trend(ctx: Context, *, unit: str | None = None, field: str | None = None) -> list[TrendPoint]:
    """People per level over the runs, in the order of the days they assessed (a run of a
    past day made later comes before the later days), of `unit` and the units below it."""
    points = []
    with ctx.ready.transaction() as session:
        shown = access.view_unit(ctx, session, unit)
        codes: set[str | None] | None = (
            set(org.codes_below(session, shown)) if shown is not None else None
        )
        for run in sorted(views.runs(session), key=lambda r: (r.as_of, r.run_id)):
            by_unit = views.unit_distribution(session, run.run_id)
            points.append(TrendPoint(run.run_id, run.as_of, _merged(by_unit, codes, field)))
    return points


def _merged(
    by_unit: dict[str | None, dict[str, Counter[int]]],
    codes: set[str | None] | None,
    field: str | None,
) -> dict[str, dict[int, int]]:
    total: dict[str, Counter[int]] = {}
    for code, fields in by_unit.items():
        if codes is None or code in codes:
            for fld, counts in fields.items():
                if field is None or fld == field:
                    total.setdefault(fld, Counter()).update(counts)
    return {fld: dict(sorted(c.items())) for fld, c in sorted(total.items())}
