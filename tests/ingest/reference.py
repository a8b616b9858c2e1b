"""The row-by-row checks as they were before issue #6, kept as oracles for the fast ones.

Each function is the former code, unchanged but for its name: the tests run the
vectorised checks and these on the same inputs and require the same answers.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ingest.duplicates import NEAR_DUPLICATE_METRES, haversine
from ingest.geometry import _area, _point
from schema.catalogue import id_field
from schema.fields import WGS84
from schema.ids import id_key


def points_from_coordinates(frame, spec, context, findings, coordinates=None) -> gpd.GeoSeries:
    # ``coordinates`` is left empty: the duplicates check then reads them from the points.
    lats = frame["latitude"] if "latitude" in frame else pd.Series(None, index=frame.index)
    lons = frame["longitude"] if "longitude" in frame else pd.Series(None, index=frame.index)
    area = _area(context)
    points: list[Any] = []
    for row, lat_raw, lon_raw in zip(frame.index, lats, lons, strict=True):
        points.append(_point(row, lat_raw, lon_raw, spec, area, findings))
    return gpd.GeoSeries(points, index=frame.index, crs=WGS84)


def check_ids(typed, spec, context, findings) -> None:
    # Issue 18: ids compare by their key (NFC, trimmed, case folded), one at a time here;
    # a batch the caller may not see (``None``) is refused without being named.
    key = id_field(spec)
    if key is None or key.name not in typed:
        return
    ids = typed[key.name]
    first_seen: dict[str, Any] = {}  # key -> (row, id as sent)
    for row, value in ids.items():
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        if id_key(value) in first_seen:
            earlier_row, earlier = first_seen[id_key(value)]
            same = "" if value == earlier else f" (written {earlier} there; {SAME_ID})"
            findings.error(
                row,
                key.name,
                value,
                f"repeats the id of row {earlier_row} in this file{same}",
                "an id used once",
            )
        else:
            first_seen[id_key(value)] = (row, value)
    if context.existing_ids is not None and first_seen:
        rows = {value: row for row, value in first_seen.values()}
        found = context.existing_ids(list(rows))
        for value in (v for v in rows if v in found):
            if found[value] is None:
                problem = "is already used in the store"
                expected = (
                    f"a new id: ids are unique across all offices ({SAME_ID}); "
                    "an analyst can tell where this one is used"
                )
            else:
                problem = f"is already in the store (batch {found[value]})"
                expected = (
                    f"a new id ({SAME_ID}); to replace the stored row, withdraw its batch first"
                )
            findings.error(rows[value], key.name, value, problem, expected)


SAME_ID = "ids are compared ignoring case, surrounding spaces and Unicode form"


def near_duplicates(typed, geometry, context, findings, *, xy=None) -> None:
    # ``xy`` is not used: the former code read every point's coordinates from its shape.
    if not {"date", "incident_type"} <= set(typed.columns):
        return
    points = geometry.where(shapely.get_type_id(geometry.array) == 0)
    mine = pd.DataFrame(
        {
            "row": typed.index,
            "date": typed["date"].to_numpy(),
            "incident_type": typed["incident_type"].to_numpy(),
            "x": shapely.get_x(points.array),
            "y": shapely.get_y(points.array),
        }
    ).dropna()
    for column in ("perpetrator_type", "perpetrator_name"):
        mine[column] = (
            typed.loc[mine["row"], column].to_numpy(dtype=object) if column in typed else None
        )
    if mine.empty:
        return
    others = [mine.assign(other=mine["row"].map(lambda r: f"row {r} of this file"))]
    stored = context.stored_incidents
    if stored is not None and len(stored):
        others.append(
            pd.DataFrame(
                {
                    "row": None,
                    "date": pd.to_datetime(stored["date"]).to_numpy(),
                    "incident_type": stored["incident_type"].to_numpy(),
                    "x": stored.geometry.x.to_numpy(),
                    "y": stored.geometry.y.to_numpy(),
                    "other": "stored incident " + stored["incident_id"].astype(str),
                    **{
                        c: stored[c].to_numpy(dtype=object) if c in stored else None
                        for c in ("perpetrator_type", "perpetrator_name")
                    },
                }
            )
        )
    pairs = mine.merge(pd.concat(others), on=["date", "incident_type"], suffixes=("", "_o"))
    pairs = pairs[pairs["row"] != pairs["row_o"]]
    # Issue 20: different perpetrators are different incidents (by name when both are named).
    same = [_same_actor(*v) for v in pairs[[*_ACTOR_COLUMNS]].itertuples(index=False)]
    pairs = pairs[np.array(same, dtype=bool)]
    pairs = pairs.assign(metres=haversine(pairs["x"], pairs["y"], pairs["x_o"], pairs["y_o"]))
    close = pairs[pairs["metres"] <= NEAR_DUPLICATE_METRES]
    for row, group in close.groupby("row", sort=False):
        described = ", ".join(
            f"{o} ({m:.0f} m)" for o, m in zip(group["other"], group["metres"], strict=True)
        )
        findings.warn(
            row,
            "date/incident_type/location",
            None,
            f"may repeat {described}: same day, type and perpetrator within 1 km",
            "check it is a different incident; both are kept",
        )


_ACTOR_COLUMNS = (
    "perpetrator_type",
    "perpetrator_type_o",
    "perpetrator_name",
    "perpetrator_name_o",
)


def _given(value) -> bool:
    return not (value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA)


def _same_actor(type_a, type_b, name_a, name_b) -> bool:
    def key(name):
        return " ".join(str(name).split()).casefold() if _given(name) else ""

    if key(name_a) and key(name_b):
        return key(name_a) == key(name_b)
    return not (_given(type_a) and _given(type_b)) or str(type_a) == str(type_b)


def check_rows_on_one_core(mapped, context):
    """``ingest.checks.check_rows`` as it was before it used the second core: every step
    one after another, all writing to one set of findings."""
    from ingest import checks
    from ingest.findings import Findings
    from schema.catalogue import LAYER_SPECS

    layer = mapped.layer
    spec = LAYER_SPECS[layer]
    findings = Findings()
    notes: list[str] = []
    frame = checks._with_defaults(mapped.frame.copy(), spec, context, notes)
    typed = pd.DataFrame(index=frame.index)
    for column in spec.fields:
        if column.name in frame:
            typed[column.name] = checks._read_column(frame[column.name], column, context, findings)
    geometry = checks._geometry(frame, spec, context, findings, notes)
    checks._check_ids(typed, spec, context, findings)
    if layer == "incidents" and geometry is not None:
        checks.near_duplicates(typed, geometry, context, findings)
    accepted = checks._accepted(typed, geometry, spec, findings)
    # The profile's own warnings (unknown secondary values kept, the actor dictionary's).
    checks._mapping_warnings(getattr(mapped, "warnings", ()), findings)
    outcomes, report = checks._outcomes_and_report(frame.index, findings)
    return checks.CheckResult(layer, accepted, report.reset_index(drop=True), outcomes, notes)
