"""A process killed (SIGKILL) in the middle of a commit leaves the whole batch or nothing."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.store import helpers
from tests.store._child import CRASH_ORIGINAL
from tests.store.helpers import snapshot

ROOT = Path(__file__).resolve().parents[2]
ROWS = 50_000
WAIT_S = 60


def _start(path: str, pause_before_commit: float) -> subprocess.Popen:
    arguments = ["crash", path, str(ROWS), str(pause_before_commit)]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store._child", *arguments],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )


def _kill_at(child: subprocess.Popen, line: str, delay: float) -> list[str]:
    seen = []
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        said = child.stdout.readline().strip()
        seen.append(said)
        if said == line or not said:
            break
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(WAIT_S)
    return seen


KILL_POINTS = [
    # (what the child last said, seconds after it): the kill lands ...
    ("inserting", 0.0),  # ... as the first row goes in
    ("inserting", 0.3),  # ... among the rows
    ("inserting", 0.8),  # ... among the last rows, the report or the file
    ("committing", 0.1),  # ... with everything written, just before COMMIT
]


def test_a_killed_commit_leaves_nothing_behind(gpkg_store):
    store = gpkg_store
    earlier = helpers.incidents(4, "EARLIER")
    store.commit_batch(
        helpers.new_batch("incidents", earlier, b"earlier"),
        earlier,
        report=helpers.REPORT,
        original=b"earlier",
        id_column="incident_id",
    )
    before = snapshot(store.location)

    for line, delay in KILL_POINTS:
        child = _start(store.location, pause_before_commit=5.0)
        seen = _kill_at(child, line, delay)
        assert line in seen and "committed" not in seen, (line, delay, seen)
        assert child.returncode == -signal.SIGKILL

        assert snapshot(store.location) == before, (line, delay)
        assert [b.batch_id for b in store.batches()] == [1]
        assert len(store.layer("incidents")) == 4
        sha = hashlib.sha256(CRASH_ORIGINAL).hexdigest()
        assert store.find_upload("incidents", sha) is None
        with sqlite3.connect(store.location) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # The office sends the same file again and it goes in whole.
    frame = helpers.incidents(ROWS, "BIG", seed=1)
    batch = store.commit_batch(
        helpers.new_batch("incidents", frame, CRASH_ORIGINAL, office="Big office"),
        frame,
        report=helpers.REPORT,
        original=CRASH_ORIGINAL,
        id_column="incident_id",
    )
    assert batch.batch_id == 2
    assert len(store.layer("incidents")) == ROWS + 4
    assert store.original(2).data == CRASH_ORIGINAL
    assert len(store.report(2)) == len(helpers.REPORT)
