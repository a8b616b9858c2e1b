"""Emerging hot spots: the Mann-Kendall test, the ArcGIS categories, and the sample."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from shapely.geometry import Point

from analysis.emerging import classify, emerging_hot_spots, mann_kendall
from analysis.metric import WGS84
from schema.mission import load_sample
from tests.analysis.planted import planted_sites


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_mann_kendall_matches_kendalls_tau_without_ties():
    rng = np.random.default_rng(4)
    rows = rng.normal(size=(20, 12))
    rows[0] = np.arange(12)  # a clean rise
    z, p = mann_kendall(rows)
    for row, zi, pi in zip(rows, z, p, strict=True):
        tau = stats.kendalltau(np.arange(12), row)
        assert np.sign(zi) == np.sign(tau.statistic)
        # scipy's p uses no continuity correction: close, not equal.
        assert pi == pytest.approx(tau.pvalue, abs=0.05)
    assert z[0] > 4 and p[0] < 1e-4


def test_mann_kendall_handles_ties_and_short_rows():
    z, p = mann_kendall(np.array([[1, 1, 1, 1], [1, 2, np.nan, np.nan], [0, 0, 1, 1]]))
    assert z[0] == 0 and p[0] == 1
    assert np.isnan(z[1])
    assert z[2] > 0


@pytest.mark.parametrize(
    ("bins", "trend", "expected"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 3], 0, "new hot spot"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 2, 3], 0, "consecutive hot spot"),
        ([1] * 10, 1, "intensifying hot spot"),
        ([2] * 10, 0, "persistent hot spot"),
        ([3] * 10, -1, "diminishing hot spot"),
        ([0, 2, 0, 2, 0, 0, 2, 0, 0, 2], 0, "sporadic hot spot"),
        ([0, -2, 0, 2, 0, 0, 0, 0, 0, 2], 0, "oscillating hot spot"),
        ([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0], 0, "historical hot spot"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, -1], 0, "new cold spot"),
        ([-2] * 10, -1, "intensifying cold spot"),
        ([0, 2, 0, 0, 0, 0, 0, 0, 0, 0], 0, ""),
        ([0] * 10, 0, ""),
    ],
)
def test_categories_follow_arcgis(bins, trend, expected):
    z = np.array([3.0 * trend if trend else 0.5])
    p = np.array([0.001 if trend else 0.6])
    assert classify(np.array([bins]), z, p)[0] == expected


def _category_at(result, point: Point) -> str:
    cells = result.cells.to_crs(WGS84)
    return cells[cells.contains(point)]["category"].iloc[0]


def test_the_protection_gap_is_a_persistent_hot_spot(sample):
    result = emerging_hot_spots(sample.incidents, sample.admin_boundaries)
    assert len(result.slices) == 12  # quarters of 2023-2025
    assert _category_at(result, planted_sites()["protection gap"]) == "persistent hot spot"
    assert "Mann-Kendall" in result.caption


def test_every_checkpoint_is_an_extraction_hot_spot_most_of_the_time(sample):
    extraction = sample.incidents[sample.incidents["motivation"] == "extraction"]
    result = emerging_hot_spots(extraction, sample.admin_boundaries)
    cells = result.cells.to_crs(WGS84)
    categories = []
    for checkpoint in planted_sites()["checkpoints"].geoms:
        row = np.flatnonzero(cells.contains(checkpoint).to_numpy())[0]
        # Planted evenly over three years: hot in at least 9 of 12 quarters.
        assert (result.bins[row] > 0).sum() >= 9
        categories.append(cells["category"].iloc[row])
    # A checkpoint on a cell's edge shares its incidents with the next cell, so it may miss
    # ArcGIS's 90 % bar; most do not.
    assert categories.count("persistent hot spot") >= 3, categories


def test_the_operation_is_hot_only_during_it(sample):
    collateral = sample.incidents[sample.incidents["motivation"] == "collateral"]
    result = emerging_hot_spots(collateral, sample.admin_boundaries)
    cells = result.cells.to_crs(WGS84)
    inside = cells.intersects(planted_sites()["operation"]).to_numpy()
    hot = dict(zip(map(str, result.slices), (result.bins[inside] > 0).sum(axis=0), strict=True))
    # 2 September to 20 November 2024: most of the area is hot then.
    assert hot.pop("2024Q3") >= inside.sum() / 2 and hot.pop("2024Q4") >= inside.sum() / 2
    # Otherwise collateral harm is rare and scattered: a stray incident may light a cell.
    assert max(hot.values()) <= 2, hot


def test_monthly_and_yearly_steps_and_the_few_slices_warning(sample):
    monthly = emerging_hot_spots(sample.incidents, sample.admin_boundaries, step="M")
    assert len(monthly.slices) == 36 and "read the categories with care" not in monthly.caption
    yearly = emerging_hot_spots(sample.incidents, sample.admin_boundaries, step="Y")
    assert len(yearly.slices) == 3 and "read the categories with care" in yearly.caption
    with pytest.raises(ValueError, match="time step 'W'"):
        emerging_hot_spots(sample.incidents, step="W")


def test_no_incidents_and_one_incident(sample):
    empty = emerging_hot_spots(sample.incidents.iloc[:0], sample.admin_boundaries)
    assert empty.slices == [] and (empty.cells["category"] == "").all()
    one = emerging_hot_spots(sample.incidents.iloc[:1], sample.admin_boundaries)
    assert len(one.slices) == 1
    assert one.cells["incidents"].sum() == 1
