"""Bulk work with Python's cyclic collector paused: faster, and still bounded in memory."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from itss.catalogue.catalogue import Catalogue
from itss.io.importer import read_import
from itss.store import imports, people
from itss.store.bulk import collector_paused
from itss.store.database import Store
from tests.database import Staff
from tests.store.factories import many


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref[Node]:
    """Two objects that refer to each other and to nothing else: only the collector frees
    them."""
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.fixture
def collector_on() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.enable()
    yield
    if not enabled:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_paused_during_the_work_and_running_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    enabled = gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        if enabled:
            gc.enable()


@pytest.mark.usefixtures("collector_on")
def test_a_cycle_made_during_a_chunk_is_freed_between_chunks() -> None:
    with collector_paused() as between_chunks:
        made = cycle()
        kept: list[list[int]] = [
            [] for _ in range(10 * gc.get_threshold()[0])
        ]  # would have set it off
        assert made() is not None  # the collector did not run on its own
        between_chunks()
        assert made() is None
    assert kept


def _people_csv(path: Path, count: int) -> Path:
    lines = ["person_id,name", *(f"p{i},社員 {i}" for i in range(count))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.usefixtures("collector_on")
def test_an_import_leaves_the_collector_running_even_when_it_fails_midway(
    store: Store,
    framework: Catalogue,
    tmp_path: Path,
    staff: Staff,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batch, problems = read_import([_people_csv(tmp_path / "people.csv", 3)], framework)
    summary = store.run(lambda s: imports.apply(s, batch, staff.charlie, problems=problems))
    assert (summary.people.created, gc.isenabled()) == (3, True)

    def broken(*args: object, **kwargs: object) -> None:
        assert not gc.isenabled()  # the people are written with the collector paused
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "write", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        store.run(lambda s: imports.apply(s, batch, staff.charlie, problems=problems))
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_reading_everyone_pauses_the_collector_until_the_reader_is_done(
    store: Store, staff: Staff
) -> None:
    store.run(lambda s: people.write(s, many(5), staff.charlie))
    with store.transaction() as session:
        chunks = people.iterate(session, chunk=2)
        first = next(chunks)
        assert not gc.isenabled()  # while the reader works through a chunk
        rest = list(chunks)
    assert gc.isenabled()
    assert [len(first), *map(len, rest)] == [2, 2, 1]
    with store.transaction() as session:
        for _ in people.iterate(session, chunk=2):
            break  # a reader that stops early
    assert gc.isenabled()
