"""Rows of a batch through :class:`access.session.Session`, per role, on both stores: only
analysts withdraw, restore or accept some rows; a field office reads its own batch's rows
(narratives included) but not another office's; viewers and admins read no batch's rows,
so no narrative; analysis leaves withdrawn rows out, and the links follow."""

from __future__ import annotations

import dataclasses

import pytest

from access.policy import Denied
from access.roles import ADMIN, ANALYST, FIELD_OFFICE, VIEWER, Caller
from access.session import Session
from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.mission import from_layers
from schema.upload import Upload
from store import open_store
from store.base import UNDER_REVIEW
from tests.store import helpers

OWN, OTHER = "Kalondo office", "Oubandi office"
ANA = Caller("ana", ANALYST)
CALLERS = {
    VIEWER: Caller("lead", VIEWER),
    FIELD_OFFICE: Caller("kal", FIELD_OFFICE, OWN),
    ADMIN: Caller("it", ADMIN),
    ANALYST: ANA,
}


@pytest.fixture(params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)])
def store_location(request, tmp_path) -> str:
    if request.param == "geopackage":
        return str(tmp_path / "pocmap.gpkg")
    return request.getfixturevalue("postgis_url")


@pytest.fixture
def mission(store_location):
    """Two offices' batches under review (own: 1, other: 2) and an accepted one (3)."""
    store = open_store(store_location)
    for n, (office, review) in enumerate(
        [(OWN, UNDER_REVIEW), (OTHER, UNDER_REVIEW), (OWN, "accepted")]
    ):
        rows = helpers.incidents(4, f"B{n + 1}", seed=n)
        batch = helpers.new_batch("incidents", rows, f"f{n}".encode(), office=office)
        store.commit_batch(
            dataclasses.replace(batch, review=review),
            rows,
            report=helpers.REPORT,
            original=f"f{n}".encode(),
            id_column="incident_id",
        )
    return store


@pytest.mark.parametrize("role", [VIEWER, FIELD_OFFICE, ADMIN])
def test_only_analysts_withdraw_restore_or_accept_some_rows(mission, role):
    session = Session(mission, CALLERS[role])
    Session(mission, ANA).withdraw_rows(3, ["B3-0"], reason="set up")
    before = mission.row_withdrawals()
    for attempt in (
        lambda: session.withdraw_rows(3, ["B3-1"], reason="no"),
        lambda: session.restore_rows(3, ["B3-0"]),
        lambda: session.accept(1, ["B1-0"], reason="no"),
    ):
        with pytest.raises(Denied, match="only analyst users may"):
            attempt()
    assert mission.row_withdrawals().equals(before)
    assert mission.batch(1).review == UNDER_REVIEW
    denied = mission.audit_log().query("action == 'denied'")
    assert denied["actor"].tolist() == [CALLERS[role].name] * 3


def test_an_analyst_accepts_some_rows_and_analysis_leaves_the_others_out(mission):
    session = Session(mission, ANA)
    batch = session.accept(1, ["B1-0", "B1-2"], reason="B1-1 and B1-3 are repeats")
    assert batch.in_analysis
    ids = set(from_layers(session.layer).incidents["incident_id"])
    assert {"B1-0", "B1-2"} <= ids and not {"B1-1", "B1-3"} & ids
    rows = session.batch_rows(1)
    assert rows.set_index("incident_id")["withdrawn"].to_dict() == {
        "B1-0": False, "B1-1": True, "B1-2": False, "B1-3": True,
    }  # fmt: skip
    session.restore_rows(1, ["B1-3"])
    assert "B1-3" in set(session.layer("incidents")["incident_id"])


def test_a_field_office_reads_its_own_batchs_rows_not_anothers(mission):
    Session(mission, ANA).withdraw_rows(1, ["B1-1"], reason="in the sea")
    Session(mission, ANA).withdraw_rows(2, ["B2-1"], reason="wrong office")
    kalondo = Session(mission, CALLERS[FIELD_OFFICE])
    rows = kalondo.batch_rows(1)
    assert rows["narrative"].tolist() == ["[SYNTHETIC]"] * 4
    assert rows["withdrawn_reason"].tolist() == [None, "in the sea", None, None]
    assert kalondo.row_withdrawals()["batch_id"].tolist() == [1]  # not Oubandi's
    with pytest.raises(Denied, match="for their own office"):
        kalondo.batch_rows(2)
    with pytest.raises(Denied, match="for their own office"):
        kalondo.row_withdrawals(2)


@pytest.mark.parametrize("role", [VIEWER, ADMIN])
def test_viewers_and_admins_read_no_batchs_rows(mission, role):
    session = Session(mission, CALLERS[role])
    for batch_id in (1, 2, 3):
        with pytest.raises(Denied):
            session.batch_rows(batch_id)
    assert session.row_withdrawals().empty
    # What they do see, the analysis, has no narrative.
    assert session.layer("incidents")["narrative"].isna().all()


def test_an_analyst_reads_every_batchs_narratives(mission):
    session = Session(mission, ANA)
    for batch_id in (1, 2, 3):
        assert session.batch_rows(batch_id)["narrative"].notna().all()


HEADER = (
    "incident_id,date,incident_type,motivation,perpetrator_type,perpetrator_name,fatalities,"
    "location_precision,source,latitude,longitude\n"
)


def test_a_withdrawn_row_is_linked_no_more(tmp_path):
    """Relinking reads analysis: a report withdrawn loses its link, restored it gets it back."""
    store = open_store(tmp_path / "store.gpkg")
    session = Session(store, ANA)
    for name, row in (
        ("acled.csv", "A-1,2024-03-04,killing,unknown,state_forces,FACA,4,exact,ACLED,5.75,20.67"),
        (
            "ucdp.csv",
            "U-1,2024-03-04,killing,unknown,state_forces,FACA,4,exact,UCDP GED,5.75,20.67",
        ),
    ):
        options = session.import_options(
            ImportOptions(layer="incidents", office="JMAC", uploader="x", profile="native")
        )
        commit_import(
            session, preview_import(session, Upload(name, (HEADER + row).encode()), options)
        )
    assert store.links()[["a", "b", "status"]].values.tolist() == [["A-1", "U-1", "linked"]]
    assert len(from_layers(session.layer).incidents) == 1  # one event, counted once
    session.withdraw_rows(1, ["A-1"], reason="ACLED's coordinates are the town's")
    assert store.links().empty
    assert from_layers(session.layer).incidents["incident_id"].tolist() == ["U-1"]
    session.restore_rows(1, ["A-1"])
    assert store.links()[["a", "b"]].values.tolist() == [["A-1", "U-1"]]
