"""The audit log's hash chain on both stores: written by every write, kept by migrations
and copies, unforked by concurrent writers, and broken where someone who bypassed the
append-only triggers changed, deleted or cut entries: ``pocmap audit --verify`` says where."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import psycopg
import pytest

from cli import main
from store import audit_chain, open_store, pg_schema, schema, sql
from store.audit_chain import Anchor
from store.migrate import migrate
from store.postgis import PgConnection
from tests.store import helpers


def _entries(store, n: int) -> None:
    """A batch (one upload entry) then ``n - 1`` more entries, with non-ASCII details."""
    rows = helpers.incidents(2, "CH")
    batch = helpers.new_batch("incidents", rows, b"chain")
    store.commit_batch(
        batch, rows, report=helpers.REPORT, original=b"chain", id_column="incident_id"
    )
    for i in range(n - 1):
        store.record("export", by="ana", target=f"file {i}", details={"note": f"exporté n°{i}"})


def _tamper(location: str, statement: str, params: tuple = ()) -> None:
    """Run ``statement`` on the audit log past its append-only triggers, as someone with
    the file (GeoPackage: drops them) or the owner/superuser (PostGIS: disables them)."""
    if "://" in location:
        with psycopg.connect(location, options="-c search_path=pocmap") as conn:
            conn.execute("ALTER TABLE pocmap.audit_log DISABLE TRIGGER audit_log_append_only")
            conn.execute(statement.replace("?", "%s"), params)
            conn.execute("ALTER TABLE pocmap.audit_log ENABLE TRIGGER audit_log_append_only")
        return
    with closing(sqlite3.connect(location)) as conn, conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_update_refused")
        conn.execute("DROP TRIGGER IF EXISTS audit_log_delete_refused")
        conn.execute(statement, params)


def _verify(store_location: str, monkeypatch, capsys, *extra: str) -> tuple[int, str]:
    """``pocmap audit --verify`` on the store; its exit status and output."""
    monkeypatch.setenv("POCMAP_DB", store_location)
    code = main(["audit", "--verify", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_an_untampered_log_verifies(store, store_location, monkeypatch, capsys):
    _entries(store, 5)
    log = store.audit_log()
    assert log["seq"].tolist() == [1, 2, 3, 4, 5]
    check = store.verify_audit()
    assert check.intact and check.entries == 5 and check.head.seq == 5
    code, out = _verify(store_location, monkeypatch, capsys)
    assert code == 0, out
    assert (
        f"audit log intact: 5 entries, every hash and link holds; head 5:{check.head.hash}" in out
    )


def test_changed_details_are_found_at_their_entry(store, store_location, monkeypatch, capsys):
    _entries(store, 5)
    _tamper(
        store_location,
        "UPDATE audit_log SET details = ? WHERE seq = 3",
        ('{"note": "nothing to see"}',),
    )
    assert store.audit_log().set_index("seq").loc[3, "details"] == '{"note": "nothing to see"}'
    code, out = _verify(store_location, monkeypatch, capsys)
    assert code == 3, out
    assert "audit log BROKEN: 1 break(s) in 5 entries; first at seq 3: content changed" in out
    assert "seq 3: content changed: seq 3 (export by ana at " in out
    assert "no longer matches its hash" in out


def test_a_rewritten_hash_shows_at_the_next_entry(store, store_location, monkeypatch, capsys):
    _entries(store, 5)
    forged = {**_chain(store)[1], "actor": "someone else"}  # seq 2, its hash made anew
    _tamper(
        store_location,
        "UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 2",
        ("someone else", audit_chain.entry_hash(forged)),
    )
    code, out = _verify(store_location, monkeypatch, capsys)
    assert code == 3, out
    assert "seq 3: chain broken: seq 3 does not chain to seq 2: seq 2 was rewritten" in out


def test_a_deleted_entry_is_found_between_its_neighbours(
    store, store_location, monkeypatch, capsys
):
    _entries(store, 6)
    _tamper(store_location, "DELETE FROM audit_log WHERE seq IN (3, 4)")
    code, out = _verify(store_location, monkeypatch, capsys)
    assert code == 3, out
    assert "first at seq 5: entries missing" in out
    assert "seq 5: entries missing: seq 3-4 missing: seq 5 chains to an entry no longer" in out
    assert "(deleted between seq 2 and seq 5)" in out


def test_deleting_the_first_entry_is_found(store, store_location, monkeypatch, capsys):
    _entries(store, 3)
    _tamper(store_location, "DELETE FROM audit_log WHERE seq = 1")
    code, out = _verify(store_location, monkeypatch, capsys)
    assert code == 3
    assert "seq 2: entries missing: seq 2 is the first entry but chains to an earlier one" in out


def test_cutting_the_end_is_found_against_an_anchor(
    store, store_location, monkeypatch, capsys, tmp_path
):
    anchor = tmp_path / "elsewhere" / "audit-head"
    anchor.parent.mkdir()
    _entries(store, 3)
    code, out = _verify(store_location, monkeypatch, capsys, "--anchor", str(anchor))
    assert code == 0, out
    noted = anchor.read_text().strip()
    assert noted == str(store.verify_audit().head) and noted.startswith("3:")
    assert (anchor.stat().st_mode & 0o777) == 0o600
    _entries_more(store, 2)
    code, out = _verify(store_location, monkeypatch, capsys, "--anchor", str(anchor))
    assert code == 0, out
    assert f"the head noted in {anchor} (3:" in out
    assert anchor.read_text().startswith("5:")
    # The last two entries deleted: a shorter chain is still a chain...
    _tamper(store_location, "DELETE FROM audit_log WHERE seq > 3")
    assert store.verify_audit().intact
    # ...but the head noted elsewhere is gone.
    code, out = _verify(store_location, monkeypatch, capsys, "--anchor", str(anchor))
    assert code == 3, out
    assert (
        "seq 5: anchor not found: the anchor's entry seq 5 is not in the log (it ends at seq 3)"
        in out
    )
    assert anchor.read_text().startswith("5:")  # kept: it notes the last head that held


def _entries_more(store, n: int) -> None:
    for i in range(n):
        store.record("briefing", by="ana", details={"n": i})


def _chain(store) -> list[dict]:
    with store._reading() as conn:
        return sql.audit_chain_rows(conn)


def test_an_entry_slipped_into_a_gap_is_named():
    entries = audit_chain.chained(
        {"seq": s, "at": "2026-12-01T00:00:00.000Z", "actor": "ana", "role": "analyst",
         "office": None, "action": "export", "target": "", "details": "{}"}
        for s in (1, 2, 4)
    )  # fmt: skip
    assert audit_chain.verify(entries).intact  # a skipped number alone is no break
    forged = {**entries[1], "seq": 3, "actor": "mallory", "prev_hash": entries[1]["hash"]}
    forged["hash"] = audit_chain.entry_hash(forged)
    check = audit_chain.verify([entries[0], entries[1], forged, entries[2]])
    assert [(b.seq, b.kind) for b in check.breaks] == [(3, audit_chain.INSERTED)]
    assert (
        "seq 3 (export by mallory) was inserted: seq 4 chains to seq 2" in check.breaks[0].message
    )


def test_an_anchor_is_read_as_written_and_a_wrong_one_is_named():
    digest = "ab" * 32
    assert Anchor.parse(f" 12:{digest}\n") == Anchor(12, digest)
    with pytest.raises(ValueError, match=r"anchor 'twelve' is not SEQ:HASH"):
        Anchor.parse("twelve")


def test_concurrent_writers_do_not_fork_the_chain(store):
    def write(who: str) -> None:
        for i in range(8):
            store.record("export", by=who, details={"i": i})

    threads = [threading.Thread(target=write, args=(f"writer{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check = store.verify_audit()
    assert check.intact, check.breaks
    assert check.entries == 32 and store.audit_log()["seq"].tolist() == list(range(1, 33))


def test_the_database_refuses_an_entry_without_the_chain(store, store_location):
    _entries(store, 1)
    statement = (
        "INSERT INTO audit_log (seq, at, actor, action, details) "
        "VALUES (2, '2026-12-01', 'x', 'export', '{}')"
    )
    if "://" in store_location:
        with psycopg.connect(store_location, options="-c search_path=pocmap") as conn:
            with pytest.raises(psycopg.errors.NotNullViolation):
                conn.execute(statement)
    else:
        with closing(sqlite3.connect(store_location)) as conn:
            with pytest.raises(sqlite3.IntegrityError, match="carry prev_hash and hash"):
                conn.execute(statement)
    assert store.verify_audit().intact


# --- migrations -----------------------------------------------------------------------
_V2_ENTRY = (
    "INSERT INTO audit_log (at, actor, role, office, action, target, details) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_OLD_ENTRIES = [
    (f"2025-01-0{i}T00:00:00.000Z", f"user{i}", "analyst", None, "export", f"t{i}", "{}")
    for i in range(1, 5)
]


def _check_chained(store) -> None:
    assert store.schema_version() == schema.LATEST_VERSION
    check = store.verify_audit()
    assert check.intact and check.entries == 4
    assert store.audit_log()["actor"].tolist() == ["user1", "user2", "user3", "user4"]
    store.record("export", by="ana")
    assert store.verify_audit().intact and store.verify_audit().entries == 5


def test_a_version_2_geopackage_has_its_entries_chained(tmp_path):
    path = tmp_path / "v2.gpkg"
    with closing(schema.connect(path)) as conn, schema.transaction(conn):
        schema._run_script(conn, schema._GPKG_CORE)
        schema._run_script(conn, schema._STORE_DDL)
        schema.migrate(conn, had_batches=False, upto=2)
        conn.executemany(_V2_ENTRY, _OLD_ENTRIES)
    store = open_store(path)
    _check_chained(store)
    with closing(sqlite3.connect(path)) as conn:  # and the log is append-only again
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_log SET actor = 'x'")


@pytest.mark.postgis
def test_a_version_2_postgis_store_has_its_entries_chained(postgis_url):
    with psycopg.connect(postgis_url, options="-c search_path=pocmap,public") as conn:
        pg_schema.initialise(PgConnection(conn), "test", upto=2)
        PgConnection(conn).executemany(_V2_ENTRY, _OLD_ENTRIES)
    store = open_store(postgis_url)
    _check_chained(store)
    with psycopg.connect(postgis_url) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("UPDATE pocmap.audit_log SET actor = 'x'")


@pytest.mark.parametrize(
    "target_kind", ["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)]
)
def test_a_copied_store_keeps_a_valid_chain(tmp_path, request, target_kind):
    source = open_store(tmp_path / "source.gpkg")
    _entries(source, 4)
    target_location = (
        str(tmp_path / "target.gpkg")
        if target_kind == "geopackage"
        else request.getfixturevalue("postgis_url")
    )
    target = open_store(target_location)
    migrate(source, target, by="it.admin")
    copied, original = _chain(target), _chain(source)
    assert copied[:-1] == original  # same numbers, content and hashes
    assert copied[-1]["prev_hash"] == original[-1]["hash"]  # the migrate entry follows on
    check = target.verify_audit()
    assert check.intact and check.entries == 5


@pytest.mark.parametrize("role", ["viewer", "field_office", "analyst"])
def test_only_admins_may_check_the_chain_through_a_session(gpkg_store, role):
    from access.policy import Denied
    from access.roles import ADMIN, Caller
    from access.session import Session

    _entries(gpkg_store, 2)
    office = "Kalondo office" if role == "field_office" else None
    with pytest.raises(Denied):
        Session(gpkg_store, Caller(f"{role}.user", role, office)).verify_audit()
    assert gpkg_store.audit_log()["action"].iloc[-1] == "denied"
    check = Session(gpkg_store, Caller("it", ADMIN)).verify_audit()
    assert check.intact and check.entries == 3  # the refusal is on record, and chained
