"""The demo organisation: a synthetic company recorded in the database and assessed.

A demo never mixes its synthetic people into a real organisation's data: it refuses a
database where anything but a demo has recorded people, unless told otherwise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from itss.catalogue.catalogue import Catalogue
from itss.demo import generate_people
from itss.engine.evidence import Evidence
from itss.services import accounts as account_service
from itss.services import organisation, reviews
from itss.services.accounts import AccountSpec
from itss.services.assessments import RunReport, assess_everyone
from itss.services.context import Actor, Context
from itss.store import accounts, migrate, org, people
from itss.store.bulk import collector_paused
from itss.store.database import shown
from itss.store.errors import ConflictError, StoreError
from itss.store.org import UnitRecord
from itss.store.people import Scope
from itss.store.targets import TargetRecord

SOURCE = "demo"
ROOT = "hq"
# The organisation: a company with one division per job category, named in both languages.
UNITS = (
    UnitRecord(ROOT, "本社", "Head office"),
    UnitRecord("it-services", "ITサービス事業本部", "IT Services Division", ROOT),
    UnitRecord("itsm", "ITサービスマネジメント部", "IT Service Management Dept.", "it-services"),
    UnitRecord("ops", "運用センター", "Operations Center", "it-services"),
    UnitRecord("cs", "カスタマサービス部", "Customer Service Dept.", "it-services"),
)


# One account per role, so that a newcomer can sign in at once (the README lists them). The
# passwords are public: these accounts exist only in a demo database.
MANAGED = "ops"
DEMO_ACCOUNTS = (
    ("admin", "admin", "demo-admin-2026"),
    ("office", "office", "demo-office-2026"),
    ("manager", "manager", "demo-manager-2026"),
    ("member", "member", "demo-member-2026"),
)


# What a newcomer's first look at the pages needs beyond the people: the skills office's
# targets (unit, field, level, how many wanted) and people waiting for the manager's review.
TARGETS = (
    ("ops", "itsm.operations", 3, 10),
    ("ops", "ops.system-operation", 3, 8),
    ("itsm", "itsm.operations-management", 4, 9),
    ("cs", "cs.hardware", 3, 15),
)
SUBMITTED = 3


class RealDataError(StoreError):
    """The database holds people that the demo did not record."""


def _unit_of(evidence: Evidence, catalogue: Catalogue) -> str:
    """The division of the category of the person's first field (else the head office)."""
    if not evidence.engagements:
        return ROOT
    category = catalogue.field_category[evidence.engagements[0].field]
    return category if any(u.code == category for u in UNITS) else "it-services"


def holds_real_data(ctx: Context) -> bool:
    """Whether the database exists and holds people that a demo did not record."""
    store = ctx.store
    if store.missing or migrate.current(store) is None:
        return False
    migrate.require_current(store)
    with store.transaction() as session:
        return people.any_recorded_except(session, SOURCE)


def populate(
    ctx: Context, count: int, seed: int, day: dt.date, *, into_real_data: bool = False
) -> None:
    """The database created if new, then the tree and the people, in one transaction."""
    if not into_real_data and holds_real_data(ctx):
        raise RealDataError(key="demo.real_data", values={"url": shown(ctx.store.url)})
    store = ctx.store
    if store.missing or migrate.current(store) is None:
        migrate.init(store)
    store = ctx.ready
    change = ctx.change(f"{SOURCE} (seed {seed})")

    def work(session: Session) -> None:
        org.write_units(session, UNITS, change)
        people.write(session, records, change)

    # Everyone is generated and held at once (100,000 people at most), in no cycles: the
    # collector would only walk them again and again as they pile up.
    with collector_paused():
        generated = generate_people(ctx.framework, count, seed=seed, as_of=day)
        records = [people.PersonRecord(e, _unit_of(e, ctx.framework)) for e in generated]
        store.run(work)


def run(
    ctx: Context,
    count: int,
    seed: int,
    day: dt.date,
    *,
    jobs: int = 1,
    into_real_data: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RunReport:
    """Record the demo organisation and its accounts, then assess everyone as on `day`."""
    populate(ctx, count, seed, day, into_real_data=into_real_data)
    add_accounts(ctx)
    return assess_everyone(ctx, day, jobs=jobs, progress=progress)


def add_accounts(ctx: Context) -> list[AccountSpec]:
    """The demo accounts that are not there yet: the member is the first person of the
    operations center, and the manager manages it."""
    with ctx.ready.transaction() as session:
        scope = Scope(units=tuple(sorted(org.subtree(session, MANAGED))))
        _, first = people.directory(session, scope, text=None, offset=0, limit=1)
        existing = {a.username for a in accounts.listing(session)}
    specs = [
        AccountSpec(
            username,
            username,
            role,
            password,
            person=first[0].ref if role == "member" and first else None,
            unit=MANAGED if role == "manager" else None,
        )
        for username, role, password in DEMO_ACCOUNTS
        if not (role == "member" and not first)
    ]
    for spec in specs:
        if spec.username not in existing:
            account_service.add(ctx, spec)
    return specs


def showcase(ctx: Context, day: dt.date) -> None:
    """What makes the pages worth a first look: everyone assessed a year before `day` too (a
    trend), the demo's staffing targets in force, and the first people of the managed unit
    submitted for review. Taken again on a demo database, it adds what is not there yet."""
    assess_everyone(ctx, day.replace(year=day.year - 1))
    start = day.replace(month=1, day=1)
    wanted = [TargetRecord(u, f, level, n, start) for u, f, level, n in TARGETS]
    present = set(organisation.targets_on(ctx, day))
    organisation.add_targets(ctx, [t for t in wanted if t not in present])
    with ctx.ready.transaction() as session:
        scope = Scope(units=tuple(sorted(org.subtree(session, MANAGED))))
        _, lines = people.directory(session, scope, text=None, offset=1, limit=SUBMITTED)
    for line in lines:
        person = ctx.acting(Actor(line.ref, role="member", person=line.ref))
        with contextlib.suppress(ConflictError):  # already waiting for review
            reviews.submit(person, line.ref, day)
