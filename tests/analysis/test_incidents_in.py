"""The incidents behind each row of the joint analysis are the ones its counts count, on the
synthetic sample and on real-format data (CAR: COD-AB, ACLED-format and UCDP GED, with the
real 2019 peace agreement and real national milestones added); and a map click finds the
incidents under it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis import incidents_in
from analysis.joint import Options, analyse
from schema import local_agreements, political_processes
from schema.filters import IncidentFilter
from schema.mission import from_layers, load_sample
from store import open_store
from tests.real_data import CAR_ACLED, CAR_UCDP
from tests.real_data.test_car_mission import COD_AB, _import


def _counts_agree(data, result) -> int:
    """Assert every hot spot's, agreement's and milestone's listed incidents equal the
    table's count; return how many rows were checked."""
    checked = 0
    gaps, drivers = result.gaps.hot_spots, result.drivers_by_hot_spot.set_index("group")
    for _row, row in gaps.iterrows():
        listed = incidents_in.hot_spot_incidents(data, result, int(row["cluster"]))
        assert len(listed) == row["incidents"] > 0, row["cluster"]
        assert len(listed) == drivers.loc[f"hot spot {int(row['cluster'])}", "incidents"]
        assert listed["incident_id"].is_unique
        checked += 1
    for _row, row in result.agreements.summary.iterrows():
        listed = incidents_in.agreement_incidents(data, result, row["agreement_id"])
        for part, column in incidents_in.AGREEMENT_PARTS.items():
            expected = 0 if pd.isna(row[column]) else int(row[column])
            assert int(listed[part].sum()) == expected, (row["agreement_id"], part)
        violations = result.agreements.violations
        in_force = violations[violations["agreement_id"] == row["agreement_id"]]
        assert set(listed.loc[listed["in_force"], "incident_id"]) == set(in_force["incident_id"])
        checked += 1
    for _row, row in result.escalation.table.iterrows():
        listed = incidents_in.milestone_incidents(data, result, row["milestone_id"])
        for side, column in incidents_in.MILESTONE_SIDES.items():
            assert int((listed["side"] == side).sum()) == row[column], (row["milestone_id"], side)
        checked += 1
    return checked


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.mark.parametrize(
    "options",
    [Options(), Options(shape="square", width_km=20, window_days=30, point_radius_km=12)],
    ids=["defaults", "other-options"],
)
def test_every_row_of_the_sample_lists_its_counted_incidents(sample, options):
    result = analyse(sample, None, options)
    assert result.hot_spots.clusters > 0 and len(result.agreements.summary) > 0
    assert len(result.escalation.table) > 0
    assert _counts_agree(sample, result) == (
        len(result.gaps.hot_spots) + len(result.agreements.summary) + len(result.escalation.table)
    )


def test_a_filtered_selection_lists_only_its_own_incidents(sample):
    selection = IncidentFilter(
        start=dt.date(2023, 3, 1), end=dt.date(2024, 6, 30), motivations=frozenset({"revenge"})
    )
    result = analyse(sample, selection)
    assert _counts_agree(sample, result) > 0
    for _row, row in result.agreements.summary.iterrows():
        listed = incidents_in.agreement_incidents(sample, result, row["agreement_id"])
        assert set(listed["motivation"]) <= {"revenge"}
        assert (listed["date"] >= pd.Timestamp(selection.start)).all()


def test_an_unknown_row_is_refused(sample):
    result = analyse(sample)
    with pytest.raises(KeyError):
        incidents_in.agreement_incidents(sample, result, "no such agreement")
    with pytest.raises(KeyError):
        incidents_in.milestone_incidents(sample, result, "no such milestone")
    assert len(incidents_in.hot_spot_incidents(sample, result, 999)) == 0


# --- real-format data ---------------------------------------------------------------------


_PROVISIONS = {
    "mission_role": "facilitator",
    "poc_language": True,
    "sgbv_provisions": False,
    "freedom_of_movement": True,
}


def _appr(country) -> gpd.GeoDataFrame:
    """The real Political Agreement for Peace and Reconciliation (signed 6 February 2019,
    its area the whole country, recorded violated on 17 December 2020 when the CPC formed)
    and a local agreement around Bambari (a point with a radius)."""
    rows = [
        {
            "agreement_id": "APPR",
            "name": "Political Agreement for Peace and Reconciliation",
            "agreement_type": "local_ceasefire",
            "status": "violated",
            "field_office": "Bangui",
            "date_signed": pd.Timestamp("2019-02-06"),
            "date_ended": pd.Timestamp("2020-12-17"),
            "parties": "UPC; Anti-balaka",
            **_PROVISIONS,
            "geometry": country,
        },
        {
            "agreement_id": "BAMBARI",
            "name": "Bambari local agreement",
            "agreement_type": "local_ceasefire",
            "status": "signed",
            "field_office": "Bambari",
            "date_signed": pd.Timestamp("2021-06-01"),
            "date_ended": pd.NaT,
            "parties": "UPC",
            **_PROVISIONS,
            "geometry": Point(20.6752, 5.7617),
        },
    ]
    return local_agreements.validate(gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326"))


MILESTONES = pd.DataFrame(
    {
        "milestone_id": ["KHARTOUM", "APPR-SIGNED", "ELECTIONS"],
        "date": pd.to_datetime(["2019-01-24", "2019-02-06", "2020-12-27"]),
        "kind": ["negotiation_round", "signature", "implementation"],
        "title": ["Khartoum talks open", "APPR signed in Bangui", "General elections"],
        "description": [None, None, None],
    }
).pipe(political_processes.validate_milestones)


@pytest.fixture(scope="module")
def car(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("car_incidents_in") / "car.gpkg")
    _import(store, COD_AB, "admin_boundaries", "HQ")
    _import(store, CAR_ACLED, "incidents")
    _import(store, CAR_UCDP, "incidents")
    data = from_layers(store.layer, "CAR")
    boundaries = data.admin_boundaries
    country = boundaries[boundaries["level"] == "1"].union_all()
    return dataclasses.replace(
        data, local_agreements=_appr(country), national_milestones=MILESTONES
    )


@pytest.mark.parametrize("width_km", [10, 50])
def test_every_row_of_real_data_lists_its_counted_incidents(car, width_km):
    result = analyse(car, None, Options(width_km=width_km))
    assert result.hot_spots.clusters > 0, "real CAR data has hot spots"
    checked = _counts_agree(car, result)
    assert checked == result.hot_spots.clusters + 2 + len(result.escalation.table)
    appr = incidents_in.agreement_incidents(car, result, "APPR")
    # Real data has events known only to the month and points known only to the country:
    # the watch leaves them out of its windows and areas, and so does the list.
    assert len(appr) < result.incidents
    assert set(appr["date_precision"].dropna()) <= {"day", "week"}
    assert (appr["location_precision"] != "country").all()


# --- a click on the joint map -------------------------------------------------------------


def _points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"incident_id": ["A", "B", "C", "D"]},
        geometry=[Point(2.123456, -2.5), Point(2.123456, -2.5), Point(2.4, -2.6), None],
        crs="EPSG:4326",
        index=[10, 11, 12, 13],
    )


def test_a_marker_click_lists_every_incident_at_its_place():
    # A marker comes back at its place rounded to 5 decimals, as the markers are drawn.
    returned = {"last_object_clicked": {"lat": -2.5, "lng": 2.12346}, "other": 1}
    assert incidents_in.at_click(returned, _points())["incident_id"].tolist() == ["A", "B"]
    assert incidents_in.clicked_point(returned) == (-2.5, 2.12346)


@pytest.mark.parametrize(
    "returned",
    [None, {}, {"last_object_clicked": None}, {"last_object_clicked": {"lat": "x", "lng": 1}}],
)
def test_nothing_clicked_lists_nothing(returned):
    assert incidents_in.clicked_point(returned) is None
    assert len(incidents_in.at_click(returned, _points())) == 0


def test_a_click_on_a_cell_lists_its_incidents_and_elsewhere_none():
    from shapely.geometry import box

    cells = gpd.GeoDataFrame(
        {"cell_id": ["east", "west"]},
        geometry=[box(2.3, -2.7, 2.5, -2.5), box(2.0, -2.7, 2.2, -2.4)],
        crs="EPSG:4326",
    )
    of_incident = pd.Series(["west", "west", "east", None], index=[10, 11, 12, 13])
    inside_east = {"last_object_clicked": {"lat": -2.55, "lng": 2.45}}
    found = incidents_in.at_click(inside_east, _points(), cells=cells, cell_of_incident=of_incident)
    assert found["incident_id"].tolist() == ["C"]
    nowhere = {"last_object_clicked": {"lat": 0.0, "lng": 0.0}}
    assert (
        len(incidents_in.at_click(nowhere, _points(), cells=cells, cell_of_incident=of_incident))
        == 0
    )
