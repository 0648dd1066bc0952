"""A CASE 1.1 package written by another tool (no itss extensions), read as a framework file
that can be browsed and assessed by attestation; rules may then be added to it as data.

CASE knows items and their hierarchy, not ITSS's categories, fields and levels, so the
hierarchy is read by depth below the CFDocument (isChildOf associations, in their order):

    CFDocument
      item             a category
        item           a specialty field
          item         a level: its number (1-7) is the last number of its listEnumeration,
                       else of its humanCodingScheme
            item       a criterion (its CFItemType, if it names a section such as
              item...  `complexity`, is its section; else `task`), and its items below it

Each entry's id is made from its humanCodingScheme (else from its identifier), below its
parent's; its text is its fullStatement, in the language of the package; its source is the
package file and the entry's position in CFItems. A criterion without a rule is met by a
person's attestation, as any criterion of itss without one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from itss.catalogue.models import Section
from itss.errors import CatalogueError

SECTIONS: tuple[str, ...] = Section.__args__  # type: ignore[attr-defined]
_NOT_ID = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"\d+")


def _mapping(value: Any, where: str, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CatalogueError(name, where, "must be a mapping")
    return value


def _text_at(entry: Mapping[str, Any], where: str, name: str, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(name, f"{where}.{key}", "missing (CASE requires it)")
    return value.strip()


class _Package:
    """The items, by identifier, with their place in CFItems, and who is whose child."""

    def __init__(self, package: Any, name: str) -> None:
        self.name = name
        body = _mapping(package, "", name)
        self.document = _mapping(body.get("CFDocument"), "CFDocument", name)
        self.root = _text_at(self.document, "CFDocument", name, "identifier")
        self.english = str(self.document.get("language", "")).lower().startswith("en")
        self.items: dict[str, tuple[int, Mapping[str, Any]]] = {}
        for index, item in enumerate(self._list(body, "CFItems")):
            where = f"CFItems[{index}]"
            _text_at(item, where, name, "fullStatement")
            self.items[_text_at(item, where, name, "identifier")] = (index, item)
        self.children: dict[str, list[tuple[int, int, str]]] = {}
        for index, link in enumerate(self._list(body, "CFAssociations")):
            if link.get("associationType") == "isChildOf":
                self._link(link, f"CFAssociations[{index}]", index)

    def _list(self, body: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        found = body.get(key, [])
        if not isinstance(found, list):
            raise CatalogueError(self.name, key, "must be a list")
        return [_mapping(entry, f"{key}[{i}]", self.name) for i, entry in enumerate(found)]

    def _link(self, link: Mapping[str, Any], where: str, index: int) -> None:
        ends = []
        for end in ("originNodeURI", "destinationNodeURI"):
            node = _mapping(link.get(end), f"{where}.{end}", self.name)
            ends.append(_text_at(node, f"{where}.{end}", self.name, "identifier"))
        child, parent = ends
        if child not in self.items:
            raise CatalogueError(self.name, f"{where}.originNodeURI", f"no CFItem {child}")
        order = link.get("sequenceNumber")
        number = order if isinstance(order, int) else 0
        self.children.setdefault(parent, []).append((number, index, child))

    def below(self, parent: str) -> list[str]:
        return [child for _, _, child in sorted(self.children.get(parent, []))]

    def where(self, ident: str) -> str:
        return f"CFItems[{self.items[ident][0]}]"


class _Builder:
    """The framework file's entries, made from the package's items."""

    def __init__(self, package: _Package) -> None:
        self.package = package
        self.used: set[str] = set()

    def ident(self, item_id: str, parent: str | None) -> str:
        """A stable id: the item's code (else its identifier), below its parent's, unique."""
        _, item = self.package.items[item_id]
        code = str(item.get("humanCodingScheme") or "").lower()
        slug = _NOT_ID.sub("-", code).strip("-") or "i" + _NOT_ID.sub("", item_id.lower())[:12]
        found = f"{parent}.{slug}" if parent else slug
        candidate, number = found, 2
        while candidate in self.used:
            candidate, number = f"{found}-{number}", number + 1
        self.used.add(candidate)
        return candidate

    def text(self, item_id: str) -> dict[str, Any]:
        statement = str(self.package.items[item_id][1]["fullStatement"]).strip()
        return {"ja": statement, "en": statement} if self.package.english else {"ja": statement}

    def sources(self, item_id: str) -> list[dict[str, Any]]:
        return [{"file": self.package.name, "line": self.package.items[item_id][0] + 1}]

    def criterion(self, item_id: str, parent: str, section: str | None = None) -> dict[str, Any]:
        _, item = self.package.items[item_id]
        kind = str(item.get("CFItemType") or "").strip().lower()
        chosen = section or (kind if kind in SECTIONS else "task")
        ident = self.ident(item_id, parent)
        entry: dict[str, Any] = {
            "id": ident,
            "section": chosen,
            "text": self.text(item_id),
            "sources": self.sources(item_id),
        }
        items = [self.criterion(c, ident, chosen) for c in self.package.below(item_id)]
        return entry | ({"items": items} if items else {})

    def level(self, item_id: str, field: str) -> tuple[int, dict[str, Any]]:
        number = self.level_number(item_id)
        criteria = [self.criterion(c, f"{field}.l{number}") for c in self.package.below(item_id)]
        if not criteria:
            where = self.package.where(item_id)
            raise CatalogueError(self.package.name, where, "a level needs at least one criterion")
        self.used.add(f"{field}.l{number}")
        entry = {"id": f"{field}.l{number}", "level": number, "field": field}
        return number, entry | {"sources": self.sources(item_id), "criteria": criteria}

    def level_number(self, item_id: str) -> int:
        _, item = self.package.items[item_id]
        for key in ("listEnumeration", "humanCodingScheme"):
            numbers = _NUMBER.findall(str(item.get(key) or ""))
            if numbers and 1 <= int(numbers[-1]) <= 7:
                return int(numbers[-1])
        where = self.package.where(item_id)
        problem = "a level needs its number, 1 to 7, in listEnumeration or humanCodingScheme"
        raise CatalogueError(self.package.name, where, problem)

    def category(self, item_id: str) -> dict[str, Any]:
        ident = self.ident(item_id, None)
        fields: list[dict[str, Any]] = []
        levels: list[dict[str, Any]] = []
        for field_id in self.package.below(item_id):
            field = self.ident(field_id, ident)
            found: dict[int, dict[str, Any]] = {}
            for level_id in self.package.below(field_id):
                number, level = self.level(level_id, field)
                if number in found:
                    where = self.package.where(level_id)
                    problem = f"a second level {number} of the same field"
                    raise CatalogueError(self.package.name, where, problem)
                found[number] = level
            if not found:
                where = self.package.where(field_id)
                raise CatalogueError(self.package.name, where, "a field needs at least one level")
            fields.append(
                {"id": field, "name": self.text(field_id), "levels": sorted(found)}
                | {"sources": self.sources(field_id)}
            )
            levels.extend(found[n] for n in sorted(found))
        if not fields:
            where = self.package.where(item_id)
            raise CatalogueError(self.package.name, where, "a category needs at least one field")
        return {
            "id": ident,
            "edition": "unstated",
            "name": self.text(item_id),
            "sources": self.sources(item_id),
            "fields": fields,
            "levels": levels,
        }


def foreign_document(package: Any, name: str) -> dict[str, Any]:
    """The framework file (as parsed data) of a CASE package written by another tool; what
    is missing or misplaced is refused with its place in the package."""
    read = _Package(package, name)
    builder = _Builder(read)
    title = _text_at(read.document, "CFDocument", name, "title")
    framework = {
        "id": "case-" + _NOT_ID.sub("", read.root.lower())[:12],
        "name": {"ja": title, "en": title} if read.english else {"ja": title},
    }
    version = read.document.get("version")
    if isinstance(version, str) and version.strip():
        framework["version"] = version.strip()
    categories = [builder.category(c) for c in read.below(read.root)]
    if not categories:
        raise CatalogueError(name, "CFAssociations", "no item is a child of the CFDocument")
    return {"format": "itss-framework/1", "framework": framework, "categories": categories}
