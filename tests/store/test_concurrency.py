"""Many offices open a new store and commit at the same moment, from separate processes:
nothing lost, nothing doubled, the duplicates refused."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from store import open_store
from tests.child_lines import ChildLines

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 120

# office -> (id prefix, rows, the file's bytes)
OWN_BATCHES = {f"Office {i}": (f"O{i}", 500 + 700 * i, f"file of office {i}") for i in range(8)}
SAME_FILE = {f"Twin {i}": (f"TWIN{i}", 300, "one file sent twice") for i in range(2)}
SAME_IDS = {f"Clash {i}": ("SHARED", 400 + i, f"clash file {i}") for i in range(2)}


def _start(path: Path | str, office: str, job: tuple[str, int, str]) -> ChildLines:
    prefix, rows, original = job
    arguments = ["commit", str(path), office, prefix, str(rows), original]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store._child", *arguments],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return ChildLines(child, office)


def test_simultaneous_commits_from_many_processes(store_location):
    # A new store: the processes race to create the schema as well as to commit.
    path = store_location
    jobs = {**OWN_BATCHES, **SAME_FILE, **SAME_IDS}
    children = {office: _start(path, office, job) for office, job in jobs.items()}
    # Release them together, once every one has read its file and built its batch.
    for lines in children.values():
        lines.wait_for("ready", WAIT_S)
    for lines in children.values():
        lines.child.stdin.write("go\n")
        lines.child.stdin.flush()
    results = {}
    for office, lines in children.items():
        said = lines.rest(WAIT_S)
        lines.child.stdin.close()
        assert lines.child.wait(WAIT_S) == 0, (office, said)
        results[office] = json.loads(said[-1])
    store = open_store(path)

    for office, (_, rows, _) in OWN_BATCHES.items():
        assert "batch_id" in results[office], results[office]
        batch = store.batch(results[office]["batch_id"])
        assert (batch.office, batch.accepted) == (office, rows)

    twins = [results[o] for o in SAME_FILE]
    assert sorted("batch_id" in r for r in twins) == [False, True]
    refused = next(r for r in twins if "error" in r)
    assert refused["error"] == "DuplicateUpload"
    assert "was already imported as batch" in refused["message"]

    clashes = [results[o] for o in SAME_IDS]
    assert sorted("batch_id" in r for r in clashes) == [False, True]
    refused = next(r for r in clashes if "error" in r)
    assert refused["error"] == "DuplicateIds"
    assert "are already in the store: SHARED-0" in refused["message"]

    # Exactly the winners' rows, each once, each under its own batch.
    winners = [r for r in results.values() if "batch_id" in r]
    assert len(store.batches()) == len(winners) == len(OWN_BATCHES) + 2
    stored = store.layer("incidents")
    assert len(stored) == sum(r["rows"] for r in winners)
    assert stored["incident_id"].is_unique
    per_batch = Counter(stored["batch_id"].tolist())
    assert per_batch == {r["batch_id"]: r["rows"] for r in winners}
    for r in winners:
        assert len(store.report(r["batch_id"])) == 2
        assert store.original(r["batch_id"]).data == jobs[r["office"]][2].encode()
    # Each winner's upload is in the audit log once; the losers wrote nothing there either.
    uploads = store.audit_log().query("action == 'upload'")
    assert sorted(uploads["target"]) == sorted(f"batch {r['batch_id']}" for r in winners)
    if path.startswith("postgresql://"):
        return
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM gpkg_spatial_ref_sys").fetchone()[0] == 3
