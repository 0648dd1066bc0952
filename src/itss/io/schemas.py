"""The published JSON Schemas: evidence, policy, assessment report, catalogue export."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from itss.catalogue.export import CatalogueExport
from itss.engine.evidence import Evidence
from itss.engine.policy import Policy
from itss.io.report import AssessmentReport

MODELS: dict[str, type[BaseModel]] = {
    "evidence": Evidence,
    "policy": Policy,
    "assessment": AssessmentReport,
    "catalogue": CatalogueExport,
}


def schema(name: str) -> dict[str, Any]:
    found = MODELS[name].model_json_schema()
    found["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    found["$id"] = f"{name}.schema.json"
    return found


def dumps(name: str) -> str:
    return json.dumps(schema(name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all(folder: Path, write: Callable[[Path, str], Any] = Path.write_text) -> list[Path]:
    """Write every schema as `<name>.schema.json` into the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in MODELS:
        path = folder / f"{name}.schema.json"
        write(path, dumps(name))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_all(Path("docs/schemas")):
        print(written_path)
