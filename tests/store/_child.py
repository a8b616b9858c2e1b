"""A separate process for the crash and concurrency tests: ``python -m tests.store._child``.

``crash PATH N``: commit an N-row batch slowly, printing ``inserting`` once inside
the transaction and ``committing`` just before COMMIT, so the test can kill it there.
``commit PATH OFFICE PREFIX N ORIGINAL BARRIER``: build a batch, say ``ready`` by
creating a file, wait for the ``go`` file, commit, print the outcome as JSON.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import time
from pathlib import Path

from store import DuplicateIds, DuplicateUpload, gpkg, open_store
from store.gpkg import GeoPackageStore
from tests.store import helpers

CRASH_ORIGINAL = b"a large upload\n" * 200_000


class _SlowStore(GeoPackageStore):
    """Slows every write down so a kill lands inside the transaction."""

    def _connect(self) -> sqlite3.Connection:
        conn = super()._connect()
        announced = False

        def slow() -> int:
            nonlocal announced
            if conn.in_transaction:
                if not announced:
                    print("inserting", flush=True)
                    announced = True
                time.sleep(0.006)
            return 0

        conn.set_progress_handler(slow, 20_000)
        return conn


@contextlib.contextmanager
def _announced_transaction(conn: sqlite3.Connection):
    conn.execute("BEGIN IMMEDIATE")
    yield conn  # the crash test never sends an error through here
    print("committing", flush=True)
    time.sleep(float(sys.argv[4]))
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


def commit(path: str, office: str, prefix: str, n: int, original: str, barrier: str) -> None:
    frame = helpers.incidents(n, prefix, seed=n)
    data = original.encode()
    batch = helpers.new_batch("incidents", frame, data, office=office)
    Path(barrier, f"ready-{office}").touch()
    while not Path(barrier, "go").exists():
        time.sleep(0.002)
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
        commit(*sys.argv[2:4], sys.argv[4], int(sys.argv[5]), *sys.argv[6:8])
