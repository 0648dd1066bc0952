"""The framework as a 1EdTech CASE 1.1 package (CFPackage JSON), for the systems that
exchange competency frameworks.

Every category, field, level, criterion and checklist item is a CFItem; the hierarchy
(isChildOf, in the source's order) and the relation between editions (replacedBy) are
CFAssociations; the proficiency levels of the Operations skill items are CFRubrics. Identifiers
are UUIDv5 of the stable ids, so the same framework always exports the same identifiers. A
CFItem holds one statement: the Japanese, the sources' own language; both languages, the
rules, thresholds, notes and source lines go into each entry's `extensions` under "itss".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Category, Criterion, Level, Proficiency, SkillItem, Text
from itss.errors import CatalogueError
from itss.io.case_foreign import foreign_document

# The namespace of every identifier itss exports: derived from a name, never to change.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:itss:case")
EDITIONS = {"succeeded_by": "replacedBy", "succeeds": "ext:succeeds", "related": "isRelatedTo"}
Node = tuple[str, str]  # (identifier, stable id)


def identifier(framework: str, kind: str, stable_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{framework}/{kind}/{stable_id}"))


def _uri(ident: str) -> str:
    return f"urn:uuid:{ident}"


def _link(node: Node) -> dict[str, str]:
    return {"title": node[1], "identifier": node[0], "uri": _uri(node[0])}


class _Package:
    """A package being written: items and associations in the source's order."""

    def __init__(self, framework: str, changed: str) -> None:
        self.framework, self.changed = framework, changed
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []
        self.rubrics: list[dict[str, Any]] = []

    def ident(self, kind: str, stable_id: str) -> str:
        return identifier(self.framework, kind, stable_id)

    def item(self, kind: str, stable_id: str, text: Text, entry: dict[str, Any]) -> Node:
        """A CFItem; `entry` is the framework's own entry without its children, kept whole
        in the extension (an import builds the framework again from it)."""
        ident = self.ident(kind, stable_id)
        self.items.append(
            {
                "identifier": ident,
                "uri": _uri(ident),
                "fullStatement": text.ja,
                "CFItemType": kind,
                "humanCodingScheme": stable_id,
                "language": "ja",
                "lastChangeDateTime": self.changed,
                "extensions": {"itss": entry},
            }
        )
        return ident, stable_id

    def child(self, child: Node, parent: Node, order: int) -> None:
        self.association("isChildOf", child, parent, order)

    def association(self, kind: str, origin: Node, destination: Node, order: int) -> None:
        ident = self.ident("association", f"{kind}:{origin[1]}>{destination[1]}")
        self.associations.append(
            {
                "identifier": ident,
                "associationType": kind,
                "sequenceNumber": order,
                "uri": _uri(ident),
                "originNodeURI": _link(origin),
                "destinationNodeURI": _link(destination),
                "lastChangeDateTime": self.changed,
            }
        )


def _entry(model: BaseModel, *children: str) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_defaults=True, exclude=set(children))


def _criterion(package: _Package, criterion: Criterion, parent: Node, order: int) -> None:
    node = package.item("Criterion", criterion.id, criterion.text, _entry(criterion, "items"))
    package.child(node, parent, order)
    for index, item in enumerate(criterion.items, start=1):
        _item(package, item, node, index)


def _item(package: _Package, item: Criterion, parent: Node, order: int) -> None:
    node = package.item("Item", item.id, item.text, _entry(item, "items"))
    package.child(node, parent, order)
    for index, nested in enumerate(item.items, start=1):
        _item(package, nested, node, index)


def _level(package: _Package, level: Level, fields: dict[str, Node], order: int) -> None:
    name = Text(ja=f"レベル{level.level}", en=f"Level {level.level}")
    node = package.item("Level", level.id, name, _entry(level, "criteria"))
    for owner in level.fields:  # a common level is a child of each field it serves
        package.child(node, fields[owner], order)
    for index, criterion in enumerate(level.criteria, start=1):
        _criterion(package, criterion, node, index)


def _rubric_level(package: _Package, owner: str, criterion_id: str, p: Proficiency) -> Any:
    ident = package.ident("rubric-level", f"{owner}/{p.level}")
    return {
        "identifier": ident,
        "uri": _uri(ident),
        "description": p.text.ja,
        "quality": f"Level {p.level}",
        "score": p.level,
        "position": p.level,
        "rubricCriterionId": criterion_id,
        "lastChangeDateTime": package.changed,
    }


def _rubric(package: _Package, skill: SkillItem, node: Node) -> None:
    """The proficiency levels of one skill item, per field, as one CFRubric."""
    ident = package.ident("rubric", skill.id)
    criteria = []
    for position, per_field in enumerate(skill.by_field, start=1):
        owner = f"{skill.id}/{per_field.field}"
        criterion_id = package.ident("rubric-criterion", owner)
        levels = [_rubric_level(package, owner, criterion_id, p) for p in per_field.proficiency]
        criteria.append(
            {
                "identifier": criterion_id,
                "uri": _uri(criterion_id),
                "category": per_field.field,
                "description": skill.name.ja,
                "CFItemURI": _link(node),
                "position": position,
                "rubricId": ident,
                "lastChangeDateTime": package.changed,
                "CFRubricCriterionLevels": levels,
            }
        )
    if criteria:
        package.rubrics.append(
            {
                "identifier": ident,
                "uri": _uri(ident),
                "title": skill.name.ja,
                "lastChangeDateTime": package.changed,
                "CFRubricCriteria": criteria,
            }
        )


def _category(package: _Package, category: Category, root: Node, order: int) -> Node:
    entry = _entry(category, "fields", "levels", "skill_items")
    node = package.item("Job category", category.id, category.name, entry)
    package.child(node, root, order)
    fields = {}
    for index, fld in enumerate(category.fields, start=1):
        fields[fld.id] = package.item("Specialty field", fld.id, fld.name, _entry(fld))
        package.child(fields[fld.id], node, index)
    for index, level in enumerate(category.levels, start=1):
        _level(package, level, fields, index)
    for index, skill in enumerate(category.skill_items, start=1):
        skill_node = package.item("Skill item", skill.id, skill.name, _entry(skill))
        package.child(skill_node, node, len(category.fields) + index)
        _rubric(package, skill, skill_node)
    return node


def case_package(catalogue: Catalogue, changed: dt.datetime) -> dict[str, Any]:
    """The catalogue as a CFPackage; `changed` (with its time-zone offset) is every entry's
    lastChangeDateTime."""
    if changed.utcoffset() is None:
        raise ValueError("the time of the last change needs a time-zone offset")
    info = catalogue.frameworks[-1]
    version = info.version or catalogue.version  # an imported framework keeps its own
    package = _Package(info.id, changed.isoformat())
    document = package.ident("document", info.id)
    root: Node = (document, info.id)
    nodes = {
        c.id: _category(package, c, root, i)
        for i, c in enumerate(catalogue.categories.values(), start=1)
    }
    for category in catalogue.categories.values():
        for relation in category.related:
            if relation.category in nodes:
                kind = EDITIONS[relation.relation]
                package.association(kind, nodes[category.id], nodes[relation.category], 1)
    return {
        "CFDocument": {
            "identifier": document,
            "uri": _uri(document),
            "frameworkType": "competency framework",
            "caseVersion": "1.1",
            "creator": info.name.ja,
            "title": info.name.ja,
            "lastChangeDateTime": package.changed,
            "language": "ja",
            "version": version,
            "extensions": {"itss": _entry(info) | {"version": version}},
        },
        "CFItems": package.items,
        "CFAssociations": package.associations,
        "CFRubrics": package.rubrics,
    }


# -- import ------------------------------------------------------------------------------------


class _Reader:
    """A CASE package exported by itss, read back: each entry from its item's extension, put
    in its place by the isChildOf associations (in their order)."""

    def __init__(self, package: Mapping[str, Any], name: str) -> None:
        self.name = name
        self.package = _mapping(package, "", name)
        self.entries: dict[str, dict[str, Any]] = {}
        self.kinds: dict[str, str] = {}
        for index, item in enumerate(self._list("CFItems")):
            where = f"CFItems[{index}]"
            ident = _at(item, where, name, "identifier")
            self.entries[ident] = dict(
                _mapping(
                    _at(item, where, name, "extensions", "itss"), f"{where}.extensions.itss", name
                )
            )
            self.kinds[ident] = str(item.get("CFItemType", ""))
        self.children: dict[str, list[tuple[int, str]]] = {}
        for index, link in enumerate(self._list("CFAssociations")):
            if link.get("associationType") == "isChildOf":
                where = f"CFAssociations[{index}]"
                child = _at(link, where, name, "originNodeURI", "identifier")
                parent = _at(link, where, name, "destinationNodeURI", "identifier")
                self.children.setdefault(parent, []).append(
                    (int(link.get("sequenceNumber", 0)), child)
                )

    def _list(self, key: str) -> list[Mapping[str, Any]]:
        found = self.package.get(key, [])
        if not isinstance(found, list):
            raise CatalogueError(self.name, key, "must be a list")
        return [_mapping(entry, f"{key}[{i}]", self.name) for i, entry in enumerate(found)]

    def below(self, parent: str, kind: str) -> list[str]:
        """The children of `parent` of one item type, in order (each once)."""
        found = sorted(
            (order, c) for order, c in self.children.get(parent, []) if self.kinds.get(c) == kind
        )
        return list(dict.fromkeys(c for _, c in found))

    def criterion(self, ident: str) -> dict[str, Any]:
        items = [self.criterion(c) for c in self.below(ident, "Item")]
        return self.entries[ident] | ({"items": items} if items else {})

    def category(self, ident: str) -> dict[str, Any]:
        fields = self.below(ident, "Specialty field")
        levels = sorted(
            {
                (order, c)
                for f in fields
                for order, c in self.children.get(f, [])
                if self.kinds.get(c) == "Level"
            }
        )
        entry = self.entries[ident] | {"fields": [self.entries[f] for f in fields]}
        entry["levels"] = [
            self.entries[c] | {"criteria": [self.criterion(x) for x in self.below(c, "Criterion")]}
            for c in dict.fromkeys(c for _, c in levels)
        ]
        skills = [self.entries[s] for s in self.below(ident, "Skill item")]
        return entry | ({"skill_items": skills} if skills else {})


def _mapping(value: Any, where: str, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CatalogueError(name, where, "must be a mapping")
    return value


def _at(value: Any, where: str, name: str, *keys: str) -> Any:
    """The value at `keys` below `value` (found at `where`), each step named if missing."""
    for key in keys:
        found = _mapping(value, where, name)
        where = f"{where}.{key}" if where else key
        if key not in found:
            raise CatalogueError(name, where, "missing (a CASE package written by itss has it)")
        value = found[key]
    return value


def framework_document(package: Any, name: str) -> dict[str, Any]:
    """The framework file (as parsed data) of a CASE package: one that itss exported, entry
    by entry from its extensions, or one written by another tool (`case_foreign`); what is
    missing or misplaced is refused with its place in the package."""
    document = package.get("CFDocument") if isinstance(package, Mapping) else None
    extensions = document.get("extensions") if isinstance(document, Mapping) else None
    if isinstance(document, Mapping) and not (
        isinstance(extensions, Mapping) and "itss" in extensions
    ):
        return foreign_document(package, name)
    reader = _Reader(package, name)
    root = _at(reader.package, "", name, "CFDocument", "identifier")
    info = _mapping(
        _at(reader.package, "", name, "CFDocument", "extensions", "itss"),
        "CFDocument.extensions.itss",
        name,
    )
    categories = [reader.category(c) for c in reader.below(root, "Job category")]
    if not categories:
        raise CatalogueError(name, "CFAssociations", "no job category is a child of the CFDocument")
    return {"format": "itss-framework/1", "framework": dict(info), "categories": categories}
