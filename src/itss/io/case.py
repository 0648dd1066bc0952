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
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Category, Criterion, Level, SkillItem, SourceRef, Text

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


def _sources(sources: list[SourceRef]) -> list[dict[str, Any]]:
    return [{"file": s.file, "line": s.line} for s in sources]


class _Package:
    """A package being written: items and associations in the source's order."""

    def __init__(self, framework: str, changed: str) -> None:
        self.framework, self.changed = framework, changed
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []
        self.rubrics: list[dict[str, Any]] = []

    def ident(self, kind: str, stable_id: str) -> str:
        return identifier(self.framework, kind, stable_id)

    def item(self, kind: str, stable_id: str, text: Text, extra: dict[str, Any]) -> Node:
        ident = self.ident(kind, stable_id)
        own = {"id": stable_id, "text": text.model_dump(mode="json", exclude_defaults=True)}
        self.items.append(
            {
                "identifier": ident,
                "uri": _uri(ident),
                "fullStatement": text.ja,
                "CFItemType": kind,
                "humanCodingScheme": stable_id,
                "language": "ja",
                "lastChangeDateTime": self.changed,
                "extensions": {"itss": own | {k: v for k, v in extra.items() if v}},
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


def _criterion(package: _Package, criterion: Criterion, parent: Node, order: int) -> None:
    extra = {
        "section": str(criterion.section),
        "rule": criterion.rule,
        "concept": criterion.concept,
        "attestation": criterion.attestation,
        "informational": criterion.informational,
        "note": criterion.note,
        "sources": _sources(criterion.sources),
    }
    node = package.item("Criterion", criterion.id, criterion.text, extra)
    package.child(node, parent, order)
    for index, item in enumerate(criterion.items, start=1):
        _item(package, item, node, index)


def _item(package: _Package, item: Criterion, parent: Node, order: int) -> None:
    extra = {
        "section": str(item.section),
        "rule": item.rule,
        "concept": item.concept,
        "note": item.note,
        "sources": _sources(item.sources),
    }
    node = package.item("Item", item.id, item.text, extra)
    package.child(node, parent, order)
    for index, nested in enumerate(item.items, start=1):
        _item(package, nested, node, index)


def _level(package: _Package, level: Level, fields: dict[str, Node], order: int) -> None:
    name = Text(ja=f"レベル{level.level}", en=f"Level {level.level}")
    extra = {"level": level.level, "note": level.note, "sources": _sources(level.sources)}
    node = package.item("Level", level.id, name, extra)
    for owner in level.fields:  # a common level is a child of each field it serves
        package.child(node, fields[owner], order)
    for index, criterion in enumerate(level.criteria, start=1):
        _criterion(package, criterion, node, index)


def _rubric(package: _Package, skill: SkillItem, node: Node) -> None:
    """The proficiency levels of one skill item, per field, as one CFRubric."""
    ident = package.ident("rubric", skill.id)
    criteria = []
    for position, per_field in enumerate(skill.by_field, start=1):
        criterion_id = package.ident("rubric-criterion", f"{skill.id}/{per_field.field}")
        levels = [
            {
                "identifier": package.ident(
                    "rubric-level", f"{skill.id}/{per_field.field}/{p.level}"
                ),
                "uri": _uri(
                    package.ident("rubric-level", f"{skill.id}/{per_field.field}/{p.level}")
                ),
                "description": p.text.ja,
                "quality": f"Level {p.level}",
                "score": p.level,
                "position": p.level,
                "rubricCriterionId": criterion_id,
                "lastChangeDateTime": package.changed,
            }
            for p in per_field.proficiency
        ]
        criteria.append(
            {
                "identifier": criterion_id,
                "uri": _uri(criterion_id),
                "category": per_field.field,
                "description": skill.name.ja,
                "CFItemURI": {"title": skill.id, "identifier": node[0], "uri": _uri(node[0])},
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
    extra = {
        "number": category.number,
        "edition": str(category.edition),
        "description": category.description.model_dump(mode="json", exclude_defaults=True)
        if category.description
        else None,
        "note": category.note,
        "sources": _sources(category.sources),
    }
    node = package.item("Job category", category.id, category.name, extra)
    package.child(node, root, order)
    fields = {}
    for index, fld in enumerate(category.fields, start=1):
        fields[fld.id] = package.item(
            "Specialty field",
            fld.id,
            fld.name,
            {"levels": fld.levels, "sources": _sources(fld.sources)},
        )
        package.child(fields[fld.id], node, index)
    for index, level in enumerate(category.levels, start=1):
        _level(package, level, fields, index)
    for index, skill in enumerate(category.skill_items, start=1):
        skill_node = package.item(
            "Skill item",
            skill.id,
            skill.name,
            {"scope": skill.scope, "sources": _sources(skill.sources)},
        )
        package.child(skill_node, node, len(category.fields) + index)
        _rubric(package, skill, skill_node)
    return node


def case_package(catalogue: Catalogue, changed: dt.datetime) -> dict[str, Any]:
    """The catalogue as a CFPackage; `changed` (with its time-zone offset) is every entry's
    lastChangeDateTime."""
    if changed.utcoffset() is None:
        raise ValueError("the time of the last change needs a time-zone offset")
    info = catalogue.frameworks[-1]
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
            "version": catalogue.version,
            "extensions": {
                "itss": {
                    "id": info.id,
                    "name": info.name.model_dump(mode="json", exclude_defaults=True),
                    "files": [f.rsplit("/", 1)[-1] for f in catalogue.files],
                }
            },
        },
        "CFItems": package.items,
        "CFAssociations": package.associations,
        "CFRubrics": package.rubrics,
    }
