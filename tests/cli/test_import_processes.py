"""Real ``pocmap import`` processes: killed mid-import, or many offices at once.

The store's own tests kill a commit inside its transaction; these kill the whole command
wherever it is (reading, checking, committing) and run it from many processes at once.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from store import open_store
from tests.child_lines import ChildLines
from tests.store.helpers import snapshot

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_INCIDENTS = ROOT / "sample_data" / "incidents.csv"
POCMAP = [sys.executable, "-c", "import sys; from cli import main; sys.exit(main())"]


def _incidents_file(path: Path, prefix: str, rows: int) -> Path:
    """Sample incidents under new ids (``prefix-n``), repeated up to ``rows`` rows."""
    sample = pd.read_csv(SAMPLE_INCIDENTS, dtype=str, keep_default_na=False)
    repeats = -(-rows // len(sample))
    frame = pd.concat([sample] * repeats, ignore_index=True).head(rows)
    frame["incident_id"] = [f"{prefix}-{n}" for n in range(len(frame))]
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _pocmap(db: Path | str, *argv: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*POCMAP, *argv],
        cwd=ROOT,
        env={**os.environ, "POCMAP_DB": str(db), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _snapshot(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    return snapshot(str(db))


def _with_boundaries(location: Path | str) -> Path | str:
    boundaries = ROOT / "sample_data" / "admin_boundaries.geojson"
    done = _pocmap(
        location, "import", str(boundaries), "--layer", "admin_boundaries", "--office", "HQ"
    ).communicate(timeout=120)
    assert open_store(location).batches(), done
    return location


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return _with_boundaries(tmp_path / "pocmap.gpkg")


@pytest.fixture(params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)])
def any_db(request, tmp_path: Path) -> Path | str:
    """A store with the sample's boundaries: a GeoPackage file, or a PostGIS database."""
    if request.param == "geopackage":
        return _with_boundaries(tmp_path / "pocmap.gpkg")
    return _with_boundaries(request.getfixturevalue("postgis_url"))


# `pocmap import` as it is, saying where it has got to: each step prints a line as it
# starts (the kill-9 test kills on it), then runs unchanged.
STAGED = """
import contextlib, sys
import ingest.pipeline
from store.gpkg import GeoPackageStore

def announced(line, step):
    def run(*args, **kwargs):
        print(line, flush=True)
        return step(*args, **kwargs)
    return run

ingest.pipeline.preview_import = announced("reading", ingest.pipeline.preview_import)
ingest.pipeline.commit_import = announced("committing", ingest.pipeline.commit_import)
writing = GeoPackageStore._writing

@contextlib.contextmanager
def announced_writing(self):
    with writing(self) as conn:  # BEGIN IMMEDIATE done: inside the transaction
        print("writing", flush=True)
        yield conn

GeoPackageStore._writing = announced_writing
from cli import main
print("started", flush=True)
sys.exit(main())
"""


@pytest.mark.parametrize(
    "kill_at",
    [
        ["started"],  # the command is up, nothing read yet
        ["reading"],  # reading and checking the 30,000 rows
        ["committing"],  # every row checked, the commit about to start
        ["committing", "writing"],  # inside the commit's transaction
    ],
)
def test_kill_9_mid_import_leaves_the_store_as_it_was(db, tmp_path, kill_at) -> None:
    big = _incidents_file(tmp_path / "big.csv", "BIG", 30_000)
    before = _snapshot(db)
    argv = ["import", str(big), "--layer", "incidents", "--office", "Kalondo"]
    child = subprocess.Popen(
        [sys.executable, "-c", STAGED, *argv],
        cwd=ROOT,
        env={**os.environ, "POCMAP_DB": str(db), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines = ChildLines(child, "pocmap import")
    try:
        for line in kill_at:
            lines.wait_for(line, 120)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(60)
    assert "committed as batch" not in " ".join(lines.seen)
    after = open_store(db).batches("incidents")
    # Whole or nothing: the batch may have committed just before the kill (the process
    # was then still printing its report), and then every row of it is in.
    if after:
        assert len(after) == 1 and after[0].rows_read == 30_000
        assert len(open_store(db).layer("incidents")) == 30_000 - after[0].rejected
        return
    assert _snapshot(db) == before, "a killed import left something behind"
    # And the same file then imports whole.
    out, err = _pocmap(
        db, "import", str(big), "--layer", "incidents", "--office", "Kalondo"
    ).communicate(timeout=300)
    assert "committed as batch" in out, err
    batch = open_store(db).batches("incidents")[0]
    assert batch.rows_read == 30_000
    assert len(open_store(db).layer("incidents")) == batch.accepted + batch.accepted_with_warning


def test_eight_offices_importing_at_once_lose_and_duplicate_nothing(any_db, tmp_path) -> None:
    db = any_db
    offices = [f"Office {n}" for n in range(8)]
    files = [
        _incidents_file(tmp_path / f"office{n}.csv", f"OF{n}", 1500 + 250 * n)
        for n in range(len(offices))
    ]
    twice = _incidents_file(tmp_path / "shared.csv", "SHARED", 800)
    children = [
        _pocmap(db, "import", str(path), "--layer", "incidents", "--office", office)
        for path, office in zip(files, offices, strict=True)
    ] + [
        _pocmap(db, "import", str(twice), "--layer", "incidents", "--office", f"Sender {n}")
        for n in range(2)
    ]
    results = [child.communicate(timeout=600) for child in children]
    codes = [child.returncode for child in children]
    assert codes[:8] == [0] * 8, results
    assert sorted(codes[8:]) == [0, 1], results  # the same file: one batch, one refusal
    refused = results[8 + codes[8:].index(1)][1]
    assert "already imported" in refused

    store = open_store(db)
    batches = store.batches("incidents")
    assert len(batches) == 9
    stored = store.layer("incidents")
    assert stored["incident_id"].is_unique
    expected_rows = sum(1500 + 250 * n for n in range(8)) + 800
    assert sum(b.rows_read for b in batches) == expected_rows
    assert sum(b.accepted + b.accepted_with_warning for b in batches) == len(stored)
    assert all(b.rejected == 0 for b in batches)
    assert len(stored) == expected_rows
