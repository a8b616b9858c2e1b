"""A separate process for the crash and concurrency tests: ``python -m tests.store._child``.

``crash PATH N``: commit an N-row batch slowly, printing ``inserting`` once inside
the transaction, then ``inserted K`` every few rows, and ``committing`` just before
COMMIT, where it waits for a line on stdin (never sent: the test kills it there).
``commit PATH OFFICE PREFIX N ORIGINAL``: build a batch, print ``ready``, wait for a line
on stdin (the test sends it to every child at once), commit, print the outcome as JSON.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import time

from store import DuplicateIds, DuplicateUpload, gpkg, open_store
from store.gpkg import GeoPackageStore
from tests.store import helpers

CRASH_ORIGINAL = b"a large upload\n" * 200_000


class _SlowStore(GeoPackageStore):
    """Slows every write down so a kill lands inside the transaction."""

    def _connect(self) -> sqlite3.Connection:
        conn = super()._connect()
        ticks = 0

        def slow() -> int:
            nonlocal ticks
            if conn.in_transaction:
                # The test kills on these lines: a count of progress calls inside the
                # transaction says how far the commit got.
                print("inserting" if not ticks else f"inserted {ticks}", flush=True)
                ticks += 1
                time.sleep(0.006)
            return 0

        conn.set_progress_handler(slow, 20_000)
        return conn


@contextlib.contextmanager
def _announced_transaction(conn: sqlite3.Connection):
    conn.execute("BEGIN IMMEDIATE")
    yield conn  # the crash test never sends an error through here
    print("committing", flush=True)
    sys.stdin.readline()  # the test kills the process here; a line (or EOF) goes on
    conn.execute("COMMIT")


def crash(path: str, n: int) -> None:
    frame = helpers.incidents(n, "BIG", seed=1)
    store = _SlowStore(path)
    gpkg.transaction = _announced_transaction
    store.commit_batch(
        helpers.new_batch("incidents", frame, CRASH_ORIGINAL, office="Big office"),
        frame,
        report=helpers.REPORT,
        original=CRASH_ORIGINAL,
        id_column="incident_id",
    )
    print("committed", flush=True)


def commit(path: str, office: str, prefix: str, n: int, original: str) -> None:
    frame = helpers.incidents(n, prefix, seed=n)
    data = original.encode()
    batch = helpers.new_batch("incidents", frame, data, office=office)
    print("ready", flush=True)
    sys.stdin.readline()  # "go", sent to every child at once
    store = open_store(path)  # after the barrier: they race to create a new file, too
    try:
        done = store.commit_batch(
            batch, frame, report=helpers.REPORT, original=data, id_column="incident_id"
        )
    except (DuplicateUpload, DuplicateIds) as err:
        print(json.dumps({"office": office, "error": type(err).__name__, "message": str(err)}))
    else:
        print(json.dumps({"office": office, "batch_id": done.batch_id, "rows": n}))


if __name__ == "__main__":
    if sys.argv[1] == "crash":
        crash(sys.argv[2], int(sys.argv[3]))
    else:
        commit(*sys.argv[2:4], sys.argv[4], int(sys.argv[5]), sys.argv[6])
