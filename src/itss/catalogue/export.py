"""The whole catalogue as one JSON document, with a JSON Schema for it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Category


class CatalogueExport(BaseModel):
    format: Literal["itss-catalogue/1"] = "itss-catalogue/1"
    framework_version: str
    files: list[str]
    categories: list[Category]


def export(catalogue: Catalogue) -> CatalogueExport:
    return CatalogueExport(
        framework_version=catalogue.version,
        files=[f.replace("\\", "/").rsplit("/", 1)[-1] for f in catalogue.files],
        categories=list(catalogue.categories.values()),
    )
