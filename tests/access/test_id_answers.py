"""An id check answers only from batches the caller may see.

Before issue 18 a field office importing an id held by another office's upload under
review read "already in the store (batch 16)": it learnt of a batch it may not see. Ids
are unique store-wide, so the row is still refused, but as "already used", naming no
batch; the batch is named once the caller may see it (its own office's, an analyst, or
accepted and on every map). Real files through ``ingest.pipeline`` as a session, on both
stores, including the commit that finds the id taken since its preview.
"""

from __future__ import annotations

import datetime as dt

import pytest

from access.roles import ANALYST, FIELD_OFFICE, Caller
from access.session import Session
from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.upload import IngestError, Upload
from store import open_store
from tests.ingest import uploads

KALONDO = Caller("kalondo.user", FIELD_OFFICE, "Kalondo office")
OUBANDI = Caller("oubandi.user", FIELD_OFFICE, "Oubandi office")
ANALYST_USER = Caller("ana.lyst", ANALYST)
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)])
def store(request, tmp_path):
    if request.param == "geopackage":
        where = str(tmp_path / "pocmap.gpkg")
    else:
        where = request.getfixturevalue("postgis_url")
    uploads.store_with_boundaries(where)
    return open_store(where)


def _file(ids: list[str], name: str) -> Upload:
    lines = ["incident_id,date,incident_type,motivation,perpetrator_type,fatalities,lat,lon"]
    for i, incident in enumerate(ids):
        lon, lat = uploads.INSIDE[i]
        lines.append(f"{incident},2025-03-{1 + i:02d},killing,revenge,criminal,0,{lat},{lon}")
    return Upload(name, "\n".join(lines).encode())


def _preview(session: Session, upload: Upload):
    office = session.caller.office or "HQ"
    options = session.import_options(ImportOptions(layer="incidents", office=office, today=TODAY))
    return preview_import(session, upload, options)


def _id_lines(preview) -> dict[str, tuple[str, str]]:
    report = preview.result.report
    lines = report[report["column"] == "incident_id"]
    return {
        v: (p, e)
        for v, p, e in zip(lines["value"], lines["problem"], lines["expected"], strict=True)
    }


def test_another_offices_batch_under_review_is_not_named(store):
    oubandi = Session(store, OUBANDI)
    held = commit_import(oubandi, _preview(oubandi, _file(["OUB-1", "OUB-2"], "oub.csv")))
    assert store.batch(held.batch_id).review == "under_review"

    kalondo = Session(store, KALONDO)
    preview = _preview(kalondo, _file(["OUB-1", "oub-2 ", "KAL-1"], "kal.csv"))
    lines = _id_lines(preview)
    assert sorted(lines) == ["OUB-1", "oub-2 "]  # still refused: ids are unique store-wide
    for problem, expected in lines.values():
        assert problem == "is already used in the store"
        assert "ids are unique across all offices" in expected
    told = preview.result.report.to_string()
    assert f"batch {held.batch_id}" not in told and "Oubandi" not in told
    assert preview.result.counts["rejected"] == 2
    assert kalondo.existing_ids("incidents", ["OUB-1"]) == {"OUB-1": None}

    # The sending office and analysts may see the batch: they are told which it is.
    again = _preview(Session(store, ANALYST_USER), _file(["OUB-1"], "ana.csv"))
    assert _id_lines(again)["OUB-1"][0] == f"is already in the store (batch {held.batch_id})"
    # The sending office's own id comes again as an update (ingest/updates.py), the stored
    # row's batch named.
    again = _preview(oubandi, _file(["OUB-1"], "oub-again.csv"))
    assert again.difference is not None
    assert f"batch {held.batch_id}" in again.result.report.to_string()

    # Accepted, the batch is on every map: every office is told which batch holds the id.
    Session(store, ANALYST_USER).accept(held.batch_id)
    after = _preview(kalondo, _file(["OUB-1"], "kal2.csv"))
    assert _id_lines(after)["OUB-1"][0] == f"is already in the store (batch {held.batch_id})"


def test_an_id_taken_between_preview_and_commit_is_refused_unnamed(store):
    """The commit finds the id taken since the preview, checks the file again as its
    caller and commits the rest; the report kept with the batch names no batch."""
    kalondo, oubandi = Session(store, KALONDO), Session(store, OUBANDI)
    waiting = _preview(kalondo, _file(["SHARED-1", "KAL-5"], "kal.csv"))
    assert not _id_lines(waiting)  # nothing taken yet
    held = commit_import(oubandi, _preview(oubandi, _file(["shared-1"], "oub.csv")))
    batch = commit_import(kalondo, waiting)
    assert (batch.accepted, batch.rejected) == (1, 1)
    report = kalondo.report(batch.batch_id)
    line = report[report["column"] == "incident_id"].iloc[0]
    assert (line["value"], line["problem"]) == ("SHARED-1", "is already used in the store")
    assert f"batch {held.batch_id}" not in report.to_string()


def test_the_same_file_sent_by_another_office_under_review_is_not_named(store):
    oubandi = Session(store, OUBANDI)
    sent = _file(["OUB-1", "OUB-2"], "oub.csv")
    held = commit_import(oubandi, _preview(oubandi, sent))

    kalondo = Session(store, KALONDO)
    preview = _preview(kalondo, Upload("from_oubandi.csv", sent.data))
    assert preview.already_imported is not None and not preview.already_imported_shown
    with pytest.raises(IngestError) as refused:
        commit_import(kalondo, preview)
    told = str(refused.value)
    assert "already sent by another office" in told
    assert f"batch {held.batch_id}" not in told and "Oubandi" not in told and "oub.csv" not in told

    # The sending office and analysts are told which batch holds it.
    for caller in (OUBANDI, ANALYST_USER):
        again = _preview(Session(store, caller), sent)
        assert again.already_imported_shown
        with pytest.raises(IngestError, match=f"batch {held.batch_id}"):
            commit_import(Session(store, caller), again)
