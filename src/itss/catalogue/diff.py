"""What changed from one framework to another: fields and criteria added, removed and
changed, matched by their stable ids.

A criterion "changed" when anything that decides or says what it asks changed: its section,
either text, its rule (thresholds, counts, kinds), its concept, whether it is attested or
informational, or its list of items. Sources and notes describe the data, not the standard,
and are not compared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Criterion, SpecialtyField

Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    field: str
    change: Change
    parts: tuple[str, ...]  # of a changed field: "name", "levels", "category", "succeeds"
    old: SpecialtyField | None
    new: SpecialtyField | None


@dataclass(frozen=True)
class CriterionChange:
    criterion: str
    owner: str  # the field of its level (or the fields a common level serves, joined by ",")
    level: int
    change: Change
    parts: tuple[str, ...]  # of a changed criterion: "section", "text.ja", "rule", ...
    old: Criterion | None
    new: Criterion | None


@dataclass(frozen=True)
class FrameworkDiff:
    old_version: str
    new_version: str
    fields: list[FieldChange]
    criteria: list[CriterionChange]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.criteria


def _field_parts(old: Catalogue, new: Catalogue, field_id: str) -> tuple[str, ...]:
    before, after = old.fields[field_id], new.fields[field_id]
    parts = [
        ("name", before.name != after.name),
        ("levels", before.levels != after.levels),
        ("category", old.field_category[field_id] != new.field_category[field_id]),
        ("succeeds", before.succeeds != after.succeeds),
    ]
    return tuple(name for name, differs in parts if differs)


def _criterion_parts(before: Criterion, after: Criterion) -> tuple[str, ...]:
    parts = [
        ("section", before.section != after.section),
        ("text.ja", before.text.ja != after.text.ja),
        ("text.en", before.text.en != after.text.en),
        ("rule", before.rule != after.rule),
        ("concept", before.concept != after.concept),
        ("attestation", before.attestation != after.attestation),
        ("informational", before.informational != after.informational),
        ("items", [i.id for i in before.items] != [i.id for i in after.items]),
    ]
    return tuple(name for name, differs in parts if differs)


def _place(catalogue: Catalogue, criterion_id: str) -> tuple[str, int]:
    level = catalogue.criterion_level[criterion_id]
    return level.field or ",".join(level.common_to), level.level


def _fields(old: Catalogue, new: Catalogue) -> list[FieldChange]:
    found = []
    for field_id in sorted(old.fields.keys() | new.fields.keys()):
        if field_id not in new.fields:
            found.append(FieldChange(field_id, "removed", (), old.fields[field_id], None))
        elif field_id not in old.fields:
            found.append(FieldChange(field_id, "added", (), None, new.fields[field_id]))
        elif parts := _field_parts(old, new, field_id):
            found.append(
                FieldChange(field_id, "changed", parts, old.fields[field_id], new.fields[field_id])
            )
    return found


def _criteria(old: Catalogue, new: Catalogue) -> list[CriterionChange]:
    found = []
    for criterion_id in old.criteria.keys() | new.criteria.keys():
        before, after = old.criteria.get(criterion_id), new.criteria.get(criterion_id)
        owner, number = _place(new if after else old, criterion_id)
        if after is None:
            found.append(CriterionChange(criterion_id, owner, number, "removed", (), before, None))
        elif before is None:
            found.append(CriterionChange(criterion_id, owner, number, "added", (), None, after))
        elif parts := _criterion_parts(before, after):
            found.append(
                CriterionChange(criterion_id, owner, number, "changed", parts, before, after)
            )
    return sorted(found, key=lambda c: (c.owner, c.level, c.criterion))


def diff(old: Catalogue, new: Catalogue) -> FrameworkDiff:
    """Every field and criterion added, removed or changed from `old` to `new`."""
    return FrameworkDiff(old.version, new.version, _fields(old, new), _criteria(old, new))
