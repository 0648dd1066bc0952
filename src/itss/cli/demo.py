"""`itss demo`: a synthetic organisation in the database, assessed, summarised.

It creates the database when it is new, records a small organisation tree and a few hundred
people with plausible careers (`itss.demo`), assesses them all and prints how many people
reached each level in each field. Run it again and it changes nothing but adds a new run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from itss.catalogue.catalogue import Catalogue
from itss.cli.common import FrameworkOption, LangOption, framework, lang, parse_day
from itss.cli.data import assess_everyone
from itss.cli.db import DEFAULT_JOBS, ByOption, DbOption, JobsOption, open_store, who
from itss.demo import AS_OF, generate_people
from itss.engine.evaluate import Evaluator
from itss.engine.evidence import Evidence
from itss.store import migrate, org, people, views
from itss.store.change import Change
from itss.store.org import UnitRecord

console = Console()
ROOT = "hq"
# The organisation: a company with one division per job category, named in both languages.
UNITS = (
    UnitRecord(ROOT, "本社", "Head office"),
    UnitRecord("it-services", "ITサービス事業本部", "IT Services Division", ROOT),
    UnitRecord("itsm", "ITサービスマネジメント部", "IT Service Management Dept.", "it-services"),
    UnitRecord("ops", "運用センター", "Operations Center", "it-services"),
    UnitRecord("cs", "カスタマサービス部", "Customer Service Dept.", "it-services"),
)


def _unit_of(evidence: Evidence, catalogue: Catalogue) -> str:
    """The division of the category of the person's first field (else the head office)."""
    if not evidence.engagements:
        return ROOT
    category = catalogue.field_category[evidence.engagements[0].field]
    return category if any(u.code == category for u in UNITS) else "it-services"


def _populate(
    db: str | None, catalogue: Catalogue, count: int, seed: int, day: dt.date, by: str
) -> None:
    """The database created if new, then the tree and the people, in one transaction."""
    with open_store(db) as store:
        if migrate.current(store) is None:
            migrate.init(store)
        migrate.require_current(store)
        change = Change(by, f"demo (seed {seed})")
        generated = generate_people(catalogue, count, seed=seed, as_of=day)
        records = [people.PersonRecord(e, _unit_of(e, catalogue)) for e in generated]

        def work(session: Session) -> None:
            org.write_units(session, UNITS, change)
            people.write(session, records, change)

        store.run(work)


def _distribution(db: str | None, run_id: int) -> dict[str, Counter[int]]:
    with open_store(db) as store, store.transaction() as session:
        return views.distribution(session, run_id)


def demo_command(
    count: Annotated[
        int, typer.Option("--people", min=1, max=100_000, help="how many people")
    ] = 300,
    seed: Annotated[int, typer.Option("--seed", help="the same seed, the same people")] = 0,
    as_of: Annotated[str, typer.Option("--as-of", help="assess as on this date")] = str(AS_OF),
    db: DbOption = None,
    by: ByOption = None,
    jobs: JobsOption = DEFAULT_JOBS,
    language: LangOption = None,
    framework_files: FrameworkOption = None,
) -> None:
    """Create a synthetic organisation in the database, assess it, show its skill levels."""
    chosen = lang(language)
    day = parse_day(as_of) or AS_OF
    catalogue = framework(framework_files)
    _populate(db, catalogue, count, seed, day, who(by))
    summary = assess_everyone(db, catalogue, Evaluator(catalogue), day, jobs, by)
    _show(catalogue, _distribution(db, summary.run_id), chosen)


def _show(catalogue: Catalogue, counts: dict[str, Counter[int]], language: str) -> None:
    en = language == "en"
    table = Table(title="People per field and level" if en else "専門分野・レベル別の人数")
    table.add_column("field" if en else "専門分野")
    for level in range(8):
        table.add_column(f"L{level}" if level else ("none" if en else "なし"), justify="right")
    for fid, fld in catalogue.fields.items():
        found = counts.get(fid, Counter())
        table.add_row(fld.name.get(language), *(str(found.get(n, "")) for n in range(8)))
    console.print(table)
