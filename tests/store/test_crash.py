"""A process killed (SIGKILL) in the middle of a commit leaves the whole batch or nothing."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.child_lines import ChildLines
from tests.store import helpers
from tests.store._child import CRASH_ORIGINAL
from tests.store.helpers import snapshot

ROOT = Path(__file__).resolve().parents[2]
ROWS = 50_000
WAIT_S = 60


def _start(path: str) -> ChildLines:
    arguments = ["crash", path, str(ROWS)]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store._child", *arguments],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,  # before COMMIT the child waits for a line never sent
        stdout=subprocess.PIPE,
        text=True,
    )
    return ChildLines(child, "the committing process")


def _kill_at(lines: ChildLines, line: str) -> list[str]:
    """Kill the child (SIGKILL) as soon as it says ``line``; what it had said."""
    try:
        lines.wait_for(line, WAIT_S)
    finally:
        lines.child.send_signal(signal.SIGKILL)
        lines.child.wait(WAIT_S)
    return lines.seen


KILL_POINTS = [
    # The line the child says (see tests/store/_child.py) on which the kill lands ...
    "inserting",  # ... as the first row goes in
    "inserted 40",  # ... among the rows (of about 126 progress calls in all)
    "inserted 115",  # ... among the last rows, the report or the file
    "committing",  # ... with everything written, just before COMMIT
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

    for line in KILL_POINTS:
        lines = _start(store.location)
        seen = _kill_at(lines, line)
        assert line in seen and "committed" not in seen, (line, seen)
        assert lines.child.returncode == -signal.SIGKILL

        assert snapshot(store.location) == before, line
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
