"""Pairs of reports close in place, of one day and type, by one actor: found without comparing
every pair.

Shared by the import's possible-duplicate check (:mod:`ingest.duplicates`) and the linking of
one source's reports to each other (:mod:`ingest.linking`). Pure numpy and pandas.

Comparing every pair of a day's reports of one type grows with the square of the group; here
each report is compared only with those of its day and type whose latitude is within the
distance of its own (sorted once, found by binary search), which is every pair that can be
that close, so the answer is the same as comparing all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

EARTH_RADIUS_M = 6_371_008.8
_GROUP_SPACING_DEG = 360.0
_PAIRS_PER_CHUNK = 250_000  # arrays of 2 MB, which the allocator keeps and reuses
_MAX_GROUP_CODE = 1 << 24
"""Group codes up to this go into the sort key as they are (at most 6e9, rounded to
1e-6 degree); above it they are ranked first."""


def haversine(x1: Any, y1: Any, x2: Any, y2: Any) -> np.ndarray:
    """Metres between (lon, lat) points, element-wise."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (x1, y1, x2, y2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def actor_codes(types: Any, names: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(type codes, name codes)``: -1 where not given. Names compare ignoring case, surrounding
    spaces and repeated inner spaces ("UPC" is " upc ")."""
    type_codes, _ = factorized(types)
    raw_codes, raw = factorized(names)
    return type_codes, name_codes(raw_codes, raw)


def factorized(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, distinct values as objects)``; -1 for none. Columns are factorised as they
    are (fast for Arrow-backed text), anything else as objects."""
    if not isinstance(values, pd.Series | pd.Index):
        values = pd.Series(np.asarray(values, dtype=object), dtype=object)
    codes, uniques = pd.factorize(values)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def name_codes(raw_codes: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Codes of names as compared (see :func:`name_key`), from codes of names as written:
    normalised once per distinct name, not once per row."""
    keys, _ = pd.factorize(pd.Series([name_key(v) for v in raw], dtype=object))
    keys = np.append(np.asarray(keys, dtype=np.int64), -1)  # -1: not given
    return keys[raw_codes]


def name_key(name: Any) -> str | None:
    """A perpetrator's name as compared: case, surrounding and repeated spaces aside."""
    if name is None or (isinstance(name, float) and np.isnan(name)) or name is pd.NA:
        return None
    key = " ".join(str(name).split()).casefold()
    return key or None


def same_actor(actors: tuple[np.ndarray, np.ndarray], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether reports ``i`` and ``j`` name the same perpetrator: by name when both give one,
    else by type; a report of no known type (-1) could be anyone's (not told apart)."""
    types, names = actors
    named = (names[i] >= 0) & (names[j] >= 0)
    unknown = (types[i] < 0) | (types[j] < 0)
    return np.where(named, names[i] == names[j], unknown | (types[i] == types[j]))


def close_pairs(
    days: np.ndarray,
    types: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    mine: int,
    *,
    metres: float,
    actors: tuple[np.ndarray, np.ndarray]
    | Callable[[np.ndarray, np.ndarray], np.ndarray]
    | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(me, other, metres)``: each pair of points of one day and type (codes, -1 for none)
    within ``metres`` (and of the same actor, when ``actors`` are given: codes for
    :func:`same_actor`, or a function of the pairs' ``(i, j)`` saying which are, asked only
    about pairs close enough), ``me`` among the first ``mine``, sorted by ``me`` then
    ``other``.

    The first ``mine`` points are compared with one another once per pair (the distance is the
    same both ways), each with those after it in the sort; then with the others.
    """
    # Latitudes of two points within the distance differ by at most distance / radius
    # (haversine >= R * |lat2 - lat1|); the margin (about 1 m) covers rounding in the sort key.
    window = np.degrees(metres / EARTH_RADIUS_M) + 1e-5
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
    near = _Near(x, y, metres, actors)
    found = []
    after = np.arange(1, len(file_at) + 1)
    ends = np.searchsorted(file_key, file_key + window, side="right")
    found += near.pairs(file_at, after, ends, file_at)
    between = len(found)
    if len(stored_at):
        starts = np.searchsorted(stored_key, file_key - window, side="left")
        ends = np.searchsorted(stored_key, file_key + window, side="right")
        found += near.pairs(file_at, starts, ends, stored_at)
    if not found:
        return (np.array([], dtype=np.int64),) * 2 + (np.array([]),)
    # Each pair of the first points once more, the other way round.
    found += [(j, i, m) for i, j, m in found[:between]]
    me, other, distance = (np.concatenate(parts) for parts in zip(*found, strict=True))
    order = np.lexsort((other, me))
    return me[order], other[order], distance[order]


def _sorted(at: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(key, kind="stable")
    return at[order], key[order]


class _Near:
    """The points, the distance and the actors pairs are judged by."""

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        metres: float,
        actors: tuple[np.ndarray, np.ndarray]
        | Callable[[np.ndarray, np.ndarray], np.ndarray]
        | None,
    ) -> None:
        self.x, self.y, self.metres, self.actors = x, y, metres, actors

    def pairs(
        self, me: np.ndarray, starts: np.ndarray, ends: np.ndarray, others: np.ndarray
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """The pairs ``(me[k], others[starts[k]:ends[k]])`` close enough, in chunks of a
        bounded number of candidates (to bound memory)."""
        sizes = ends - starts
        has = np.flatnonzero(sizes > 0)
        me, starts, sizes = me[has], starts[has], sizes[has]
        found = []
        start = 0
        while start < len(me):
            # A chunk of rows whose windows hold a bounded number of pairs.
            cumulative = np.cumsum(sizes[start:])
            stop = start + max(1, int(np.searchsorted(cumulative, _PAIRS_PER_CHUNK)))
            chunk = sizes[start:stop]
            total = int(chunk.sum())
            first = np.repeat(starts[start:stop] - np.cumsum(chunk) + chunk, chunk)
            j = others[first + np.arange(total)]
            i = np.repeat(me[start:stop], chunk)
            metres = haversine(self.x[i], self.y[i], self.x[j], self.y[j])
            close = metres <= self.metres
            if callable(self.actors):
                at = np.flatnonzero(close)
                close[at] = self.actors(i[at], j[at])
            elif self.actors is not None:
                close &= same_actor(self.actors, i, j)
            found.append((i[close], j[close], metres[close]))
            start = stop
        return found
