"""Agreement watch and protection gaps on real-format data of the Central African Republic
(issue 21): OCHA's COD-AB boundaries and the real UCDP GED 2018-2022 subset, imported into a
real store as a mission would (helpers of ``test_car_mission``).

The agreement is the real Political Agreement for Peace and Reconciliation (APPR), signed
on 6 February 2019; the parties named are two of its armed-group signatories, written as a
person would ("Anti-balaka", not UCDP's "anti-Balaka"). Offices are two real towns.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis.agreement_watch import agreement_watch
from analysis.gaps import protection_gaps
from analysis.hotspots import hot_spots
from schema.mission import load_sample
from store import open_store
from tests.real_data import CAR_UCDP
from tests.real_data.test_car_mission import COD_AB, _import

BANGUI = Point(18.5582, 4.3947)
BAMBARI = Point(20.6752, 5.7617)


@pytest.fixture(scope="module")
def car(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("car_gaps") / "car.gpkg")
    _import(store, COD_AB, "admin_boundaries", "HQ")
    _import(store, CAR_UCDP, "incidents")
    boundaries = store.layer("admin_boundaries")
    country = boundaries[boundaries["level"] == "1"].union_all()
    return store.layer("incidents"), boundaries, country


def _appr(country, parties: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        [
            {
                "agreement_id": "APPR",
                "name": "Political Agreement for Peace and Reconciliation",
                "agreement_type": "local_ceasefire",
                "status": "violated",  # recorded as violated, with no end date
                "field_office": "Bangui",
                "date_signed": pd.Timestamp("2019-02-06"),
                "date_ended": pd.NaT,
                "parties": parties,
                "geometry": country,
            }
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )


def _is_party(name, parties: set[str]) -> bool:
    """Independently of the code: UCDP writes joint sides as "A / B" or "A, B"."""
    if not isinstance(name, str):
        return False
    pieces = name.replace(",", "/").split("/")
    return any(p.strip().lower().replace("-", " ") in parties for p in pieces)


def test_the_appr_splits_incidents_by_its_signatories(car):
    incidents, _, country = car
    watch = agreement_watch(incidents, _appr(country, "UPC; Anti-balaka"))
    row = watch.summary.iloc[0]
    # Events known only to the month or year, and points known only to the country, are
    # left out of windows of days and areas (and counted in the notes).
    usable = ~incidents["date_precision"].isin(["month", "year"]) & (
        incidents["location_precision"] != "country"
    )
    assert watch.notes and (~usable).sum() > 0
    dates = pd.to_datetime(incidents["date"]).dt.date
    in_force = incidents[usable & (dates >= dt.date(2019, 2, 6))]
    expected = in_force["perpetrator_name"].map(lambda n: _is_party(n, {"upc", "anti balaka"}))
    assert row["in_force_incidents"] == len(in_force)
    assert row["in_force_by_parties"] == int(expected.sum()) > 20
    assert row["in_force_by_parties"] + row["in_force_by_others"] + row[
        "in_force_not_attributed"
    ] == len(in_force)
    # Violated, but no end date: counted as in force to the end of the data, and said.
    assert "recorded as violated with no date_ended" in row["warning"]
    assert row["in_force_days"] == (dates.max() - dt.date(2019, 2, 6)).days + 1
    assert not row["at_risk"] and row["after_end_verdict"] == ""
    # Symmetric windows either side of signature, and the effect in words.
    assert row["window_days"] == 180
    assert "the rate before signature, 95 % interval" in row["effect"]
    listed = watch.violations["perpetrator_is"].value_counts()
    assert listed["a party"] == row["in_force_by_parties"]


@pytest.fixture(scope="module")
def spots(car):
    incidents, boundaries, _ = car
    return hot_spots(incidents, boundaries, width_m=10_000)


def _presence(country, offices: list[Point]) -> gpd.GeoDataFrame:
    rows = [
        {
            "presence_id": "AOR-ALL",
            "name": "Areas of responsibility over the whole country",
            "kind": "area_of_responsibility",
            "field_office": "Bangui",
            "geometry": country,
        }
    ]
    rows += [
        {
            "presence_id": f"FO-{i}",
            "name": f"Office {i}",
            "kind": "field_office",
            "field_office": f"Office {i}",
            "geometry": point,
        }
        for i, point in enumerate(offices)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def test_areas_over_the_whole_country_still_leave_presence_gaps(car, spots):
    incidents, _, country = car
    sample = load_sample()
    gaps = protection_gaps(
        spots,
        incidents,
        sample.local_processes.iloc[:0],
        sample.local_agreements.iloc[:0],
        _presence(country, [BANGUI, BAMBARI]),
    )
    table = gaps.hot_spots
    assert len(table) >= 2
    assert (table["covered_by"] == "Bangui").all()  # every cluster inside the areas
    assert (table["no_presence_near"] == (table["base_km"] > 25)).all()
    assert table["no_presence_near"].any()  # clusters far from Bangui and Bambari
    assert (table["gap"] == table["no_presence_near"]).all()  # no political work loaded
    # An office in each cluster closes every presence gap.
    offices = [Point(x, y) for x, y in zip(table["longitude"], table["latitude"], strict=True)]
    closed = protection_gaps(
        spots,
        incidents,
        sample.local_processes.iloc[:0],
        sample.local_agreements.iloc[:0],
        _presence(country, offices),
    ).hot_spots
    assert not closed["no_presence_near"].any() and not closed["gap"].any()
    assert (closed["base_km"] == 0).all()
