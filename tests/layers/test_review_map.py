"""``layers.review_map``: the stored incidents near a batch's rows, and the small map of
both (offline, escaped, withdrawn rows apart)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.review_map import WITHDRAWN_COLOUR, build_review_map, nearby


def _points(ids: list[str], lons: list[float], lats: list[float]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {
            "incident_id": ids,
            "date": pd.to_datetime(["2024-03-04"] * len(ids)),
            "source": ["<b>ACLED</b>"] * len(ids),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lons, lats), crs=4326)


ROWS = _points(["K-1", "K-2"], [20.0, 20.1], [5.0, 5.05])
STORED = _points(
    ["K-1", "A-near", "A-20km", "A-far"],
    [20.0, 20.05, 20.1 + 20 / 110.6, 21.0],  # A-20km: 20 km east of K-2
    [5.0, 5.02, 5.05, 5.0],
)


def test_nearby_keeps_the_stored_incidents_around_the_rows_not_the_rows_themselves():
    assert sorted(nearby(STORED, ROWS)["incident_id"]) == ["A-20km", "A-near"]
    assert sorted(nearby(STORED, ROWS, km=10)["incident_id"]) == ["A-near"]
    assert nearby(STORED, ROWS.iloc[:0]).empty
    assert nearby(STORED.iloc[:0], ROWS).empty


def test_the_map_draws_rows_and_stored_offline_and_escaped():
    html = (
        build_review_map(ROWS, nearby(STORED, ROWS), withdrawn=np.array([False, True]))
        .get_root()
        .render()
    )
    assert "tile.openstreetmap" not in html  # no tile server
    # Escaped as HTML, then written as JSON (``&`` as ``\u0026``).
    assert "<b>ACLED" not in html and "\\u0026lt;b\\u0026gt;ACLED" in html
    assert "A-near" in html and "A-far" not in html
    assert WITHDRAWN_COLOUR in html  # K-2, withdrawn, drawn apart
    assert "Rows withdrawn" in html and "Stored incidents nearby" in html


def test_without_withdrawn_rows_there_is_no_withdrawn_layer():
    html = build_review_map(ROWS, STORED.iloc[:0]).get_root().render()
    assert "Rows withdrawn" not in html and "Rows of this batch" in html
