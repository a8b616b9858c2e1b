# ruff: noqa: F811 (the fixtures imported from test_sign_in are parameters here)
"""The Admin page checks the audit log's hash chain on every visit (AppTest): intact, with
the head to note; broken, naming the entry; and a head noted earlier that is gone."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from store import open_store
from tests.ui.test_sign_in import (  # noqa: F401 (fixtures)
    _page,
    _sign_in,
    boundaries_file,
    db,
    people,
)


def _admin_page():
    at = _sign_in(_page("admin"), "it")
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_an_intact_log_shows_its_head(people, db):
    open_store(db).record("export", by="ana", target="x.gpkg")
    at = _admin_page()
    check = open_store(db).verify_audit()
    (status,) = [s.value for s in at.success if "Audit log intact" in s.value]
    assert f"Audit log intact: {check.entries} entries, every hash and link holds." in status
    assert f"Head `{check.head}`" in status


def test_a_changed_entry_is_shown_with_its_seq(people, db):
    open_store(db).record("export", by="ana", target="x.gpkg")
    at = _admin_page()
    noted = str(open_store(db).verify_audit().head)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DROP TRIGGER audit_log_update_refused")
        conn.execute("DROP TRIGGER audit_log_delete_refused")
        (seq,) = conn.execute("SELECT seq FROM audit_log WHERE action = 'export'").fetchone()
        conn.execute("UPDATE audit_log SET target = 'y.gpkg' WHERE seq = ?", (seq,))
    at = at.run()
    (error,) = [e.value for e in at.error]
    assert "audit log BROKEN: 1 break(s)" in error
    assert f"- seq {seq}, content changed: seq {seq} (export by ana at " in error
    # The entries after the head noted are cut: the head noted is found missing.
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE audit_log SET target = 'x.gpkg' WHERE seq = ?", (seq,))
        conn.execute("DELETE FROM audit_log WHERE seq >= ?", (int(noted.split(":")[0]),))
    at = at.run()
    assert not at.error and at.success  # a shorter chain still holds...
    at.text_input(key="admin_audit_anchor").input(noted).run()
    (error,) = [e.value for e in at.error]  # ...but not against the head noted
    assert f"anchor not found: the anchor's entry seq {noted.split(':')[0]} is not in" in error
