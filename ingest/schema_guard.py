"""The layer's schema as the last guard over the rows about to be accepted.

``schema.fields.validate`` (pandera, then a shape check per row) takes about 8 s for a
million incidents, and by the time it runs here the rows have been read and checked
already, so it seldom finds anything. :func:`validated` therefore finds, in a few
vectorised passes, every row the schema *could* object to (a superset) and runs the
schema on those rows only; the other rows get the schema's own types with ``astype``,
which is all pandera's coercion does. Whenever that split is not clearly safe (a
required column absent, a frame without its CRS, a column of an unexpected dtype, a
problem about the whole column) the whole frame is validated as before.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ingest import columns
from schema import arrow_strings
from schema.catalogue import id_field
from schema.fields import (
    GEOMETRY_TYPE_NAMES,
    WGS84,
    LayerSpec,
    LayerValidationError,
    Problem,
    split_codes,
)
from schema.fields import validate as validate_layer

_EXTENSION_DTYPES = {"count": "Int64", "number": "Float64", "flag": "boolean"}
_TEXT_KINDS = ("text", "code", "codes")
_NS_RANGE = (
    # From text: ``.to_datetime64().astype("datetime64[s]")`` gave 2262 for the lower
    # bound, so every date became a suspect and the whole frame was validated row by row
    # (a million-row import took 9 s instead of 2; tests/ingest/test_fast_paths.py).
    np.datetime64(pd.Timestamp.min.ceil("s").isoformat(), "s"),
    np.datetime64(pd.Timestamp.max.floor("s").isoformat(), "s"),
)
"""Dates pandera can hold as ``datetime64[ns]``; others fail its coercion."""


def validated(
    frame: pd.DataFrame, spec: LayerSpec, *, ids_distinct: bool = False
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """What ``validate_layer(frame, spec)`` gives: ``(frame, [])`` or ``(None, problems)``.

    The problems are the ones the full validation would raise (each row's in the same
    order), and a frame is the one it would return. ``ids_distinct``: the layer's id
    column is known to hold no value twice (the checks rejected every repeat).
    """
    suspects = _suspects(frame, spec, ids_distinct)
    if suspects is not None and suspects.any():
        try:
            validate_layer(frame[suspects], spec)
        except LayerValidationError as err:
            if not any(p.row == "all" for p in err.problems):
                return None, err.problems
            suspects = None  # a problem of the whole column: ask about the whole frame
    if suspects is None:
        try:
            return validate_layer(frame, spec), []
        except LayerValidationError as err:
            return None, err.problems
    return _coerced(frame, spec), []


def _coerced(frame: pd.DataFrame, spec: LayerSpec) -> pd.DataFrame:
    """``frame`` with the types ``validate_layer`` gives, when it finds nothing to refuse.

    pandera coerces each column with ``astype`` to its schema's type, whatever the values,
    so the types are learnt once per layer from one row (pandera takes 0.1 s even then).
    """
    present = tuple(f.name for f in spec.fields if f.name in frame)
    key = (spec, present, *(str(frame[name].dtype) for name in present))
    if key not in _SCHEMA_TYPES:
        sample = validate_layer(frame.iloc[:1], spec)
        _SCHEMA_TYPES[key] = {name: sample[name].dtype for name in spec.columns if name in sample}
    types = _SCHEMA_TYPES[key]
    # Only the columns not of their type already (astype copies even those that are).
    retype = {n: t for n, t in types.items() if n in present and frame[n].dtype != t}
    coerced = pd.DataFrame(frame).astype(retype) if retype else pd.DataFrame(frame)
    absent = [n for n in types if n not in present]
    if absent:
        # As validate_layer does: every optional column the frame lacks, added empty and
        # typed, the schema's columns first (each a column of missing values, no row loop).
        empty = {n: pd.Series(index=coerced.index, dtype=types[n]) for n in absent}
        coerced = pd.concat([coerced, pd.DataFrame(empty, index=coerced.index)], axis=1)
        fields = [c for c in spec.columns if c in coerced.columns]
        coerced = coerced[[*fields, *(c for c in coerced.columns if c not in spec.columns)]]
    if spec.geometry_types:
        return gpd.GeoDataFrame(coerced, geometry=frame.geometry.name, crs=frame.crs)
    return coerced


_SCHEMA_TYPES: dict[tuple, dict[str, Any]] = {}


def _suspects(frame: pd.DataFrame, spec: LayerSpec, ids_distinct: bool) -> np.ndarray | None:
    """Rows the schema could object to, or ``None`` when only the whole frame can tell."""
    if spec.geometry_types:
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            return None
        if not frame.crs.equals(WGS84):
            return None
    suspect = np.zeros(len(frame), dtype=bool)
    for spec_field in spec.fields:
        if spec_field.name not in frame:
            if spec_field.required:
                return None
            continue
        column = frame[spec_field.name]
        if not _expected_dtype(column, spec_field.kind):
            return None
        null = column.isna().to_numpy()
        if spec_field.required:
            suspect |= null
        # A required id's empty cells are suspects already; its values were compared.
        known = ids_distinct and spec_field.required and spec_field == id_field(spec)
        if spec_field.unique and not known and not columns.all_different(column):
            suspect |= column.duplicated(keep=False).to_numpy()
        suspect |= ~null & _bad_values(column, spec_field)
    if spec.geometry_types:
        suspect |= _bad_shapes(frame.geometry.array, spec)
    return suspect


def _expected_dtype(column: pd.Series, kind: str) -> bool:
    """Whether ``column`` has a dtype the checks give for ``kind`` (so astype is safe)."""
    if kind in _TEXT_KINDS:
        if arrow_strings.is_text(column):
            return True
        return column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) in (
            "string",
            "empty",
        )
    if kind == "date":
        return pd.api.types.is_datetime64_dtype(column.dtype)
    return str(column.dtype) == _EXTENSION_DTYPES[kind]


def _bad_values(column: pd.Series, spec_field: Any) -> np.ndarray:
    """Per present value: whether a check of the schema could refuse it."""
    kind = spec_field.kind
    # The checks found each text column's distinct values already: judged once each.
    known = columns.known_distinct(column) if kind in ("code", "codes") else None
    if kind == "code" and known is None:
        return ~column.isin(spec_field.codes).to_numpy()
    if kind in ("code", "codes"):
        allowed = set(spec_field.codes)
        codes, values = known if known is not None else pd.factorize(column)
        if kind == "code":
            unknown = [v not in allowed for v in values]
        else:
            unknown = [any(c not in allowed for c in split_codes(v)) for v in values]
        return np.array([*unknown, False], dtype=bool)[np.asarray(codes)]
    if kind == "count":
        return (column < 0).fillna(False).to_numpy(dtype=bool)
    if kind == "date":
        stamps = column.to_numpy().astype("datetime64[s]")
        return (stamps < _NS_RANGE[0]) | (stamps > _NS_RANGE[1])
    return np.zeros(len(column), dtype=bool)


def _bad_shapes(shapes: Any, spec: LayerSpec) -> np.ndarray:
    """Missing, empty, of another type, outside lon/lat or invalid (``_geometry_problems``).

    Two passes over the shapes for a layer of points: their types and their bounds (NaN
    for a missing or empty shape, and for a point without finite coordinates, which is
    all that makes a point invalid). Other shapes are asked whether they are valid.
    """
    geoms = np.asarray(shapes)
    types = shapely.get_type_id(geoms)
    allowed = [i for i, name in enumerate(GEOMETRY_TYPE_NAMES) if name in spec.geometry_types]
    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        bad = ~np.isin(types, allowed) | ~np.isfinite(bounds).all(axis=1)
        bad |= (bounds[:, 0] < -180) | (bounds[:, 2] > 180) | (bounds[:, 1] < -90)
        bad |= bounds[:, 3] > 90
    others = np.flatnonzero((types != 0) & ~bad)
    if len(others):
        bad[others] = ~shapely.is_valid(geoms[others])
    return bad
