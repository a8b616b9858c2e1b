"""Possible repeats of an incident: same day, same type, within 1 km of another.

Comparing every pair of a day's incidents of one type grows with the square of the
group; here each incident is compared only with those of its day and type whose latitude
is within 1 km of its own (sorted once, found by binary search), which is every pair that
can be that close, so the answer is the same as comparing all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:
    from ingest.checks import CheckContext, _Findings

NEAR_DUPLICATE_METRES = 1000.0
EARTH_RADIUS_M = 6_371_008.8

# Latitudes of two points within the distance differ by at most distance / radius
# (haversine >= R * |lat2 - lat1|); the margin (about 1 m) covers rounding in the sort key,
# whose values reach _GROUP_SPACING_DEG times the number of groups (1e-7 degree steps at a
# billion). Candidates are a superset; the distance itself decides.
_LATITUDE_WINDOW_DEG = np.degrees(NEAR_DUPLICATE_METRES / EARTH_RADIUS_M) + 1e-5
_GROUP_SPACING_DEG = 360.0
_PAIRS_PER_CHUNK = 250_000  # arrays of 2 MB, which the allocator keeps and reuses


def haversine(x1: Any, y1: Any, x2: Any, y2: Any) -> np.ndarray:
    """Metres between (lon, lat) points, element-wise."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (x1, y1, x2, y2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def near_duplicates(
    typed: pd.DataFrame, geometry: gpd.GeoSeries, context: CheckContext, findings: _Findings
) -> None:
    """Same day, same type, within 1 km: flagged for a person to judge, never dropped.

    Each flagged row names every other row of the file (in file order), then every
    stored incident (in store order), that is that close, with the distance.
    """
    if not {"date", "incident_type"} <= set(typed.columns):
        return
    shapes = np.asarray(geometry.array)
    points = np.where(shapely.get_type_id(shapes) == 0, shapes, None)
    x, y = shapely.get_x(points), shapely.get_y(points)
    days, day_values = pd.factorize(pd.to_datetime(typed["date"]).to_numpy())
    types, type_values = pd.factorize(typed["incident_type"])
    usable = (days >= 0) & (types >= 0) & ~np.isnan(x) & ~np.isnan(y)
    if not usable.any():
        return
    rows = typed.index.to_numpy()[usable]
    group = [days[usable], types[usable]]
    lon, lat = [x[usable]], [y[usable]]
    stored_labels: list[str] = []
    stored = context.stored_incidents
    if stored is not None and len(stored):
        # A stored incident of a day or type the file does not have is near none of its rows.
        group[0] = np.concatenate(
            [group[0], pd.Index(day_values).get_indexer(pd.to_datetime(stored["date"]))]
        )
        group[1] = np.concatenate(
            [group[1], pd.Index(type_values).get_indexer(stored["incident_type"])]
        )
        lon.append(stored.geometry.x.to_numpy(dtype=float))
        lat.append(stored.geometry.y.to_numpy(dtype=float))
        stored_labels = ("stored incident " + stored["incident_id"].astype(str)).tolist()
    me, other, metres = _close_pairs(*group, np.concatenate(lon), np.concatenate(lat), len(rows))
    if not len(me):
        return
    names = [
        f"row {rows[j]} of this file" if j < len(rows) else stored_labels[j - len(rows)]
        for j in other.tolist()
    ]
    described = [f"{name} ({m:.0f} m)" for name, m in zip(names, metres.tolist(), strict=True)]
    starts = np.flatnonzero(np.diff(me, prepend=-1))
    ends = [*starts[1:].tolist(), len(me)]
    findings.warn_rows(
        rows[me[starts]].tolist(),
        "date/incident_type/location",
        [
            f"may repeat {', '.join(described[start:end])}: same day and type within 1 km"
            for start, end in zip(starts.tolist(), ends, strict=True)
        ],
        "check it is a different incident; both are kept",
    )


def _close_pairs(
    days: np.ndarray, types: np.ndarray, x: np.ndarray, y: np.ndarray, mine: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(me, other, metres)``: each pair of points of one day and type (codes, -1 for
    none) within the distance, ``me`` among the first ``mine``, sorted by ``me`` then
    ``other``."""
    groups = days.astype(np.int64) * (int(types.max(initial=0)) + 1) + types
    usable = (days >= 0) & (types >= 0) & ~np.isnan(x) & ~np.isnan(y)
    candidates = np.flatnonzero(usable)
    # One sort key: each group's latitudes (-90..90) moved _GROUP_SPACING_DEG apart, so a
    # window never reaches another group; rounding in the key is far inside the margin.
    _, rank = np.unique(groups[candidates], return_inverse=True)
    key = rank * _GROUP_SPACING_DEG + y[candidates]
    order = np.argsort(key, kind="stable")
    sorted_key, sorted_at = key[order], candidates[order]
    lo = np.searchsorted(sorted_key, sorted_key - _LATITUDE_WINDOW_DEG, side="left")
    hi = np.searchsorted(sorted_key, sorted_key + _LATITUDE_WINDOW_DEG, side="right")
    chosen = np.flatnonzero(sorted_at < mine)  # only the file's rows get flagged
    sizes = hi[chosen] - lo[chosen]
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    start = 0
    while start < len(chosen):
        # A chunk of rows whose windows hold a bounded number of pairs, to bound memory.
        stop = start + max(1, int(np.searchsorted(np.cumsum(sizes[start:]), _PAIRS_PER_CHUNK)))
        found.append(_pairs_in(chosen[start:stop], lo, hi, sorted_at, x, y))
        start = stop
    if not found:
        return (np.array([], dtype=np.int64),) * 2 + (np.array([]),)
    me, other, metres = (np.concatenate(parts) for parts in zip(*found, strict=True))
    order = np.lexsort((other, me))
    return me[order], other[order], metres[order]


def _pairs_in(
    chosen: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    sorted_at: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes = hi[chosen] - lo[chosen]
    total = int(sizes.sum())
    starts = np.repeat(lo[chosen] - np.cumsum(sizes) + sizes, sizes)
    j = sorted_at[starts + np.arange(total)]
    i = np.repeat(sorted_at[chosen], sizes)
    other = i != j
    i, j = i[other], j[other]
    metres = haversine(x[i], y[i], x[j], y[j])
    close = metres <= NEAR_DUPLICATE_METRES
    return i[close], j[close], metres[close]
