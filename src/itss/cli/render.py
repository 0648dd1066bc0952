"""Rendering shared by several commands: run summaries and level distributions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from rich.console import Console
from rich.table import Table

from itss.catalogue.catalogue import Catalogue
from itss.store.assessing import RunSummary

console = Console()

SECTIONS = {
    "responsibility": ("責任性", "Responsibility"),
    "complexity": ("複雑性", "Complexity"),
    "size": ("サイズ", "Size"),
    "task": ("タスク特性", "Task characteristics"),
    "expertise": ("専門性", "Expertise"),
    "succession": ("技術の継承", "Expertise succession"),
    "mentoring": ("後進の育成", "Mentoring"),
    "remark": ("備考", "Remarks"),
}


def section_name(section: str, language: str) -> str:
    """The name of an indicator's section (責任性, 複雑性, ...) in the chosen language."""
    names = SECTIONS.get(section, (section, section))
    return names[1] if language == "en" else names[0]


def run_line(run: RunSummary) -> None:
    console.print(
        f"assessed {run.people} people as of {run.as_of} (run {run.run_id}, "
        f"framework {run.framework_version}, policy {run.policy})"
    )


def distribution_table(
    catalogue: Catalogue, counts: Mapping[str, Counter[int]], language: str, title: str = ""
) -> None:
    """People per field and level, one row per field of the framework."""
    en = language == "en"
    table = Table(
        title=title or ("People per field and level" if en else "専門分野・レベル別の人数")
    )
    table.add_column("field" if en else "専門分野")
    for level in range(8):
        table.add_column(f"L{level}" if level else ("none" if en else "なし"), justify="right")
    for fid, fld in catalogue.fields.items():
        found = counts.get(fid, Counter())
        table.add_row(fld.name.get(language), *(str(found.get(n, "")) for n in range(8)))
    console.print(table)
