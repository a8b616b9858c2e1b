"""The default cell width chosen from the data, and the table of hot spots by cell width."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from analysis import scale
from analysis.cells import count_in_cells, default_width_m
from analysis.hotspots import hot_spots
from analysis.scale import choose_width, median_nn_distance, readable_width, sensitivity
from schema.mission import load_sample

BOUNDS = (0.0, 0.0, 400_000.0, 300_000.0)  # the sample's size: 10 km by the area alone


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_readable_widths():
    assert [readable_width(w) for w in (9_220, 12_400, 13_000, 4_100, 700, 100)] == [
        10_000,
        10_000,
        20_000,
        5_000,
        1_000,
        500,
    ]


def test_places_not_incidents():
    """Reports sharing a town's coordinates are one place: a thousand reports at each of
    two towns 30 km apart give one distance, 30 km, not zero."""
    x = np.r_[np.zeros(1000), np.full(1000, 30_000.0)]
    y = np.zeros(2000)
    median, places, sampled = median_nn_distance(x, y)
    assert (median, places, sampled) == (30_000.0, 2, 2)
    assert median_nn_distance(np.zeros(5), np.zeros(5))[0] is None


def test_rule_on_a_regular_pattern():
    """Places on a 2 km lattice: 6 x 2 km = 12 km, read as 10 km."""
    xs, ys = np.meshgrid(np.arange(0, 400_000, 2_000.0), np.arange(0, 300_000, 2_000.0))
    choice = choose_width(xs.ravel(), ys.ravel(), BOUNDS)
    assert choice.median_nn_m == pytest.approx(2_000)
    assert choice.width_m == 10_000
    assert "6 times the median distance" in choice.words and "2 km" in choice.words


def test_sparse_gets_the_area_width_and_dense_the_floor():
    rng = np.random.default_rng(3)
    sparse_x, sparse_y = rng.uniform(0, 400_000, 12), rng.uniform(0, 300_000, 12)
    sparse = choose_width(sparse_x, sparse_y, BOUNDS)
    assert sparse.width_m == default_width_m(BOUNDS) == 10_000
    assert "capped" in sparse.words
    dense_x, dense_y = rng.uniform(0, 400_000, 200_000), rng.uniform(0, 300_000, 200_000)
    dense = choose_width(dense_x, dense_y, BOUNDS)
    assert dense.width_m == scale.finest_width(BOUNDS) == 5_000  # not 6 x ~0.4 km
    assert "no finer" in dense.words
    one = choose_width(np.array([1.0]), np.array([1.0]), BOUNDS)
    assert one.width_m == 10_000 and one.median_nn_m is None and "fewer than two" in one.words


def test_a_sample_of_places_measures_what_all_of_them_do(monkeypatch):
    """Beyond MAX_PLACES a fixed-seed sample is measured and scaled back by the square root
    of the share sampled: on a random pattern it agrees with every place measured."""
    rng = np.random.default_rng(11)
    x, y = rng.uniform(0, 400_000, 40_000), rng.uniform(0, 300_000, 40_000)
    exact, places, _ = median_nn_distance(x, y)
    monkeypatch.setattr(scale, "MAX_PLACES", 5_000)
    sampled, places_again, measured = median_nn_distance(x, y)
    assert (places_again, measured) == (places, 5_000)
    assert sampled == pytest.approx(exact, rel=0.1)
    assert median_nn_distance(x, y)[0] == sampled  # a fixed seed: the same width every run


def test_the_sample_keeps_its_10_km(sample):
    spots = hot_spots(sample.incidents, sample.admin_boundaries)
    choice = spots.counts.width_choice
    assert spots.counts.grid.width_m == 10_000 and choice.width_m == 10_000
    assert 1_000 < choice.median_nn_m < 2_000  # 6 x ~1.5 km = ~9 km, read as 10 km
    given = count_in_cells(sample.incidents, sample.admin_boundaries, width_m=10_000)
    assert given.width_choice is None


def test_sensitivity_on_the_sample(sample):
    incidents, area = sample.incidents, sample.admin_boundaries
    spots = hot_spots(incidents, area)
    table, caption = sensitivity(spots, incidents, area)
    assert list(table.columns) == list(scale.SENSITIVITY_COLUMNS)
    assert table["width_km"].tolist() == [5, 10, 20]
    assert table["times_chosen"].tolist() == [0.5, 1, 2]
    chosen = table.set_index("width_km").loc[10]
    cells = spots.cells
    assert chosen["hot_cells"] == int((cells["bin"] > 0).sum())
    assert chosen["hot_clusters"] == int(cells["cluster"].max())
    assert chosen["share_of_chosen_hot_incidents_still_hot"] == 1.0
    # The planted clusters persist: most incidents hot at 10 km are hot at 5 and 20 km.
    assert (table["share_of_chosen_hot_incidents_still_hot"] > 0.6).all()
    assert (table["hot_cells"].diff().dropna() < 0).all()  # wider cells, fewer of them hot
    assert "chosen from the data" in caption and "at 5 km" in caption and "at 20 km" in caption
    assert "still in hot cells" in caption


def test_sensitivity_widths_are_readable(sample):
    incidents, area = sample.incidents, sample.admin_boundaries
    spots = hot_spots(incidents, area, width_m=5_000)
    table, _ = sensitivity(spots, incidents, area, factors=(0.5, 1, 1.5, 2))
    assert table["width_km"].tolist() == [2.5, 5, 10]  # 7.5 km reads as 10 km, once
    assert table["times_chosen"].tolist() == [0.5, 1, 2]


def test_sensitivity_without_hot_cells():
    """A flat selection: no hot cell at any width, and the share is missing, not 0 or 1."""
    area = gpd.GeoDataFrame(geometry=[box(20.0, 5.0, 22.0, 7.0)], crs="EPSG:4326")
    xs, ys = np.meshgrid(np.linspace(20.05, 21.95, 12), np.linspace(5.05, 6.95, 12))
    points = gpd.GeoDataFrame(
        {"fatalities": np.zeros(xs.size)},
        geometry=gpd.points_from_xy(xs.ravel(), ys.ravel()),
        crs="EPSG:4326",
    )
    spots = hot_spots(points, area, width_m=20_000)
    table, caption = sensitivity(spots, points, area)
    assert table["width_km"].tolist() == [10, 20, 50]  # 40 km reads as 50 km
    assert (table["hot_cells"] == 0).all()
    assert table["share_of_chosen_hot_incidents_still_hot"].map(math.isnan).all()
    assert "Cell width 20 km, as chosen." in caption


def test_the_map_cells_keep_the_area_width():
    """Dense incidents give finer hot-spot cells; the map's cells (``default="area"``) keep
    the area-based width, so their number does not grow with the data."""
    area = gpd.GeoDataFrame(geometry=[box(20.0, 5.0, 22.0, 7.0)], crs="EPSG:4326")
    rng = np.random.default_rng(5)
    points = gpd.GeoDataFrame(
        {"fatalities": np.zeros(60_000)},
        geometry=gpd.points_from_xy(rng.uniform(20, 22, 60_000), rng.uniform(5, 7, 60_000)),
        crs="EPSG:4326",
    )
    by_data = count_in_cells(points, area)
    by_area = count_in_cells(points, area, default="area", crs=by_data.grid.crs)
    assert by_data.width_choice is not None and by_area.width_choice is None
    assert by_area.grid.width_m == 5_000  # about 40 across ~220 km
    assert by_data.grid.width_m == by_data.width_choice.width_m < by_area.grid.width_m
