"""Possible repeats of an incident: same day, same type, within 1 km of another.

Comparing every pair of a day's incidents of one type grows with the square of the
group; here each incident is compared only with those of its day and type whose latitude
is within 1 km of its own (sorted once, found by binary search), which is every pair that
can be that close, so the answer is the same as comparing all of them.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ingest import columns
from ingest.findings import CheckContext, Findings

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
    typed: pd.DataFrame,
    geometry: gpd.GeoSeries | None,
    context: CheckContext,
    findings: Findings,
    *,
    xy: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """Same day, same type, within 1 km: flagged for a person to judge, never dropped.

    Each flagged row names every other row of the file (in file order), then every
    stored incident (in store order), that is that close, with the distance. ``xy``:
    the points' coordinates when known already (else read from ``geometry``).
    """
    if not {"date", "incident_type"} <= set(typed.columns):
        return
    if xy is None:
        if geometry is None:
            raise ValueError("near_duplicates needs the rows' `geometry` or their `xy`")
        # NaN for anything but a point (and for no shape at all).
        shapes = np.asarray(geometry.array)
        xy = shapely.get_x(shapes), shapely.get_y(shapes)
        del shapes
    x, y = xy
    days, day_values = pd.factorize(pd.to_datetime(typed["date"]).to_numpy())
    # The checks found the type column's distinct values already (unless they changed it).
    types, type_values = columns.known_distinct(typed["incident_type"]) or pd.factorize(
        typed["incident_type"]
    )
    usable = (days >= 0) & (types >= 0) & ~np.isnan(x) & ~np.isnan(y)
    if not usable.any():
        return
    rows = typed.index[usable]
    group = [days[usable], types[usable]]
    lon, lat = [x[usable]], [y[usable]]
    del x, y, days, types
    stored_labels: pa.Array | None = None
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
        stored_labels = pa.array(
            ("stored incident " + stored["incident_id"].astype(str)).tolist(), _TEXT
        )
    me, other, metres = _close_pairs(
        group[0], group[1], np.concatenate(lon), np.concatenate(lat), len(rows)
    )
    if not len(me):
        return
    starts = np.flatnonzero(np.diff(me, prepend=-1))
    findings.warn_rows(
        rows[me[starts]].tolist(),
        "date/incident_type/location",
        _problems(rows, stored_labels, other, metres, starts),
        "check it is a different incident; both are kept",
    )


_TEXT = pa.large_string()


def _t(text: str) -> pa.Scalar:
    return pa.scalar(text, _TEXT)


def _problems(
    rows: pd.Index,
    stored_labels: pa.Array | None,
    other: np.ndarray,
    metres: np.ndarray,
    starts: np.ndarray,
) -> list[str]:
    """One problem per flagged row (each a run of pairs from ``starts``): every other row
    or stored incident close to it, with the distance, written in C."""
    in_file = other < len(rows)
    file_rows = rows[other[in_file]]
    numbers = (
        pa.array(file_rows.to_numpy()).cast(_TEXT)
        if pd.api.types.is_integer_dtype(file_rows.dtype)
        else pa.array([str(row) for row in file_rows], _TEXT)
    )
    names = [pc.binary_join_element_wise(_t("row "), numbers, _t(" of this file"), _t(""))]
    if stored_labels is not None:
        names.append(stored_labels.take(pa.array(other[~in_file] - len(rows))))
    # Back to the pairs' order: the file's rows where they were, the stored ones in between.
    placed = np.concatenate([np.flatnonzero(in_file), np.flatnonzero(~in_file)])
    named = pa.concat_arrays(names).take(pa.array(np.argsort(placed)))
    # f"{m:.0f}": the integer nearest to the value, halves to even, as numpy's rint.
    distance = pa.array(np.rint(metres).astype(np.int64)).cast(_TEXT)
    described = pc.binary_join_element_wise(named, _t(" ("), distance, _t(" m)"), _t(""))
    offsets = pa.array(np.append(starts, len(other)), pa.int64())
    listed = pc.binary_join(pa.LargeListArray.from_arrays(offsets, described), _t(", "))
    problems = pc.binary_join_element_wise(
        _t("may repeat "), listed, _t(": same day and type within 1 km"), _t("")
    )
    return problems.to_pylist()


def _close_pairs(
    days: np.ndarray, types: np.ndarray, x: np.ndarray, y: np.ndarray, mine: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(me, other, metres)``: each pair of points of one day and type (codes, -1 for
    none) within the distance, ``me`` among the first ``mine``, sorted by ``me`` then
    ``other``.

    The file's points are compared with one another once per pair (the distance is the
    same both ways), each with those after it in the sort; then with the stored ones.
    """
    groups = days.astype(np.int64) * (int(types.max(initial=0)) + 1) + types
    usable = (days >= 0) & (types >= 0) & ~np.isnan(x) & ~np.isnan(y)
    at = np.flatnonzero(usable)
    groups = groups[at]
    if len(groups) and groups.max() >= _MAX_GROUP_CODE:
        _, groups = np.unique(groups, return_inverse=True)
    # One sort key: each group's latitudes (-90..90) moved _GROUP_SPACING_DEG apart, so a
    # window never reaches another group; rounding in the key is far inside the margin.
    key = groups * _GROUP_SPACING_DEG + y[at]
    del groups, usable
    in_file = at < mine
    file_at, file_key = _sorted(at[in_file], key[in_file])
    stored_at, stored_key = _sorted(at[~in_file], key[~in_file])
    del at, key, in_file
    found = []
    after = np.arange(1, len(file_at) + 1)
    ends = np.searchsorted(file_key, file_key + _LATITUDE_WINDOW_DEG, side="right")
    found += _pairs(file_at, after, ends, file_at, x, y)
    between = len(found)
    if len(stored_at):
        starts = np.searchsorted(stored_key, file_key - _LATITUDE_WINDOW_DEG, side="left")
        ends = np.searchsorted(stored_key, file_key + _LATITUDE_WINDOW_DEG, side="right")
        found += _pairs(file_at, starts, ends, stored_at, x, y)
    if not found:
        return (np.array([], dtype=np.int64),) * 2 + (np.array([]),)
    # Each pair of the file's points once more, the other way round.
    found += [(j, i, m) for i, j, m in found[:between]]
    me, other, metres = (np.concatenate(parts) for parts in zip(*found, strict=True))
    order = np.lexsort((other, me))
    return me[order], other[order], metres[order]


_MAX_GROUP_CODE = 1 << 24
"""Group codes up to this go into the sort key as they are (at most 6e9, rounded to
1e-6 degree); above it they are ranked first."""


def _sorted(at: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(key, kind="stable")
    return at[order], key[order]


def _pairs(
    me: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    others: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The pairs ``(me[k], others[starts[k]:ends[k]])`` within the distance, in chunks of
    a bounded number of candidates (to bound memory)."""
    sizes = ends - starts
    has = np.flatnonzero(sizes > 0)
    me, starts, sizes = me[has], starts[has], sizes[has]
    found = []
    start = 0
    while start < len(me):
        # A chunk of rows whose windows hold a bounded number of pairs.
        stop = start + max(1, int(np.searchsorted(np.cumsum(sizes[start:]), _PAIRS_PER_CHUNK)))
        chunk = sizes[start:stop]
        total = int(chunk.sum())
        first = np.repeat(starts[start:stop] - np.cumsum(chunk) + chunk, chunk)
        j = others[first + np.arange(total)]
        i = np.repeat(me[start:stop], chunk)
        metres = haversine(x[i], y[i], x[j], y[j])
        close = metres <= NEAR_DUPLICATE_METRES
        found.append((i[close], j[close], metres[close]))
        start = stop
    return found
