"""The impact of another framework or policy on the organisation: everyone's current
evidence assessed both ways, nothing written, and who would change level in which field.

"The criterion that makes the difference" is, for a level lost, what the new framework finds
unmet at the old level; for a level gained, what the framework in use found unmet at the new
level (and the new framework does not ask, or asks less of)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.engine.evaluate import Evaluator
from itss.engine.evidence import Evidence
from itss.engine.policy import Policy
from itss.engine.result import Assessment
from itss.i18n import tr
from itss.io.documents import read_policy
from itss.services import access, framework
from itss.services.context import Context
from itss.store import org, people


@dataclass(frozen=True)
class LevelChange:
    ref: str
    name: str
    unit: str | None
    field: str
    before: int
    after: int
    criteria: tuple[str, ...]  # ids, in `Impact.after` for a loss, in `Impact.before` for a gain
    # The field of the framework in use whose level `before` is, where the other framework
    # put `field` in its place (`succeeds`); None: the same field.
    was_in: str | None = None

    @property
    def up(self) -> bool:
        return self.after > self.before


Judges = tuple[Evaluator, Evaluator]  # the framework and policy in use, and the other


@dataclass(frozen=True)
class Impact:
    before: Catalogue
    after: Catalogue
    before_policy: str
    after_policy: str
    as_of: dt.date
    people: int
    changes: list[LevelChange]


def _carried(old: Assessment, successors: dict[str, str]) -> dict[str, tuple[int, str]]:
    """Each field's level in the framework in use, as (level, the field it is in): a field
    the other framework replaced by a successor carries its level to the successor, where it
    is the higher."""
    found = {f.field: (f.level, f.field) for f in old.fields if f.field not in successors}
    for result in old.fields:
        heir = successors.get(result.field)
        if heir is not None and result.level > found.get(heir, (0, heir))[0]:
            found[heir] = (result.level, result.field)
    return found


def _changes(
    evidence: Evidence, unit: str | None, old: Assessment, new: Assessment, judges: Judges
) -> list[LevelChange]:
    before = _carried(old, judges[1].catalogue.successors)
    after = {f.field: f.level for f in new.fields}
    found = []
    for field_id in sorted(before.keys() | after.keys()):
        (was, origin), now = before.get(field_id, (0, field_id)), after.get(field_id, 0)
        if was == now:
            continue
        # A level lost: why the new framework refuses the old level; gained: why the
        # framework in use refused the new one (in the field that held the old level).
        judge, level, judged = (judges[1], was, field_id) if now < was else (judges[0], now, origin)
        missing = judge.unmet_at(evidence, old.as_of, judged, level)
        criteria = tuple(v.criterion for v in missing)
        moved = origin if origin != field_id else None
        found.append(
            LevelChange(evidence.person.id, old.name, unit, field_id, was, now, criteria, moved)
        )
    return found


def _codes(ctx: Context, unit: str | None) -> set[str] | None:
    """The codes of the unit and the units below it (None: everyone the actor may see)."""
    with ctx.ready.transaction() as session:
        shown = access.view_unit(ctx, session, unit)
        return None if shown is None else org.codes_below(session, shown)


def impact(
    ctx: Context,
    target: Catalogue,
    policy: Policy,
    *,
    unit: str | None = None,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
) -> Impact:
    """Everyone (of `unit` and below) assessed as on `as_of` by the framework in use and by
    framework `target` under `policy`; who would change level. Nothing is written."""
    access.require_role(ctx, *access.EVERYONE)
    before, after = ctx.evaluator, Evaluator(target, policy)
    codes, count, changes = _codes(ctx, unit), 0, []
    with ctx.ready.transaction() as session:
        for chunk in people.iterate(session):
            for stored in chunk:
                record = stored.record
                gone = record.left_on is not None and record.left_on <= as_of
                if gone or (codes is not None and record.org_unit not in codes):
                    continue
                count += 1
                changes.extend(_compare(before, after, record.evidence, record.org_unit, as_of))
            if progress is not None:
                progress(len(chunk))
    return Impact(ctx.framework, target, ctx.policy.name, policy.name, as_of, count, changes)


def of_named(
    ctx: Context, new: str, *, policy: Path | None, unit: str | None, as_of: dt.date
) -> Impact:
    """`impact` of framework `new` (`builtin`, `adopted` or a file) under the policy file
    `policy` (default: the policy in use)."""
    target = framework.named(ctx, new)
    chosen = read_policy(policy, target) if policy else ctx.policy
    return impact(ctx, target, chosen, unit=unit, as_of=as_of)


def as_dict(found: Impact) -> dict[str, Any]:
    """The report as plain data (JSON, a job's result)."""
    return {
        "as_of": found.as_of.isoformat(),
        "people": found.people,
        "before": {"version": found.before.version, "policy": found.before_policy},
        "after": {"version": found.after.version, "policy": found.after_policy},
        "changes": [
            {
                "person": c.ref,
                "name": c.name,
                "unit": c.unit,
                "field": c.field,
                **({"was_in": c.was_in} if c.was_in else {}),
                "before": c.before,
                "after": c.after,
                "criteria": list(c.criteria),
            }
            for c in found.changes
        ],
    }


def _compare(
    before: Evaluator, after: Evaluator, evidence: Evidence, unit: str | None, day: dt.date
) -> list[LevelChange]:
    old, new = before.assess(evidence, day), after.assess(evidence, day)
    return _changes(evidence, unit, old, new, (before, after))


def table(found: Impact, lang: str) -> tuple[list[str], list[list[object]]]:
    """The report as one table (for the screen and the files alike): a line per change,
    the deciding criteria as "id: text" in `lang`."""
    header = [
        tr("heading.person", lang),
        tr("heading.name", lang),
        tr("heading.unit", lang),
        tr("heading.field", lang),
        tr("heading.before", lang),
        tr("heading.after", lang),
        tr("heading.change", lang),
        tr("heading.criterion", lang),
    ]
    rows: list[list[object]] = []
    for change in found.changes:
        deciding = found.before if change.up else found.after
        texts = [
            f"{c}: {deciding.criteria[c].text.get(lang)}" if c in deciding.criteria else c
            for c in change.criteria
        ]
        word = tr("impact.up" if change.up else "impact.down", lang)
        field_name = _field_name(found, change.field, lang)
        if change.was_in is not None:  # the level was in the field this one took over
            field_name = f"{_field_name(found, change.was_in, lang)} → {field_name}"
        rows.append(
            [
                change.ref,
                change.name,
                change.unit or "",
                field_name,
                change.before,
                change.after,
                word,
                "\n".join(texts),
            ]
        )
    return header, rows


def _field_name(found: Impact, field_id: str, lang: str) -> str:
    named = found.after.fields.get(field_id) or found.before.fields.get(field_id)
    return named.name.get(lang) if named else field_id
