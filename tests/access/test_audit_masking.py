"""The audit log does not name the sender of a batch under review to an admin.

The role table says admins may not see uploads under review nor their senders; before
issue 18 the Admin page's audit log (and ``pocmap audit --csv``) named them anyway. Now
the sender's entries about such a batch read "(hidden: batch under review)" for a role
that may not see it, until an analyst accepts the batch. Real uploads through
``ingest.pipeline`` as a session, on both stores; the CLI writes the CSV an admin gets.
"""

from __future__ import annotations

import pandas as pd
import pytest

from access.policy import Denied
from access.roles import ADMIN, ANALYST, FIELD_OFFICE, VIEWER, Caller
from access.session import HIDDEN_SENDER, Session
from cli import main
from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.upload import Upload
from store import open_store
from tests.ingest import uploads

SENDER = Caller("oubandi.sender", FIELD_OFFICE, "Oubandi office")
ANALYST_USER = Caller("ana.lyst", ANALYST)
ADMIN_USER = Caller("it.admin", ADMIN)
VIEWER_USER = Caller("vi.ewer", VIEWER)


@pytest.fixture(params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)])
def location(request, tmp_path) -> str:
    if request.param == "geopackage":
        where = str(tmp_path / "pocmap.gpkg")
    else:
        where = request.getfixturevalue("postgis_url")
    uploads.store_with_boundaries(where)
    return where


def _upload(session: Session, salt: str) -> int:
    """A field office's real file (each call a new file, with new ids), through the pipeline."""
    fixture = uploads.native_incidents_cp1252()
    data = fixture.data.replace(b"NDB-", f"NDB{salt}-".encode())
    options = session.import_options(
        ImportOptions(layer="incidents", office=session.caller.office or "HQ", profile="auto")
    )
    return commit_import(session, preview_import(session, Upload(fixture.name, data), options))


def _upload_entry(log: pd.DataFrame, batch_id: int) -> pd.Series:
    return log[(log["action"] == "upload") & (log["target"] == f"batch {batch_id}")].iloc[0]


def test_an_admin_does_not_see_who_sent_a_batch_under_review(location, tmp_path, monkeypatch):
    store = open_store(location)
    sender, analyst = Session(store, SENDER), Session(store, ANALYST_USER)
    waiting = _upload(sender, "a").batch_id
    withdrawn = _upload(sender, "b").batch_id  # refused by an analyst while under review
    analyst.withdraw(withdrawn, reason="wrong month")
    accepted = _upload(analyst, "c").batch_id
    with pytest.raises(Denied):
        sender.accept(waiting)  # the sender's own refusal names them in its details
    with pytest.raises(Denied):
        Session(store, VIEWER_USER).original(waiting)  # someone else's refusal about it

    log = Session(store, ADMIN_USER).audit_log()
    raw = store.audit_log()
    assert len(log) == len(raw) and log["seq"].tolist() == raw["seq"].tolist()
    for batch in (waiting, withdrawn):
        entry = _upload_entry(log, batch)
        assert entry["actor"] == HIDDEN_SENDER
        assert (entry["role"], entry["office"]) == (FIELD_OFFICE, "Oubandi office")
    assert _upload_entry(log, accepted)["actor"] == ANALYST_USER.name
    refusals = log[log["action"] == "denied"]
    assert refusals["actor"].tolist() == [HIDDEN_SENDER, VIEWER_USER.name]
    assert SENDER.name not in log.to_csv()  # nowhere: not in a refusal's details either
    # The store keeps every entry as written; only what the admin is shown differs.
    assert _upload_entry(raw, waiting)["actor"] == SENDER.name

    # `pocmap audit --csv`, the admin's download, goes through the same session.
    monkeypatch.setenv("POCMAP_DB", location)
    out = tmp_path / "audit.csv"
    assert main(["audit", "--csv", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    assert HIDDEN_SENDER in written and SENDER.name not in written

    # Accepted, the batch is on every map: the log names who sent it.
    analyst.accept(waiting)
    log = Session(store, ADMIN_USER).audit_log()
    assert _upload_entry(log, waiting)["actor"] == SENDER.name
    assert _upload_entry(log, withdrawn)["actor"] == HIDDEN_SENDER  # never accepted


@pytest.mark.parametrize("role", [VIEWER, FIELD_OFFICE, ANALYST])
def test_other_roles_still_may_not_read_the_log(location, role):
    caller = Caller(f"{role}.user", role, "Oubandi office" if role == FIELD_OFFICE else None)
    with pytest.raises(Denied, match="may not see or export the audit log"):
        Session(open_store(location), caller).audit_log()
