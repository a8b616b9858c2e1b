"""Every cell of role x action x own/other office, at the data layer, on both stores.

Each cell does the real thing through :class:`access.session.Session` on a real
store: an allowed cell must have its effect; a refused one must raise ``Denied``,
change nothing and leave a ``denied`` entry in the audit log. The expected grid is
written out here by hand, independently of ``access.policy``.
"""

from __future__ import annotations

import dataclasses
import itertools

import pandas as pd
import pytest

from access.policy import ACTIONS, Denied
from access.roles import ADMIN, ANALYST, FIELD_OFFICE, ROLES, VIEWER, Caller
from access.session import Session
from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.upload import Upload
from store import open_store
from store.base import ACCEPTED, UNDER_REVIEW
from tests.ingest import uploads
from tests.store import helpers

OWN_OFFICE, OTHER_OFFICE = "Kalondo office", "Oubandi office"

# For each action: what (viewer, field_office, analyst, admin) may do, as
# "yy" (own and other office), "y-" (own office only) or "--" (neither).
EXPECTED = {
    "view_map":           ("yy", "yy", "yy", "yy"),
    "briefing":           ("yy", "yy", "yy", "yy"),
    "export":             ("yy", "yy", "yy", "yy"),
    "view_restricted":    ("--", "y-", "yy", "--"),
    "view_under_review":  ("--", "y-", "yy", "--"),
    "view_batch_details": ("--", "y-", "yy", "--"),
    "upload":             ("--", "y-", "yy", "--"),
    "review":             ("--", "--", "yy", "--"),
    "withdraw":           ("--", "--", "yy", "--"),
    "restore":            ("--", "--", "yy", "--"),
    "edit_motivation":    ("--", "--", "yy", "--"),
    "view_edit_history":  ("--", "--", "yy", "yy"),
    "manage_users":       ("--", "--", "--", "yy"),
    "view_audit":         ("--", "--", "--", "yy"),
    "double_code":        ("--", "--", "yy", "--"),
}  # fmt: skip
CELLS = [
    (role, action, whose)
    for action, role, whose in itertools.product(EXPECTED, ROLES, ("own", "other"))
]


def test_the_grid_covers_every_action_of_the_policy():
    assert set(EXPECTED) == set(ACTIONS)


def _caller(role: str) -> Caller:
    # Only field office users belong to an office; the others' "own" is Kalondo's too.
    return Caller(f"{role}.user", role, OWN_OFFICE if role == FIELD_OFFICE else None)


class _Mission:
    """A store with batches of both offices, accepted and under review."""

    def __init__(self, location: str) -> None:
        uploads.store_with_boundaries(location)
        self.store = open_store(location)
        self.serial = itertools.count()

    def batch(self, office: str, review: str = ACCEPTED, status: str = "active") -> int:
        n = next(self.serial)
        rows = helpers.incidents(2, f"B{n}", seed=n)
        original = f"file {n}".encode()
        batch = helpers.new_batch("incidents", rows, original, office=office)
        batch = dataclasses.replace(batch, review=review)
        done = self.store.commit_batch(
            batch, rows, report=helpers.REPORT, original=original, id_column="incident_id"
        )
        if status == "withdrawn":
            self.store.withdraw(done.batch_id, by="setup", reason="for the test")
        return done.batch_id


@pytest.fixture(
    scope="module", params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)]
)
def mission(request, tmp_path_factory):
    if request.param == "geopackage":
        location = str(tmp_path_factory.mktemp("matrix") / "pocmap.gpkg")
    else:
        location = request.getfixturevalue("postgis_module_url")
    return _Mission(location)


def _office(whose: str) -> str:
    return OWN_OFFICE if whose == "own" else OTHER_OFFICE


def _ids(frame: pd.DataFrame, batch_id: int) -> list[str]:
    return frame.loc[frame["batch_id"] == batch_id, "incident_id"].tolist()


def _act(mission: _Mission, session: Session, action: str, office: str) -> bool:
    """Do ``action`` on a target of ``office``; return whether it had its effect."""
    store = mission.store
    if action == "view_map":
        batch = mission.batch(office)
        return len(_ids(session.layer("incidents"), batch)) == 2
    if action == "view_restricted":
        batch = mission.batch(office)
        frame = session.layer("incidents")
        rows = frame[frame["batch_id"] == batch]
        assert len(rows) == 2  # the rows are always there; only the fields are blanked
        return bool(rows["narrative"].notna().all())
    if action == "view_under_review":
        batch = mission.batch(office, review=UNDER_REVIEW)
        # Maps and analysis never show a batch under review, whoever asks.
        assert _ids(session.layer("incidents"), batch) == []
        listed = batch in [b.batch_id for b in session.under_review()]
        if not session.may("view_under_review", session.caller.office):
            assert not listed
            session.layer("incidents", under_review=True)  # refused outright
        seen = len(_ids(session.layer("incidents", under_review=True), batch)) == 2
        assert seen == listed
        return seen
    if action == "view_batch_details":
        batch = mission.batch(office)
        return session.original(batch).data == store.original(batch).data
    if action == "upload":
        fixture = uploads.native_incidents_cp1252()
        data = fixture.data + f"\n;x{next(mission.serial)}".encode()  # a new file each time
        options = session.import_options(
            ImportOptions(layer="incidents", office=office, uploader="anyone", profile="auto")
        )
        preview = preview_import(session, Upload(fixture.name, data), options)
        batch = commit_import(session, preview)
        stored = store.batch(batch.batch_id)
        assert stored.uploader == session.caller.name  # not what the options claimed
        expected = UNDER_REVIEW if session.caller.role == FIELD_OFFICE else ACCEPTED
        assert stored.review == expected
        store.withdraw(batch.batch_id, by="cleanup", reason="ids reused by the next cell")
        return True
    if action == "review":
        batch = mission.batch(office, review=UNDER_REVIEW)
        session.accept(batch)
        return store.batch(batch).review == ACCEPTED
    if action == "withdraw":
        batch = mission.batch(office)
        session.withdraw(batch, reason="wrong dates")
        return store.batch(batch).status == "withdrawn"
    if action == "restore":
        batch = mission.batch(office, status="withdrawn")
        session.restore(batch)
        return store.batch(batch).status == "active"
    if action == "edit_motivation":
        batch = mission.batch(office)
        (incident, _) = store.layer("incidents").query("batch_id == @batch")["incident_id"]
        session.edit_motivation(incident, motivation="predation", reason="new witness")
        frame = store.layer("incidents")
        return frame.loc[frame["incident_id"] == incident, "motivation"].item() == "predation"
    if action == "view_edit_history":
        return list(session.edits().columns)[:3] == ["edit_id", "layer", "row_key"]
    if action == "manage_users":
        session.record_users_change("user_add", "new.user", {"role": VIEWER})
        return store.audit_log()["target"].iloc[-1] == "user new.user"
    if action == "view_audit":
        return len(session.audit_log()) == len(store.audit_log())
    if action == "double_code":
        from schema.filters import IncidentFilter

        batch = mission.batch(office)
        sample = session.draw_coding_sample(IncidentFilter(), 2, name=f"s{batch}", seed=batch)
        return len(session.coding_queue(sample)) == 2
    if action in ("briefing", "export"):
        session.record_output(action, {"file": f"{action}.pdf", "level": "shareable"})
        return store.audit_log()["action"].iloc[-1] == action
    raise AssertionError(f"no test for {action}")


@pytest.mark.parametrize(("role", "action", "whose"), CELLS)
def test_role_action_office(mission, role, action, whose):
    caller = _caller(role)
    session = Session(mission.store, caller)
    grid = EXPECTED[action][ROLES.index(role)]
    expected = grid[0 if whose == "own" else 1] == "y"
    office = _office(whose)
    # Reads that are narrowed, not refused: absence is the refusal. (A field office may
    # look at uploads under review, its own only; viewers and admins are refused.)
    narrowed = action == "view_restricted" or (
        action == "view_under_review" and role == FIELD_OFFICE
    )
    seen = len(mission.store.audit_log())
    if expected or narrowed:
        assert _act(mission, session, action, office) is expected
        return
    with pytest.raises(Denied, match="may not ") as caught:
        _act(mission, session, action, office)
    assert caller.describe() in str(caught.value)
    # Every write to the store is audited in its own transaction, so "the caller's only
    # entry since is the refusal" means the refused action changed nothing.
    since = mission.store.audit_log().iloc[seen:]
    by_caller = since[since["actor"] == caller.name]
    assert by_caller["action"].tolist() == ["denied"]
    assert by_caller["role"].tolist() == [role]
    assert action in by_caller["details"].item()


# Issue 18: the answers that depend on what a role may see, for every role. An id already
# taken is refused for everyone (ids are unique store-wide); the batch holding it is named
# ("named") or not ("hidden": "already used"), and the audit log shows the sender of a
# batch ("shown") or hides it ("hidden"); "denied" where the role may not read the log.
# Per role: (under review, own office), (under review, other), (accepted, own), (accepted, other).
ID_ANSWERS = {
    VIEWER:       ("hidden", "hidden", "named", "named"),
    FIELD_OFFICE: ("named",  "hidden", "named", "named"),
    ANALYST:      ("named",  "named",  "named", "named"),
    ADMIN:        ("hidden", "hidden", "named", "named"),
}  # fmt: skip
AUDIT_SENDERS = {
    VIEWER:       ("denied", "denied", "denied", "denied"),
    FIELD_OFFICE: ("denied", "denied", "denied", "denied"),
    ANALYST:      ("denied", "denied", "denied", "denied"),
    ADMIN:        ("hidden", "hidden", "shown",  "shown"),
}  # fmt: skip
SEEN_CELLS = list(itertools.product(ROLES, (UNDER_REVIEW, ACCEPTED), ("own", "other")))


def _column(review: str, whose: str) -> int:
    return (0 if review == UNDER_REVIEW else 2) + (0 if whose == "own" else 1)


def test_the_new_grids_cover_every_role():
    assert set(ID_ANSWERS) == set(AUDIT_SENDERS) == set(ROLES)


@pytest.mark.parametrize(("role", "review", "whose"), SEEN_CELLS)
def test_a_taken_id_names_its_batch_only_to_who_may_see_it(mission, role, review, whose):
    session = Session(mission.store, _caller(role))
    batch = mission.batch(_office(whose), review=review)
    stored = _ids(mission.store.layer("incidents"), batch)[0]
    taken = f"  {stored.lower()} "  # another spelling of the stored id: the same id
    answer = session.existing_ids("incidents", [taken, "NEVER-USED"])
    named = ID_ANSWERS[role][_column(review, whose)] == "named"
    assert answer == {taken: batch if named else None}
    if not session.may("upload", session.caller.office):
        return
    # Through the checks an upload runs: the words the sender reads.
    lon, lat = uploads.INSIDE[0]
    header = "incident_id,date,incident_type,motivation,perpetrator_type,fatalities,lat,lon"
    data = f'{header}\n"{taken}",2025-03-01,killing,revenge,criminal,0,{lat},{lon}\n'.encode()
    options = session.import_options(
        ImportOptions(layer="incidents", office=session.caller.office or OWN_OFFICE)
    )
    preview = preview_import(session, Upload(f"{role}.csv", data), options)
    report = preview.result.report
    if named and mission.store.batch(batch).office == options.office:
        # The office's own id, which it may see: an update (ingest/updates.py) naming the
        # stored row's batch, not a refusal.
        assert preview.difference is not None
        assert report["problem"].astype(str).str.contains(f"batch {batch}\\b").any()
        return
    (problem,) = report.loc[report["column"] == "incident_id", "problem"]
    assert problem == (
        f"is already in the store (batch {batch})" if named else "is already used in the store"
    )


@pytest.mark.parametrize(("role", "review", "whose"), SEEN_CELLS)
def test_the_audit_log_shows_a_batchs_sender_only_to_who_may_see_it(mission, role, review, whose):
    from access.session import HIDDEN_SENDER

    session = Session(mission.store, _caller(role))
    batch = mission.batch(_office(whose), review=review)
    expected = AUDIT_SENDERS[role][_column(review, whose)]
    if expected == "denied":
        with pytest.raises(Denied, match="may not see or export the audit log"):
            session.audit_log()
        return
    log = session.audit_log()
    (actor,) = log.loc[(log["action"] == "upload") & (log["target"] == f"batch {batch}"), "actor"]
    assert actor == (HIDDEN_SENDER if expected == "hidden" else "a.officer")
