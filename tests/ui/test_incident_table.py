"""What the incident desk's table and file hold (``ui.incident_table``): restricted fields
read per batch office, emptied elsewhere, never among the table's columns."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from access.session import RESTRICTED
from ui import incident_table


def _incidents() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "incident_id": ["A-1", "B-1", "C-1", "D-1"],
            "date": pd.to_datetime(["2024-01-02", "2024-03-04", "2024-02-01", "2024-02-01"]),
            "incident_type": ["killing", "abduction", "threat", "killing"],
            "motivation": ["revenge", "unknown", "predation", "revenge"],
            "motivation_confidence": ["probable", None, "confirmed", None],
            "perpetrator_type": ["community_militia"] * 4,
            "fatalities": pd.array([2, 0, 0, 1], dtype="Int64"),
            "admin1": ["Kalondo", "Oubandi", None, "Kalondo"],
            "admin2": ["Essoka", None, None, "Garoussa"],
            "source": ["HRD", "ACLED", "JOC", "=cmd|' /C calc'!A0"],
            "narrative": ["told A", "told B", "told C", "told D"],
            "perpetrator_name": ["name A", "name B", None, "name D"],
            "motivation_raw": ["raw A", "raw B", "raw C", "raw D"],
            "batch_id": [1, 2, 3, np.nan],
        },
        geometry=[Point(2.5, -3.1), Point(1.2, -2.2), None, Point(2.0, -2.0)],
        crs="EPSG:4326",
    )


def test_restricted_fields_are_read_per_batch_office():
    offices = {1: "Kalondo office", 2: "Oubandi office", 3: "Kalondo office"}
    own = incident_table.restricted_readable(
        _incidents(), lambda office: office == "Kalondo office", offices
    )
    # Batch 4 is unknown to the session and row D has no batch: never readable.
    assert own.tolist() == [True, False, True, False]
    everyone = incident_table.restricted_readable(_incidents(), lambda office: True, {1: "x"})
    assert everyone.tolist() == [True, False, False, False]
    folder = _incidents().drop(columns="batch_id")
    assert incident_table.restricted_readable(folder, lambda o: o is None, {}).all()
    assert not incident_table.restricted_readable(folder, lambda o: False, {}).any()


def test_the_file_empties_what_may_not_be_read_and_keeps_the_rest():
    readable = np.array([True, False, True, False])
    data = incident_table.csv(_incidents(), readable)
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert frame["narrative"].tolist()[0::2] == ["told A", "told C"]
    for column in RESTRICTED["incidents"]:
        assert frame[column].iloc[[1, 3]].isna().all(), column
    assert frame["longitude"].tolist()[:2] == ["2.5", "1.2"] and pd.isna(frame["latitude"][2])
    assert frame["date"].tolist() == ["2024-01-02", "2024-03-04", "2024-02-01", "2024-02-01"]
    assert frame["source"][3].startswith("'=")  # a spreadsheet never runs it


def test_the_table_holds_no_restricted_field_and_reads_as_words():
    shown = incident_table.table(_incidents())
    assert set(shown.columns).isdisjoint(RESTRICTED["incidents"])
    assert shown["incident_id"].tolist() == ["B-1", "C-1", "D-1", "A-1"]  # newest first
    assert shown["place"].tolist() == ["Oubandi", "", "Garoussa, Kalondo", "Essoka, Kalondo"]
    assert shown["motivation"].tolist() == [
        "Not yet assessed",
        "Predation",
        "Revenge",
        "Revenge",
    ]
    assert shown["motivation_confidence"].tolist() == ["", "Confirmed", "", "Probable"]
