"""What every use case is given: the settings, the acting user and the store.

A front end builds one `Context` per command (the CLI) or per request (the API, sharing one
store), and passes it to the services explicitly; no service reads the environment itself.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar

from cachetools import LRUCache

from itss.catalogue.catalogue import Catalogue
from itss.engine.evaluate import Evaluator
from itss.engine.policy import DEFAULT_POLICY, Policy
from itss.io.documents import read_policy
from itss.io.framework import load_framework
from itss.io.report import AssessmentReport
from itss.settings import Settings
from itss.store.change import Change
from itss.store.location import absent_sqlite_file

if TYPE_CHECKING:
    # The store is imported when a command first uses it: one that needs no database (an
    # evidence file assessed on the built-in framework) starts without SQLAlchemy.
    from itss.store.database import Store

SHARED = ("framework", "policy", "evaluator", "reports")  # loaded once, shared by requests
REPORTS_KEPT = 2000  # a report of a person is about 25 KB as JSON, more as objects
ROLES = ("member", "manager", "office", "admin")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """The most recently used results of work whose result depends on its key alone (and on
    the loaded framework and policy, which a context never changes), for many threads."""

    def __init__(self, size: int) -> None:
        self._cache: LRUCache[K, V] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._cache.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._cache[key] = value


@dataclass(frozen=True)
class Actor:
    """Who acts: the name recorded with every change they make, and what they may do.

    A member acts on their own person; a manager on the people of their unit and the units
    below it; the skills office and admins on everyone (admins also on accounts). Whoever
    runs the command line holds the database itself, so acts as an admin."""

    name: str
    role: str = "admin"
    account_id: int | None = None
    person: str | None = None  # the ref of the actor's own person, if they are one
    unit: str | None = None  # the unit a manager manages


@dataclass
class Context:
    """Settings, actor and (opened on first use) the store of one command or request."""

    settings: Settings
    actor: Actor
    framework_files: Sequence[Path] = ()  # tailored files beside the settings' own
    policy_file: Path | None = None  # instead of the settings' own
    database_url: str | None = None  # instead of the settings' own
    _store: Store | None = field(default=None, repr=False)
    _checked: bool = field(default=False, repr=False)  # the schema was found current
    _loading: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __enter__(self) -> Context:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
            self._store = None
            self._checked = False

    @property
    def url(self) -> str:
        return self.database_url or self.settings.database_url

    @property
    def shown_url(self) -> str:
        """The database's URL as a person may see it (no password)."""
        from itss.store.database import shown  # noqa: PLC0415 - see the imports

        return shown(self.store.url)

    @property
    def store(self) -> Store:
        """The database, as it is (it may have no schema yet: see `ready`)."""
        if self._store is None:
            from itss.store.database import Store  # noqa: PLC0415 - see the imports

            self._store = Store(self.url)
        return self._store

    @property
    def ready(self) -> Store:
        """The database, refused unless it exists with this version's schema.

        Checked once per context, and a server's request contexts inherit its start-up
        check: the check reads the file system and the catalogue, which a request that asks
        for the store two or three times felt."""
        if not self._checked:
            from itss.store import migrate  # noqa: PLC0415 - see the imports

            migrate.require_current(self.store)
            self._checked = True
        return self.store

    def prepare(self) -> None:
        """Check the database and load the framework now (a server does it before it takes
        its first request), rather than on first use."""
        _ = self.ready
        _ = self.evaluator  # framework, policy and their compiled rules
        _ = self.reports  # made now so that every request's context shares it

    def acting(self, actor: Actor) -> Context:
        """This context for another actor, sharing the store and what was loaded (the
        framework, the policy): a server makes one per request from its own."""
        other = replace(self, actor=actor)
        with self._loading:
            for name in SHARED:
                if name in self.__dict__:
                    other.__dict__[name] = self.__dict__[name]
        return other

    def change(self, source: str) -> Change:
        return Change(self.actor.name, source[:500])

    @cached_property
    def framework(self) -> Catalogue:
        extra = [*self.settings.framework_files, *self.framework_files]
        return load_framework(extra, texts=self._adopted())

    def _adopted(self) -> list[tuple[str, str]]:
        """The tailored files the organisation adopted, as (name, text), from the database.
        A command that needs no database (an evidence file assessed) runs without one, or
        with one that has no itss schema yet, on the built-in framework."""
        if absent_sqlite_file(self.url):
            return []
        from itss.store import frameworks, migrate  # noqa: PLC0415 - see the imports

        store = self.store
        if store.missing or migrate.current(store) is None:
            return []
        # A database that cannot be read, or whose schema is not this version's, is refused
        # rather than passed over: the built-in framework in place of the adopted one would
        # give other verdicts without a word.
        with self.ready.transaction() as session:
            found = frameworks.adopted(session)
            return frameworks.contents(session, found.files) if found else []

    def reload(self) -> None:
        """Load the framework (and what depends on it) again, after an adoption: requests
        that start after this use the new one. Built aside, then swapped in under the lock
        that `acting` reads them with, so that no request mixes the old and the new."""
        fresh = replace(self)
        fresh.prepare()
        with self._loading:
            for name in SHARED:
                self.__dict__[name] = fresh.__dict__[name]

    @cached_property
    def policy(self) -> Policy:
        chosen = self.policy_file or self.settings.policy_file
        return read_policy(chosen, self.framework) if chosen else DEFAULT_POLICY

    @cached_property
    def evaluator(self) -> Evaluator:
        return Evaluator(self.framework, self.policy)

    @cached_property
    def reports(self) -> Memo[tuple[int, dt.date], AssessmentReport]:
        """Assessment reports by (evidence revision id, day assessed on)."""
        return Memo(REPORTS_KEPT)
