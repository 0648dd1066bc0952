"""A company standard derived from ITSS, written as a tailored framework file.

    python docs/examples/derive_company_standard.py acme-standard.yaml

It replaces the built-in IT Service Management category with ACME's adaptation of it:
- the Operations field is renamed "System operation" (システム運用);
- the first size clause of Operations L4 asks for 40 people, not 30;
- Operations L4 adds a criterion: completed the company's security training (attested);
- the field takes the place of System Operation of the earlier edition's Operations category
  (`succeeds`), which ACME retires: engagements recorded there count as System operation's.
  (The sources give no field-by-field correspondence between the editions: this one is
  ACME's decision.)
Everything else is ITSS as shipped. docs/framework-changes.md shows what `itss framework diff`
and `itss framework impact` say of it on the demo organisation.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from itss.io.framework import builtin_files

OPS = "itsm.operations"
RETIRED = "ops.system-operation"  # System Operation, of the earlier edition


def _builtin(name: str) -> dict[str, Any]:
    source = next(p for p in builtin_files() if p.name == name)
    found: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    return found


def _without_retired_field() -> dict[str, Any]:
    """The earlier edition's Operations category without its System Operation field."""
    category: dict[str, Any] = _builtin("operations.yaml")["categories"][0]
    category["fields"] = [f for f in category["fields"] if f["id"] != RETIRED]
    category["levels"] = [lv for lv in category["levels"] if lv.get("field") != RETIRED]
    for level in category["levels"]:
        if "common_to" in level:
            level["common_to"] = [f for f in level["common_to"] if f != RETIRED]
    for skill in category.get("skill_items", []):
        skill["fields"] = [f for f in skill.get("fields", []) if f != RETIRED]
        skill["by_field"] = [b for b in skill.get("by_field", []) if b["field"] != RETIRED]
    return category


def derive() -> dict[str, Any]:
    document = _builtin("itsm.yaml")
    document["replaces"] = ["itsm", "ops"]
    document["framework"] = {
        "id": "acme-standard",
        "name": {"ja": "ACME技術者標準", "en": "ACME engineering standard"},
    }
    category = document["categories"][0]
    field = next(f for f in category["fields"] if f["id"] == OPS)
    field["name"] = {"ja": "システム運用", "en": "System operation"}
    field["succeeds"] = [RETIRED]
    level = next(lv for lv in category["levels"] if lv["id"] == f"{OPS}.l4")
    size = next(c for c in level["criteria"] if c["id"] == f"{OPS}.l4.size")
    size["items"][0]["rule"]["of"][0]["min"] = 40
    size["items"][0]["text"] = {
        "ja": "管理する要員数が40人以上、または年間契約金額3億円以上",
        "en": "Project with 40 or more, or an annual contract value of 300 million or more yen.",
        "en_unofficial": True,
    }
    level["criteria"].append(
        {
            "id": f"{OPS}.l4.security-training",
            "section": "responsibility",
            "text": {
                "ja": "当社の情報セキュリティ研修を修了している。",
                "en": "Has completed the company's information security training.",
            },
            "sources": [{"file": "000_89c44aedb2bf8795.txt", "line": 107}],
            "rule": {"kind": "attested"},
            "note": "ACME's own criterion, not in ITSS.",
        }
    )
    document["categories"].append(_without_retired_field())
    return document


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "acme-standard.yaml")
    target.write_text(
        yaml.safe_dump(derive(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
