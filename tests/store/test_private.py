"""The GeoPackage store is readable by its owner only, under the usual umask (022): the
file, SQLite's -wal and -shm beside it, the folder pocmap makes, and a copy made by
``pocmap migrate``; a store left readable by an older pocmap is tightened, with a warning."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from contextlib import closing

import pytest

from cli import main
from store import open_store
from tests.store import helpers


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    """The umask most systems give (files 0644, folders 0755 unless chosen otherwise)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _write_something(store) -> None:
    rows = helpers.incidents(3, "PRIV")
    batch = helpers.new_batch("incidents", rows, b"private")
    store.commit_batch(
        batch, rows, report=helpers.REPORT, original=b"private", id_column="incident_id"
    )


def test_a_new_store_its_folder_and_sqlite_files_are_owner_only(tmp_path):
    folder = tmp_path / "data" / "mission"
    path = folder / "pocmap.gpkg"
    store = open_store(path)
    _write_something(store)
    # While a connection is open in WAL mode, SQLite's -wal and -shm files exist.
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("SELECT count(*) FROM batches").fetchone()
        wal, shm = path.with_name("pocmap.gpkg-wal"), path.with_name("pocmap.gpkg-shm")
        assert wal.exists() and shm.exists()
        assert (_mode(path), _mode(wal), _mode(shm)) == (0o600, 0o600, 0o600)
    assert _mode(folder) == 0o700
    assert _mode(folder.parent) == 0o700  # pocmap made both
    # A file made under the same umask by anything else would be world-readable.
    (tmp_path / "other").write_text("x")
    assert _mode(tmp_path / "other") == 0o644


def test_an_existing_folder_is_left_as_it_is(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    open_store(shared / "pocmap.gpkg")
    assert _mode(shared) == 0o755  # not pocmap's to change; the file in it is private
    assert _mode(shared / "pocmap.gpkg") == 0o600


def test_a_store_readable_by_others_is_tightened_with_a_warning(tmp_path, caplog):
    path = tmp_path / "old.gpkg"
    _write_something(open_store(path))
    os.chmod(path, 0o644)  # as an older pocmap left it
    with caplog.at_level(logging.WARNING, logger="store.private"):
        store = open_store(path)
    assert _mode(path) == 0o600
    assert f"{path} was mode 644: others on this machine could read the store" in caplog.text
    assert "pocmap made it 0600 (owner only)" in caplog.text
    assert len(store.batches()) == 1
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="store.private"):
        open_store(path)
    assert caplog.text == ""  # once tightened, nothing more to say


def test_another_programs_file_is_not_touched(tmp_path):
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (x)")
    os.chmod(other, 0o644)
    with pytest.raises(ValueError, match="is not a pocmap store"):
        open_store(other)
    assert _mode(other) == 0o644


def test_a_copy_made_by_pocmap_migrate_is_owner_only(tmp_path, monkeypatch, capsys):
    source = tmp_path / "source.gpkg"
    _write_something(open_store(source))
    target = tmp_path / "backup" / "copy.gpkg"
    assert main(["migrate", "--from", str(source), "--to", str(target)]) == 0
    assert "done: point the app at the new store" in capsys.readouterr().out
    assert (_mode(target), _mode(target.parent)) == (0o600, 0o700)
