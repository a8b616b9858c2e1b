"""Between a layer's typed frame and the plain values SQLite stores.

Dates are ISO text (``YYYY-MM-DD``), counts integers, flags 0/1, codes and text
strings, geometries GeoPackage blobs. Reading back gives each schema column the
dtype :func:`schema.fields.validate` gives it, so a stored layer validates as is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from schema.fields import WGS84, Field, LayerSpec, empty_frame
from store import gpkg_binary
from store.schema import GEOMETRY_COLUMN

SOURCE_RECORD = "source_record"
EXTRA_COLUMNS = ("batch_id", "source_row")
"""Provenance columns :func:`to_frame` adds after the schema's own."""


def is_missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float | np.floating) and math.isnan(value))
    )


def _plain(series: pd.Series, field: Field) -> list[Any]:
    """One column as values ``sqlite3`` binds (no numpy scalars, ``None`` for missing)."""
    if field.kind == "date":
        dates = pd.to_datetime(series, format="ISO8601")
        return [None if is_missing(d) else d.strftime("%Y-%m-%d") for d in dates]
    if field.kind == "count":
        return [None if is_missing(v) else int(v) for v in series.astype("Int64")]
    if field.kind == "number":
        return [None if is_missing(v) else float(v) for v in series.astype("Float64")]
    if field.kind == "flag":
        return [None if is_missing(v) else bool(v) for v in series.astype("boolean")]
    return [None if is_missing(v) else str(v) for v in series]


def plain_values(series: pd.Series, field: Field) -> list[Any]:
    """One column as the values a store binds (``None`` for missing), as written."""
    return _plain(series, field)


def _source_rows(index: pd.Index) -> list[int]:
    try:
        return [int(row) for row in index]
    except (TypeError, ValueError):
        raise ValueError(
            "`rows` is expected to be indexed by the row number in the sender's file, "
            f"but its index holds {index[:3].tolist()!r}"
        ) from None


def to_records(
    rows: pd.DataFrame,
    layer_spec: LayerSpec,
    batch_id: int,
    encode: Callable[[np.ndarray], list[Any]] = gpkg_binary.encode,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The table's column names and one tuple per row, ready for ``executemany``.

    ``encode`` turns the geometries into what the backend stores (GeoPackage blobs by
    default; WKB for PostGIS).

    Raises
    ------
    ValueError
        when the rows lack a geometry or a CRS the layer needs, or are not indexed by
        row numbers.
    """
    names = [f.name for f in layer_spec.fields]
    columns = [
        _plain(rows[f.name], f) if f.name in rows else [None] * len(rows) for f in layer_spec.fields
    ]
    names += ["batch_id", "source_row", SOURCE_RECORD]
    records = rows[SOURCE_RECORD] if SOURCE_RECORD in rows else [None] * len(rows)
    columns += [
        [batch_id] * len(rows),
        _source_rows(rows.index),
        [None if is_missing(r) else str(r) for r in records],
    ]
    if layer_spec.geometry_types:
        if not isinstance(rows, gpd.GeoDataFrame):
            raise ValueError(f"layer {layer_spec.name} needs geometries but `rows` has none")
        if rows.crs is None or not rows.crs.equals(WGS84):
            raise ValueError(
                f"`rows` are in {rows.crs} but the store keeps {WGS84} (longitude, latitude); "
                "reproject them first"
            )
        names.append(GEOMETRY_COLUMN)
        columns.append(encode(np.asarray(rows.geometry.array)))
    return names, list(zip(*columns, strict=True))


def _typed(values: Sequence[Any], field: Field) -> Any:
    if field.kind == "date":
        return pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d").astype(
            "datetime64[ns]"
        )
    if field.kind == "count":
        return pd.array(values, dtype="Int64")
    if field.kind == "number":
        return pd.array(values, dtype="Float64")
    if field.kind == "flag":
        return pd.array([None if v is None else bool(v) for v in values], dtype="boolean")
    # pandas' default ``str`` dtype, the one ``validate`` gives text and code columns.
    return pd.array(values, dtype="str")


def to_frame(
    layer_spec: LayerSpec,
    records: Sequence[tuple[Any, ...]],
    decode: Callable[[Sequence[Any]], np.ndarray] = gpkg_binary.decode,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """Rows read as ``(schema fields..., batch_id, source_row[, geom])`` -> a typed frame.

    Dates come as ``YYYY-MM-DD`` text, geometries as ``decode`` reads them."""
    if not records:
        frame = empty_frame(layer_spec)
        for f in layer_spec.fields:
            if f.kind in ("text", "code", "codes"):
                frame[f.name] = frame[f.name].astype("str")
        for name in EXTRA_COLUMNS:
            frame[name] = pd.Series(dtype="Int64")
        return frame
    columns = list(zip(*records, strict=True))
    data: dict[str, Any] = {
        f.name: _typed(values, f) for f, values in zip(layer_spec.fields, columns, strict=False)
    }
    n_fields = len(layer_spec.fields)
    for offset, name in enumerate(EXTRA_COLUMNS):
        data[name] = pd.array(columns[n_fields + offset], dtype="Int64")
    frame = pd.DataFrame({k: pd.Series(v).reset_index(drop=True) for k, v in data.items()})
    if not layer_spec.geometry_types:
        return frame
    geometry = decode(columns[n_fields + len(EXTRA_COLUMNS)])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=WGS84), crs=WGS84)
