"""The organisation's views: skill map, level distribution, staffing targets and gaps."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

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
        return views.skill_map(session, day=day, unit=unit)


def distribution(ctx: Context, run_id: int) -> dict[str, Counter[int]]:
    """How many people of a run reached each level, by field."""
    with ctx.ready.transaction() as session:
        return views.distribution(session, run_id)


def add_targets(ctx: Context, records: list[TargetRecord]) -> None:
    """Record staffing targets (never edited: a later start date supersedes)."""
    fields = set(ctx.framework.fields)
    change = ctx.change("targets")
    ctx.ready.run(lambda s: targets.add_targets(s, records, change, fields=fields))


def targets_on(ctx: Context, day: dt.date) -> list[TargetRecord]:
    with ctx.ready.transaction() as session:
        return targets.targets_on(session, day)


def gaps(ctx: Context, day: dt.date) -> list[Gap]:
    """Each target in force on `day` against the people who have the level."""
    with ctx.ready.transaction() as session:
        return targets.gaps(session, day)


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
