"""The fast cell count gives the straightforward answer: a join and a group-by per cell."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from analysis import cells as cells_module
from analysis.cells import count_in_cells
from analysis.metric import mission_crs


def _straightforward(incidents: gpd.GeoDataFrame, width_m: float, shape: str, crs) -> pd.DataFrame:
    """Per incident: reproject its geometry, find its cell; then group and sum."""
    grid = cells_module.Grid(shape, width_m, crs)
    points = incidents.geometry.to_crs(crs)
    q, r = grid.keys(points.x.to_numpy(), points.y.to_numpy())
    frame = pd.DataFrame(
        {
            "cell_id": [f"{shape[0]}{a}_{b}" for a, b in zip(q, r, strict=True)],
            "fatalities": pd.to_numeric(incidents["fatalities"]).fillna(0).to_numpy(),
        },
        index=incidents.index,
    )
    return frame


def _incidents(n: int, seed: int, *, stray: bool) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(1.0, 3.0, n)
    lat = rng.uniform(-3.0, -2.0, n)
    if stray:  # one report far outside the mission area (a typo in the longitude)
        lon[0], lat[0] = 31.0, 12.0
    fatalities = rng.integers(0, 4, n).astype(float)
    fatalities[rng.random(n) < 0.1] = np.nan
    index = pd.Index(rng.permutation(n) * 3 + 7)  # not a plain range
    return gpd.GeoDataFrame(
        {"fatalities": fatalities},
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
        index=index,
    )


@pytest.mark.parametrize(
    ("shape", "width_m", "stray", "dense"),
    [
        ("hexagon", 10_000, False, True),
        ("square", 7_500, False, True),
        ("hexagon", 5_000, True, True),
        ("hexagon", 2_000, True, False),  # forces the sparse numbering
    ],
)
def test_fast_counts_equal_a_join_and_group_by(shape, width_m, stray, dense, monkeypatch):
    if not dense:
        monkeypatch.setattr(cells_module, "_DENSE_CELLS", 10)
    incidents = _incidents(3_000, seed=int(width_m), stray=stray)
    area = gpd.GeoDataFrame(geometry=[box(1.0, -3.0, 3.0, -2.0)], crs="EPSG:4326")
    crs = mission_crs(area, incidents)
    counts = count_in_cells(incidents, area, shape=shape, width_m=width_m, crs=crs)
    expected = _straightforward(incidents, width_m, shape, crs)

    assert counts.cell_of_incident.index.equals(incidents.index)
    assert (counts.cell_of_incident == expected["cell_id"]).all()
    assert (counts.cells["cell_id"].to_numpy()[counts.rows] == expected["cell_id"]).all()
    by_cell = expected.groupby("cell_id").agg(n=("cell_id", "size"), dead=("fatalities", "sum"))
    table = counts.cells.set_index("cell_id")
    held = table[table["incidents"] > 0]
    assert sorted(held.index) == sorted(by_cell.index)
    assert (held["incidents"] == by_cell.loc[held.index, "n"]).all()
    np.testing.assert_allclose(held["fatalities"], by_cell.loc[held.index, "dead"])
    assert table["incidents"].sum() == len(incidents)
    # Rows are in grid order (r, then q) and every cell appears once.
    assert table.index.is_unique
    assert counts.cells[["r", "q"]].apply(tuple, axis=1).is_monotonic_increasing
    assert counts.neighbours.shape == (len(table), len(table))


def test_no_incidents_still_counts_the_area():
    area = gpd.GeoDataFrame(geometry=[box(1.0, -3.0, 3.0, -2.0)], crs="EPSG:4326")
    empty = _incidents(0, seed=1, stray=False)
    counts = count_in_cells(empty, area, width_m=20_000)
    assert len(counts.cells) > 0 and counts.cells["incidents"].sum() == 0
    assert len(counts.cell_of_incident) == 0
