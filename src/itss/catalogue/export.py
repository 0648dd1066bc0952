"""The whole catalogue as one JSON document, with a JSON Schema for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

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
        files=[Path(f).name for f in catalogue.files],
        categories=list(catalogue.categories.values()),
    )


def export_schema() -> dict[str, Any]:
    schema = CatalogueExport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://itss.example/schemas/catalogue.schema.json"
    return schema
