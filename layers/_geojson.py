"""GeoJSON of the layers that stay the same from one page rerun to the next, made once.

Boundaries, the offline basemap and mission presence do not change when a filter does,
but turning a GeoDataFrame into GeoJSON goes row by row in Python: most of a rerun's
map building. :func:`features` keeps each answer while its frame lives (frames of a
loaded mission are never changed in place; a new load is a new frame).
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Sequence
from typing import Any

import geopandas as gpd

from layers.escaping import escaped_columns

_KEPT: dict[tuple, tuple[weakref.ref, dict[str, Any]]] = {}
_LOCK = threading.Lock()


def features(
    frame: gpd.GeoDataFrame,
    columns: Sequence[str] = (),
    *,
    where: tuple[str, Any] | None = None,
) -> dict[str, Any]:
    """``frame``'s rows as a GeoJSON FeatureCollection, ``columns`` HTML-escaped as the
    properties, features numbered in their ``id``.

    ``where`` = ``(column, value)`` keeps the rows whose ``column`` is ``value``. The
    collection is shared by every caller: read it, never change it.
    """
    key = (id(frame), tuple(columns), where)
    kept = _KEPT.get(key)
    if kept is not None and kept[0]() is frame:
        return kept[1]
    rows = frame if where is None else frame[frame[where[0]] == where[1]]
    rows = escaped_columns(rows, columns)
    collection = json.loads(rows.to_json(drop_id=True))
    for number, feature in enumerate(collection["features"]):
        feature["id"] = str(number)  # so folium never has to add one to a shared dict

    def forget(_gone: weakref.ref, key: tuple = key) -> None:
        with _LOCK:
            held = _KEPT.get(key)
            if held is not None and held[0] is _gone:
                del _KEPT[key]

    with _LOCK:
        _KEPT[key] = (weakref.ref(frame, forget), collection)
    return collection
