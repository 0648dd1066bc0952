"""Building the catalogue from parsed framework documents: validate, then check consistency.

Pure: the documents come parsed (reading files is `itss.io.framework`'s work). Every problem
is raised as one `CatalogueError` naming the file, the path inside it (with the ids met on
the way) and what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from itss.catalogue.catalogue import Catalogue, fingerprint
from itss.catalogue.models import Category, Criterion, FrameworkFile, Level
from itss.errors import CatalogueError

RuleChecker = Callable[[dict[str, Any]], None]
"""Checks one rule's parameters; raises ValueError naming the problem."""

_PER_ITEM_KINDS = {"checklist", "expertise", "succession"}


@dataclass(frozen=True)
class Document:
    """One framework file, parsed: its name (for errors), its content and its exact text."""

    name: str
    content: Any
    text: bytes  # what the framework version is a fingerprint of


def build_catalogue(
    documents: Sequence[Document], checkers: Mapping[str, RuleChecker]
) -> Catalogue:
    """The catalogue of these documents, in order; refuse the first inconsistency.

    Every rule is checked against `checkers` (one per known rule kind), so a framework that
    names an unknown kind, or gives a kind wrong parameters, is refused here."""
    if not documents:
        raise CatalogueError("(no files)", "", "no framework file to load")
    categories: dict[str, Category] = {}
    origin: dict[str, str] = {}
    frameworks = []
    for document in documents:
        parsed = _validate(document)
        _merge(parsed, document.name, categories, origin)
        frameworks.append(parsed.framework)
    catalogue = Catalogue(
        categories,
        [d.name for d in documents],
        fingerprint([d.text for d in documents]),
        frameworks=frameworks,
    )
    _check_relations(catalogue, origin)
    _check_rules(catalogue, origin, checkers)
    return catalogue


def _validate(document: Document) -> FrameworkFile:
    raw, name = document.content, document.name
    if not isinstance(raw, dict):
        raise CatalogueError(name, "", "the top level must be a mapping")
    try:
        parsed = FrameworkFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CatalogueError(name, describe_location(raw, first["loc"]), first["msg"]) from None
    _check_file(name, parsed)
    return parsed


def describe_location(raw: Any, loc: Iterable[int | str]) -> str:
    """`categories[0](itsm).levels[2](itsm.x.l4).criteria[1]...`: indices with the ids met."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int):
            parts.append(f"[{step}]")
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parts.append(f"({node['id']})")
        else:
            parts.append(f".{step}" if parts else str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts)


def _merge(
    parsed: FrameworkFile, file: str, categories: dict[str, Category], origin: dict[str, str]
) -> None:
    for replaced in parsed.replaces:
        if replaced not in categories:
            raise CatalogueError(file, "replaces", f"unknown category {replaced!r}")
        del categories[replaced]
    for index, category in enumerate(parsed.categories):
        if category.id in categories:
            raise CatalogueError(
                file,
                f"categories[{index}]({category.id})",
                f"category {category.id!r} is already defined in {origin[category.id]}; "
                "use `replaces:` to tailor it",
            )
        categories[category.id] = category
        origin[category.id] = file


class _Ids:
    """Collects every id of a file, refusing a duplicate with both places."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.seen: dict[str, str] = {}

    def add(self, ident: str, where: str) -> None:
        if ident in self.seen:
            raise CatalogueError(
                self.file, where, f"duplicate id {ident!r} (first used at {self.seen[ident]})"
            )
        self.seen[ident] = where


def _check_file(file: str, parsed: FrameworkFile) -> None:
    ids = _Ids(file)
    for c_index, category in enumerate(parsed.categories):
        where = f"categories[{c_index}]({category.id})"
        ids.add(category.id, where)
        _check_category(file, where, category, ids)


def _check_category(file: str, where: str, category: Category, ids: _Ids) -> None:
    field_levels = {f.id: set(f.levels) for f in category.fields}
    for index, fld in enumerate(category.fields):
        ids.add(fld.id, f"{where}.fields[{index}]({fld.id})")
    defined: dict[tuple[str, int], str] = {}
    for index, level in enumerate(category.levels):
        here = f"{where}.levels[{index}]({level.id})"
        ids.add(level.id, here)
        _check_level(file, here, level, field_levels, defined)
        for c_index, criterion in enumerate(level.criteria):
            _check_criterion(file, f"{here}.criteria[{c_index}]", criterion, ids)
    _check_matrix(file, where, field_levels, defined)
    for index, skill in enumerate(category.skill_items):
        ids.add(skill.id, f"{where}.skill_items[{index}]({skill.id})")
    for index, gap in enumerate(category.gaps):
        ids.add(gap.id, f"{where}.gaps[{index}]({gap.id})")


def _check_level(
    file: str,
    where: str,
    level: Level,
    field_levels: dict[str, set[int]],
    defined: dict[tuple[str, int], str],
) -> None:
    for field_id in level.fields:
        if field_id not in field_levels:
            raise CatalogueError(file, where, f"unknown field {field_id!r} in this category")
        if level.level not in field_levels[field_id]:
            raise CatalogueError(
                file, where, f"field {field_id!r} does not list level {level.level} in `levels`"
            )
        if (field_id, level.level) in defined:
            raise CatalogueError(
                file,
                where,
                f"level {level.level} of {field_id!r} is already defined by "
                f"{defined[(field_id, level.level)]}",
            )
        defined[(field_id, level.level)] = level.id


def _check_matrix(
    file: str, where: str, field_levels: dict[str, set[int]], defined: dict[tuple[str, int], str]
) -> None:
    for field_id, numbers in field_levels.items():
        missing = sorted(n for n in numbers if (field_id, n) not in defined)
        if missing and defined:
            raise CatalogueError(
                file, where, f"field {field_id!r} lists levels {missing} that no level defines"
            )


def _check_criterion(file: str, where: str, criterion: Criterion, ids: _Ids) -> None:
    here = f"{where}({criterion.id})"
    ids.add(criterion.id, here)
    kind = (criterion.rule or {}).get("kind")
    if kind in _PER_ITEM_KINDS:
        if not criterion.items:
            raise CatalogueError(file, here, f"a {kind!r} rule needs `items`")
        for i_index, item in enumerate(criterion.items):
            if item.concept is None:
                raise CatalogueError(
                    file,
                    f"{here}.items[{i_index}]({item.id})",
                    f"an item of a {kind!r} rule needs a `concept`",
                )
    if kind == "claimed" and criterion.concept is None:
        raise CatalogueError(file, here, "a 'claimed' rule needs a `concept` on its criterion")
    for i_index, item in enumerate(criterion.items):
        _check_criterion(file, f"{here}.items[{i_index}]", item, ids)


def _check_relations(catalogue: Catalogue, origin: dict[str, str]) -> None:
    all_ids: dict[str, str] = {}
    for category in catalogue.categories.values():
        for ident in _category_ids(category):
            if ident in all_ids and all_ids[ident] != category.id:
                raise CatalogueError(
                    origin[category.id],
                    f"categories({category.id})",
                    f"id {ident!r} is also used by category {all_ids[ident]!r}",
                )
            all_ids[ident] = category.id
        for relation in category.related:
            if relation.category not in catalogue.categories:
                raise CatalogueError(
                    origin[category.id],
                    f"categories({category.id}).related",
                    f"unknown category {relation.category!r}",
                )
    _check_successions(catalogue, origin)


def _check_successions(catalogue: Catalogue, origin: dict[str, str]) -> None:
    """A field succeeds others, not itself, and no field is succeeded by two."""
    taken: dict[str, str] = {}
    for fld in catalogue.fields.values():
        category = catalogue.field_category[fld.id]
        for old in fld.succeeds:
            where = f"categories({category}).fields({fld.id}).succeeds"
            if old == fld.id or old in taken:
                problem = (
                    "a field cannot succeed itself"
                    if old == fld.id
                    else f"{old!r} is already succeeded by {taken[old]!r}"
                )
                raise CatalogueError(origin[category], where, problem)
            taken[old] = fld.id


def _category_ids(category: Category) -> list[str]:
    found = [f.id for f in category.fields] + [lv.id for lv in category.levels]
    for level in category.levels:
        for top in level.criteria:
            found.extend(c.id for c in top.walk())
    return found


def _check_rules(
    catalogue: Catalogue, origin: dict[str, str], checkers: Mapping[str, RuleChecker]
) -> None:
    for criterion_id, criterion in catalogue.criteria.items():
        if criterion.rule is None:
            continue
        level = catalogue.criterion_level[criterion_id]
        category_id = catalogue.field_category[level.fields[0]]
        where = f"categories({category_id}).levels({level.id}).criterion({criterion_id}).rule"
        try:
            check_rule(criterion.rule, checkers)
        except ValueError as exc:
            raise CatalogueError(origin[category_id], where, str(exc)) from None


def check_rule(rule: Mapping[str, Any], checkers: Mapping[str, RuleChecker]) -> None:
    """Check a rule and each of its readings against its kind's parameters."""
    kind = rule.get("kind")
    if not isinstance(kind, str) or kind not in checkers:
        known = ", ".join(sorted(checkers))
        raise ValueError(f"unknown rule kind {kind!r} (known: {known})")
    params = {k: v for k, v in rule.items() if k not in READING_KEYS}
    checkers[kind](params)
    for ambiguity, readings in declared_readings(rule).items():
        if not isinstance(readings, dict):
            raise ValueError(f"the readings of {ambiguity!r} must map reading names to parameters")
        for name, overrides in readings.items():
            if not isinstance(overrides, dict):
                raise ValueError(f"reading {name!r} must be a mapping of parameters")
            try:
                checkers[kind]({**params, **overrides})
            except ValueError as exc:
                raise ValueError(f"reading {name!r}: {exc}") from None


READING_KEYS = ("ambiguity", "readings", "ambiguities")


def declared_readings(rule: Mapping[str, Any]) -> dict[str, Any]:
    """A rule's ambiguities, each with its readings: `ambiguity` with `readings` for one,
    `ambiguities` (id -> readings) where a passage is ambiguous in more than one way."""
    readings = rule.get("readings", {})
    if readings and not isinstance(rule.get("ambiguity"), str):
        raise ValueError("`readings` need an `ambiguity` id")
    found: dict[str, Any] = {}
    if isinstance(rule.get("ambiguity"), str):
        found[rule["ambiguity"]] = readings
    several = rule.get("ambiguities", {})
    if not isinstance(several, dict):
        raise ValueError("`ambiguities` must map ambiguity ids to their readings")
    return found | several
