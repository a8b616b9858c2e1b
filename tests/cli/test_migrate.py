"""``pocmap migrate`` as an operator runs it: a summary on success, one line on error,
and never a password from a URL on the screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from cli import main
from ingest.sample import load_sample_into
from schema.catalogue import LAYER_SPECS
from store import open_store
from tests.store.test_migrate import assert_same_content, populate

ROOT = Path(__file__).resolve().parents[2]
SECRET = "hunter2-not-printed"


def run(*argv: str) -> int:
    """``pocmap ARGV`` in this process."""
    return main(list(argv))


@pytest.fixture
def source(tmp_path, monkeypatch) -> str:
    """A populated embedded store, the default one (``POCMAP_DB``)."""
    path = tmp_path / "data" / "pocmap.gpkg"
    populate(open_store(path))
    monkeypatch.setenv("POCMAP_DB", str(path))
    return str(path)


def _summary_is_complete(out: str, source: str) -> None:
    store = open_store(source)
    assert f"copied {source} -> " in out
    # The summary's column width follows its longest heading: compare words, not spaces.
    words = " ".join(out.split())
    assert "batches 12 (3 withdrawn, 2 under review)" in words
    for layer in LAYER_SPECS:
        rows = len(store.layer(layer, include_withdrawn=True))
        assert any(line.split() == [layer, str(rows)] for line in out.splitlines()), layer
    assert "files as sent 12 (" in words
    assert f"audit entries {len(store.audit_log())} (+1: this migration)" in words
    assert "done: point the app at the new store with POCMAP_DB=" in out


def test_the_default_store_moves_to_a_new_file(source, tmp_path, capsys):
    target = str(tmp_path / "new.gpkg")
    assert run("migrate", "--to", target, "--by", "it.admin") == 0
    out = capsys.readouterr().out
    _summary_is_complete(out, source)
    assert_same_content(open_store(source), open_store(target))
    last = open_store(target).audit_log().iloc[-1]
    assert (last["action"], last["actor"]) == ("migrate", "it.admin")


def test_the_command_runs_as_a_process(source, tmp_path):
    target = tmp_path / "elsewhere" / "new.gpkg"
    env = {**os.environ, "POCMAP_DB": str(tmp_path / "not-this-one.gpkg")}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "migrate", "--from", source, "--to", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    _summary_is_complete(done.stdout, source)
    assert not (tmp_path / "not-this-one.gpkg").exists()  # --from wins over POCMAP_DB
    # Recorded against whoever ran it, from the command line.
    assert open_store(target).audit_log().iloc[-1]["actor"].endswith("(command line)")


def test_a_target_that_is_not_empty_is_one_line_and_exit_2(source, tmp_path, capsys):
    target = tmp_path / "used.gpkg"
    load_sample_into(open_store(target))
    assert run("migrate", "--to", str(target)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"pocmap migrate: the target store {target} is not empty")


def test_a_missing_source_is_refused_without_creating_it(tmp_path, capsys):
    missing = tmp_path / "typo.gpkg"
    assert run("migrate", "--from", str(missing), "--to", str(tmp_path / "t.gpkg")) == 2
    assert capsys.readouterr().err == (
        f"pocmap migrate: there is no store at {missing}; give the one to copy with --from\n"
    )
    assert not missing.exists()


def test_an_unreachable_server_is_one_line_without_the_password(source, capsys):
    url = f"postgresql://pocmap:{SECRET}@127.0.0.1:1/pocmap"
    assert run("migrate", "--to", url) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(
        "pocmap migrate: cannot reach the PostGIS store postgresql://pocmap:***@127.0.0.1:1/pocmap"
    )
    assert SECRET not in captured.out + captured.err


def _with_password(url: str) -> str:
    """``url`` with a password in it, as an operator would type it (a trusting test server
    ignores it); ``url`` as is when it has one or the server wants the real one."""
    parts = urlsplit(url)
    if parts.password is not None:
        return url
    user = parts.username or "postgres"
    host = parts.netloc.rsplit("@", 1)[-1]
    with_secret = urlunsplit(parts._replace(netloc=f"{user}:{SECRET}@{host}"))
    try:
        psycopg.connect(with_secret, connect_timeout=5).close()
    except psycopg.Error:
        return url
    return with_secret


@pytest.mark.postgis
def test_the_store_moves_to_postgis_and_the_summary_hides_the_password(source, postgis_url, capsys):
    url = _with_password(postgis_url)
    assert run("migrate", "--to", url, "--by", "it.admin") == 0
    captured = capsys.readouterr()
    _summary_is_complete(captured.out, source)
    password = urlsplit(url).password
    if password:
        assert password not in captured.out + captured.err
        assert ":***@" in captured.out
    target = open_store(url)
    assert_same_content(open_store(source), target)
    # Run again: the target now holds the copy and is refused.
    assert run("migrate", "--to", url) == 2
    err = capsys.readouterr().err
    assert "is not empty (batches: 12," in err
    assert not password or password not in err
