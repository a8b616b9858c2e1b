"""Protection gaps on a hand-made country (issue 21): "no political work near" and "no
presence near" are separate, presence is measured to offices and bases as points, and
areas of responsibility covering the whole country still leave presence gaps."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from analysis.gaps import protection_gaps
from analysis.hotspots import hot_spots
from schema.mission import load_sample

TOWN_WITH_OFFICE = Point(20.5, 5.5)
TOWN_FAR_AWAY = Point(21.7, 5.5)  # some 133 km east of the office
COUNTRY = box(19.5, 4.5, 22.5, 6.5)


@pytest.fixture(scope="module")
def country():
    """Two busy towns in a quiet country, an office in one of them and an area of
    responsibility over the whole country."""
    sample = load_sample()
    rng = np.random.default_rng(21)
    towns = [TOWN_WITH_OFFICE] * 80 + [TOWN_FAR_AWAY] * 80
    points = [Point(p.x + rng.normal(0, 0.01), p.y + rng.normal(0, 0.01)) for p in towns]
    points += [
        Point(x, y)
        for x, y in zip(rng.uniform(19.6, 22.4, 120), rng.uniform(4.6, 6.4, 120), strict=True)
    ]
    incidents = pd.concat([sample.incidents.iloc[:1]] * len(points), ignore_index=True)
    incidents["incident_id"] = [f"G-{i:04d}" for i in range(len(points))]
    incidents = gpd.GeoDataFrame(incidents, geometry=points, crs="EPSG:4326")
    area = gpd.GeoDataFrame(
        {"admin_id": ["X1"], "level": ["1"]}, geometry=[COUNTRY], crs="EPSG:4326"
    )
    presence = gpd.GeoDataFrame(
        {
            "presence_id": ["AOR-ALL", "FO-1"],
            "name": ["AOR of the only office", "The only field office"],
            "kind": ["area_of_responsibility", "field_office"],
            "field_office": ["Field Office One", "Field Office One"],
        },
        geometry=[COUNTRY, TOWN_WITH_OFFICE],
        crs="EPSG:4326",
    )
    spots = hot_spots(incidents, area, width_m=10_000)
    return sample, incidents, spots, presence


def _gaps(country, presence=None, **options):
    sample, incidents, spots, own = country
    return protection_gaps(
        spots,
        incidents,
        sample.local_processes.iloc[:0],
        sample.local_agreements.iloc[:0],
        own if presence is None else presence,
        **options,
    )


def _at(table: pd.DataFrame, town: Point) -> pd.Series:
    distance = np.hypot(table["longitude"] - town.x, table["latitude"] - town.y)
    assert distance.min() < 0.1, table[["longitude", "latitude"]]
    return table.iloc[int(np.argmin(distance.to_numpy()))]


def test_a_hot_spot_at_an_office_is_not_a_presence_gap_one_far_away_is(country):
    gaps = _gaps(country)
    table = gaps.hot_spots
    near, far = _at(table, TOWN_WITH_OFFICE), _at(table, TOWN_FAR_AWAY)
    # No political work anywhere: both lack it.
    assert near["no_political_work_near"] and far["no_political_work_near"]
    # The office is in the town: presence near, so not a gap.
    assert near["base_km"] == pytest.approx(0, abs=1e-6)
    assert not near["no_presence_near"] and not near["gap"]
    # The other town is over 100 km from any office or base: a gap, although the area of
    # responsibility covers it.
    assert far["base_km"] > 100 and far["covered_by"] == "Field Office One"
    assert far["no_presence_near"] and far["gap"]
    assert "no presence near" in gaps.caption and "not presence on the ground" in gaps.caption


def test_the_presence_distance_is_its_own(country):
    wide = _gaps(country, presence_km=200).hot_spots
    assert not wide["no_presence_near"].any() and not wide["gap"].any()
    assert wide["no_political_work_near"].all()
    # Political work near the far town closes its gap, and only that flag changes.
    sample = country[0]
    work = sample.local_agreements.iloc[:1].copy()
    work["geometry"] = [TOWN_FAR_AWAY]
    gaps = protection_gaps(
        country[2],
        country[1],
        sample.local_processes.iloc[:0],
        work.set_crs("EPSG:4326", allow_override=True),
        country[3],
    ).hot_spots
    far = _at(gaps, TOWN_FAR_AWAY)
    assert not far["no_political_work_near"] and far["no_presence_near"] and not far["gap"]
    with pytest.raises(ValueError, match="presence distance -5"):
        _gaps(country, presence_km=-5)


def test_areas_only_and_no_points_say_so(country):
    presence = country[3]
    only_areas = presence[presence["kind"] == "area_of_responsibility"]
    gaps = _gaps(country, only_areas)
    assert gaps.hot_spots["no_presence_near"].all() and gaps.hot_spots["gap"].all()
    assert "No office or base is loaded as a point" in gaps.caption


def test_offices_as_points_only_an_office_in_town_closes_the_gap(country):
    presence = country[3]
    only_points = presence[presence["kind"] == "field_office"]
    table = _gaps(country, only_points).hot_spots
    assert not _at(table, TOWN_WITH_OFFICE)["gap"]
    assert _at(table, TOWN_FAR_AWAY)["gap"]
    assert _at(table, TOWN_FAR_AWAY)["covered_by"] == ""


def test_each_cluster_says_how_dense_it_is_and_what_the_table_cannot_say(country):
    gaps = _gaps(country)
    far = _at(gaps.hot_spots, TOWN_FAR_AWAY)
    # 80 incidents in a few cells of a quiet country: many times the rest's density.
    assert far["effect"].startswith("about ")
    assert "the rest of the area's per cell, 95 % interval" in far["effect"]
    assert far["caution"] == ""
    assert "What this table cannot say" in gaps.caption
