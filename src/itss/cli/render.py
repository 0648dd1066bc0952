"""Rendering shared by several commands: run summaries, level distributions, section names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from itss.catalogue.catalogue import Catalogue
from itss.cli.common import t
from itss.i18n import tr

if TYPE_CHECKING:
    from itss.store.assessing import RunSummary

console = Console()


def section_name(section: str, language: str) -> str:
    """The name of an indicator's section (責任性, 複雑性, ...) in the chosen language."""
    key = f"section.{section}"
    found = tr(key, language)
    return section if found == key else found


def run_line(run: RunSummary) -> None:
    console.print(
        t(
            "cli.run.done",
            people=run.people,
            day=run.as_of,
            run=run.run_id,
            framework=run.framework_version,
            policy=run.policy,
        )
    )


def distribution_table(
    catalogue: Catalogue,
    counts: Mapping[str, Counter[int]],
    language: str,
    *,
    title: str | None = None,
    every_field: bool = True,
) -> None:
    """People per field and level: a row per field of the framework, or (not `every_field`)
    per field that has anyone."""
    table = Table(title=title or t("heading.distribution"), title_justify="left")
    table.add_column(t("heading.field"))
    for level in range(8):
        table.add_column(f"L{level}" if level else t("heading.no_level"), justify="right")
    fields = list(catalogue.fields) if every_field else list(counts)
    for fid in fields:
        found = counts.get(fid, Counter())
        known = catalogue.fields.get(fid)
        name = known.name.get(language) if known else fid
        table.add_row(name, *(str(found.get(n, "")) for n in range(8)))
    console.print(table)
