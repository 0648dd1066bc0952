"""Killed mid-run: `itss import` and `itss assess --all` leave the database as it was.

Each test starts the real command on a large input, waits until it reports that part of the
work is written (inside its one transaction), kills it with SIGKILL, and compares every row
of every table with the state before.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itss.store import people
from itss.store.database import Store
from tests.database import Staff, content
from tests.store.factories import FIELD, many

PROGRESS = re.compile(r"(\w+): (\d+)/(\d+)")
pytestmark = pytest.mark.slow


def _start(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITSS_")}
    return subprocess.Popen(
        [sys.executable, "-m", "itss.cli.main", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # its own group: workers die with it


def _kill_when_partly_done(process: subprocess.Popen[str]) -> str:
    """SIGKILL the command (and its workers) once it reports written work, not all of it."""
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        found = PROGRESS.search(line)
        if found and 0 < int(found.group(2)) < int(found.group(3)):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            return line
    process.wait(timeout=30)
    pytest.fail(f"the command ended before it could be interrupted: {''.join(seen)[-2000:]}")


def _big_import(tmp_path: Path, count: int) -> list[Path]:
    people_csv, engagements_csv = tmp_path / "people.csv", tmp_path / "engagements.csv"
    with people_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person_id", "name"])
        writer.writerows([f"n{i:06d}", f"社員 {i}"] for i in range(count))
    with engagements_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person_id", "id", "field", "role", "start", "end", "headcount"])
        writer.writerows(
            [f"n{i:06d}", f"e{j}", FIELD, "leader", f"{2010 + j}-04-01", f"{2011 + j}-03-31", 12]
            for i in range(count)
            for j in range(3)
        )
    return [people_csv, engagements_csv]


def _wait_until_usable(store: Store) -> None:
    """The killed server session may take a moment to be reaped (PostgreSQL)."""
    for _ in range(50):
        try:
            with store.transaction() as session:
                people.count(session)
            return
        except Exception:
            time.sleep(0.2)


def test_a_killed_import_changes_nothing(
    store: Store, url_text: str, tmp_path: Path, staff: Staff
) -> None:
    store.run(lambda s: people.write(s, many(5, prefix="old"), staff.charlie))
    before = content(store)
    with _start("import", *map(str, _big_import(tmp_path, 16_000)), "--db", url_text) as process:
        line = _kill_when_partly_done(process)
    assert line.startswith("import:")
    assert process.returncode == -signal.SIGKILL
    _wait_until_usable(store)
    assert content(store) == before
    # And the database is fine afterwards: the same import now completes.
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "itss.cli.main",
            "import",
            *map(str, _big_import(tmp_path, 50)),
            "--db",
            url_text,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    with store.transaction() as session:
        assert people.count(session) == 55


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_assessment_run_changes_nothing(
    store: Store, url_text: str, staff: Staff, jobs: str
) -> None:
    store.run(lambda s: people.write(s, many(8_000, engagements=2), staff.charlie))
    before = content(store)
    command = ("assess", "--all", "--as-of", "2026-04-01", "--jobs", jobs, "--db", url_text)
    with _start(*command) as process:
        line = _kill_when_partly_done(process)
    assert line.startswith("assess:")
    assert process.returncode == -signal.SIGKILL
    _wait_until_usable(store)
    assert content(store) == before


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from Linux's /proc")
def test_workers_end_when_the_run_is_killed(store: Store, url_text: str, staff: Staff) -> None:
    """Only the run's own process is killed (as a supervisor would): its workers must not
    live on holding the database open."""
    store.run(lambda s: people.write(s, many(8_000, engagements=2), staff.charlie))
    command = ("assess", "--all", "--as-of", "2026-04-01", "--jobs", "2", "--db", url_text)
    with _start(*command) as process:
        assert process.stderr is not None
        for line in process.stderr:
            found = PROGRESS.search(line)
            if found and 0 < int(found.group(2)) < int(found.group(3)):
                break
        workers = _children(process.pid)
        assert len(workers) >= 2
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [w for w in workers if _alive(w)] == []


def _people_csv(path: Path, prefix: str, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person_id", "name"])
        writer.writerows([f"{prefix}{i:05d}", f"社員 {i}"] for i in range(count))
    return path


def test_two_imports_and_a_run_at_once_all_succeed(
    store: Store, url_text: str, staff: Staff, tmp_path: Path
) -> None:
    """Writers of disjoint data wait for each other (on SQLite, for the one write lock)
    instead of failing; ten rounds in a row, nothing lost."""
    store.run(lambda s: people.write(s, many(500, engagements=2), staff.charlie))
    expected = 500
    for round_ in range(10):
        files = [_people_csv(tmp_path / f"{k}{round_}.csv", f"{k}{round_}-", 1500) for k in "ab"]
        commands = [
            ("import", str(files[0]), "--db", url_text),
            ("import", str(files[1]), "--db", url_text),
            ("assess", "--all", "--as-of", "2026-04-01", "--jobs", "1", "--db", url_text),
        ]
        processes = [_start(*command) for command in commands]
        for process in processes:
            _, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
        expected += 3000
        with store.transaction() as session:
            assert people.count(session) == expected
