"""Column specifications and validation shared by every layer.

Each layer module declares its columns as :class:`Field` objects; :func:`validate`
checks a (Geo)DataFrame against them and raises :class:`LayerValidationError`
listing every problem with its row, column, value and what would be accepted.
Column checks run through pandera; geometry checks are done here because they
need shapely, not pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

WGS84 = "EPSG:4326"
LIST_SEPARATOR = ";"
"""Multi-valued fields (victim groups, groups protected) are stored as ``a;b;c``."""

Kind = Literal["text", "code", "codes", "date", "count", "number", "flag"]

_MAX_PROBLEMS_IN_MESSAGE = 20


@dataclass(frozen=True)
class Field:
    """One column of a layer.

    Parameters
    ----------
    name : column name.
    kind : ``text`` (free text), ``code`` (one value of ``codes``), ``codes``
        (``;``-separated values of ``codes``), ``date``, ``count`` (integer >= 0),
        ``number`` (float), ``flag`` (boolean).
    required : whether a value must be present in every row.
    codes : the accepted values for ``code`` and ``codes`` columns.
    unique : whether values must not repeat.
    sensitive : free text that must never reach a shareable output.
    derived : set by pocmap from other layers (places from the boundaries, links between
        sources' reports), never read from an uploaded file.
    """

    name: str
    kind: Kind
    required: bool = False
    codes: tuple[str, ...] = ()
    unique: bool = False
    sensitive: bool = False
    description: str = ""
    derived: bool = False

    def allowed(self) -> str:
        """What would be accepted, in words a person sending data can act on."""
        if self.kind == "code":
            return "one of " + ", ".join(self.codes)
        if self.kind == "codes":
            return f"zero or more of {', '.join(self.codes)}, separated by '{LIST_SEPARATOR}'"
        return {
            "text": "any text",
            "date": "a date such as 2024-03-15",
            "count": "a whole number, 0 or more",
            "number": "a number",
            "flag": "true or false (yes/no, oui/non, 1/0 are read too)",
        }[self.kind]


@dataclass(frozen=True)
class Problem:
    """One problem found in one cell (or one row's geometry)."""

    row: Any
    column: str
    value: Any
    problem: str
    allowed: str

    def __str__(self) -> str:
        return (
            f"row {self.row}, column '{self.column}': {self.value!r} {self.problem}; "
            f"expected {self.allowed}"
        )


class LayerValidationError(ValueError):
    """A layer's data does not fit its schema. ``problems`` lists every one."""

    def __init__(self, layer: str, problems: Sequence[Problem], source: str = "") -> None:
        self.layer = layer
        self.problems = list(problems)
        self.source = source
        where = f" in {source}" if source else ""
        shown = "\n".join(f"  - {p}" for p in self.problems[:_MAX_PROBLEMS_IN_MESSAGE])
        more = len(self.problems) - _MAX_PROBLEMS_IN_MESSAGE
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"{len(self.problems)} problem(s) in layer '{layer}'{where}:\n{shown}{tail}"
        )


@dataclass(frozen=True)
class LayerSpec:
    """A layer's columns and the geometry types it accepts (none for a table)."""

    name: str
    fields: tuple[Field, ...]
    geometry_types: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"`name` was {name!r} but layer '{self.name}' has {self.columns}")


GEOMETRY_TYPE_NAMES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)
"""Shapely's geometry type names, in the order of its type ids (``shapely.get_type_id``)."""


def split_codes(value: Any) -> list[str]:
    """``"women; children"`` -> ``["women", "children"]``; missing -> ``[]``."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return []
    return [part.strip() for part in str(value).split(LIST_SEPARATOR) if part.strip()]


_FLAG_WORDS = {
    "true": True,
    "yes": True,
    "y": True,
    "1": True,
    "oui": True,
    "vrai": True,
    "false": False,
    "no": False,
    "n": False,
    "0": False,
    "non": False,
    "faux": False,
}


def _read_flags(frame: pd.DataFrame, spec: LayerSpec) -> pd.DataFrame:
    """Flag columns written as words (``"True"``, ``"yes"``, ``"oui"``) read as booleans.

    A value that is not a known word is left as it is, so validation reports it.
    """
    flags = [f.name for f in spec.fields if f.kind == "flag" and f.name in frame]
    if not flags:
        return frame
    frame = frame.copy()
    for name in flags:
        frame[name] = frame[name].map(_read_flag)
    return frame


def _read_flag(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer | str):
        return _FLAG_WORDS.get(str(value).strip().lower(), value)
    return value


def _check_for(field: Field) -> list[pa.Check]:
    if field.kind == "code":
        return [pa.Check.isin(list(field.codes), error="is not a known code")]
    if field.kind == "codes":
        allowed = set(field.codes)
        return [
            pa.Check(
                lambda v: all(code in allowed for code in split_codes(v)),
                element_wise=True,
                error="contains an unknown code",
            )
        ]
    if field.kind == "count":
        return [pa.Check.ge(0, error="is negative")]
    return []


_DTYPE: dict[str, Any] = {
    "text": pd.StringDtype(),
    "code": pd.StringDtype(),
    "codes": pd.StringDtype(),
    "date": "datetime64[ns]",
    "count": "Int64",
    "number": "Float64",
    "flag": "boolean",
}


def _pandera_schema(spec: LayerSpec) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            f.name: pa.Column(
                _DTYPE[f.kind],
                checks=_check_for(f),
                nullable=not f.required,
                unique=f.unique,
                coerce=True,
                required=f.required,
            )
            for f in spec.fields
        },
        strict=False,
    )


def _problem_text(check: str, field: Field) -> str:
    if check == "not_nullable":
        return "is missing"
    if check == "field_uniqueness":
        return "repeats a value used in another row"
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        return f"cannot be read as {field.kind}"
    if check == "column_in_dataframe":
        return "column is missing"
    return check if " " in check else f"fails check {check}"


def _read_values(frame: pd.DataFrame, spec: LayerSpec) -> tuple[pd.DataFrame, list[Problem]]:
    """Read date and number columns value by value, so each unreadable cell is named.

    Pandera converts a column as a whole and, when that fails, reports the column
    without its rows. Here every present value that does not convert becomes a
    problem of its own row, and its cell is left empty for the checks that follow.
    """
    problems: list[Problem] = []
    frame = frame.copy()
    for field in spec.fields:
        if field.kind not in ("date", "count", "number") or field.name not in frame:
            continue
        original = frame[field.name]
        if field.kind == "date":
            converted = pd.to_datetime(original, errors="coerce", format="ISO8601")
            bad = original.notna() & converted.isna()
        else:
            converted = pd.to_numeric(original, errors="coerce")
            bad = original.notna() & converted.isna()
            if field.kind == "count":
                bad |= converted.notna() & (converted % 1 != 0)
        for row in frame.index[bad.to_numpy()]:
            problems.append(
                Problem(
                    row,
                    field.name,
                    original.loc[row],
                    f"cannot be read as {field.kind}",
                    field.allowed(),
                )
            )
        converted = converted.where(~bad)
        frame[field.name] = converted.astype("Int64") if field.kind == "count" else converted
    return frame, problems


def _column_problems(frame: pd.DataFrame, spec: LayerSpec) -> tuple[pd.DataFrame, list[Problem]]:
    frame, problems = _read_values(frame, spec)
    # A cell already reported as unreadable is not reported again as missing.
    seen: set[tuple[Any, str]] = {(p.row, p.column) for p in problems}
    schema = _pandera_schema(spec)
    try:
        validated = schema.validate(pd.DataFrame(frame), lazy=True)
    except pa.errors.SchemaErrors as err:
        reported: set[tuple[Any, str, str]] = set()
        for case in err.failure_cases.itertuples(index=False):
            check = str(case.check)
            column = str(case.failure_case if check == "column_in_dataframe" else case.column)
            field = spec.field(column) if column in spec.columns else None
            problem = _problem_text(check, field) if field else check
            row = "all" if check == "column_in_dataframe" or pd.isna(case.index) else case.index
            value = (
                None
                if check == "column_in_dataframe" or pd.isna(case.failure_case)
                else (case.failure_case)
            )
            # pandera reports a failed conversion twice (coerce, then dtype): keep one.
            key = (row, column, "read" if "dtype" in check else problem)
            if key in reported or (row, column) in seen:
                continue
            reported.add(key)
            problems.append(Problem(row, column, value, problem, field.allowed() if field else ""))
        return pd.DataFrame(frame), problems
    return validated, problems


def _geometry_problems(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> list[Problem]:
    allowed = "a " + " or ".join(spec.geometry_types) + f" in {WGS84} (longitude, latitude)"
    if gdf.crs is None:
        return [Problem("all", "geometry", None, "has no coordinate reference system", allowed)]
    if not gdf.crs.equals(WGS84):
        return [Problem("all", "geometry", gdf.crs.to_string(), "is not WGS84", allowed)]
    problems = []
    geoms = gdf.geometry.array
    missing = shapely.is_missing(np.asarray(geoms))
    empty = ~missing & shapely.is_empty(np.asarray(geoms))
    types = np.asarray(shapely.get_type_id(np.asarray(geoms)))
    type_names = np.array(GEOMETRY_TYPE_NAMES)
    bounds = shapely.bounds(np.asarray(geoms))
    for pos, row in enumerate(gdf.index):
        if missing[pos]:
            problems.append(Problem(row, "geometry", None, "is missing", allowed))
            continue
        if empty[pos]:
            problems.append(Problem(row, "geometry", "EMPTY", "is empty", allowed))
            continue
        name = type_names[types[pos]]
        if name not in spec.geometry_types:
            problems.append(Problem(row, "geometry", name, "is the wrong geometry type", allowed))
            continue
        minx, miny, maxx, maxy = bounds[pos]
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            problems.append(
                Problem(
                    row,
                    "geometry",
                    geoms[pos].wkt[:80],
                    "is outside longitude/latitude range",
                    allowed,
                )
            )
        elif not shapely.is_valid(geoms[pos]):
            problems.append(
                Problem(
                    row,
                    "geometry",
                    shapely.is_valid_reason(geoms[pos]),
                    "is invalid",
                    "a valid geometry (no self-intersections)",
                )
            )
    return problems


def validate(frame: pd.DataFrame, spec: LayerSpec, *, source: str = "") -> pd.DataFrame:
    """Check ``frame`` against ``spec`` and return it with columns coerced to their types.

    Raises
    ------
    LayerValidationError
        listing every problem found, never only the first.
    """
    frame = _read_flags(_with_absent_columns(frame, spec), spec)
    coerced, problems = _column_problems(frame, spec)
    if spec.geometry_types:
        if not isinstance(frame, gpd.GeoDataFrame):
            problems.append(
                Problem(
                    "all",
                    "geometry",
                    None,
                    "is missing: this layer needs geometries",
                    " or ".join(spec.geometry_types),
                )
            )
        else:
            problems.extend(_geometry_problems(frame, spec))
    if problems:
        raise LayerValidationError(spec.name, problems, source)
    if spec.geometry_types:
        return gpd.GeoDataFrame(coerced, geometry=frame.geometry.name, crs=frame.crs)
    return coerced


def _with_absent_columns(frame: pd.DataFrame, spec: LayerSpec) -> pd.DataFrame:
    """Every optional column the frame lacks, added empty (then typed as the others are),
    schema columns first: a layer's frame has the same columns in the same order wherever
    it came from (a file, the store, the sample). A missing required column stays missing,
    to be reported."""
    absent = [f.name for f in spec.fields if not f.required and f.name not in frame.columns]
    if not absent:
        return frame
    frame = frame.copy()
    for name in absent:
        frame[name] = None
    fields = [c for c in spec.columns if c in frame.columns]
    return frame[[*fields, *(c for c in frame.columns if c not in spec.columns)]]


def empty_frame(spec: LayerSpec) -> pd.DataFrame:
    """An empty frame with the layer's columns and dtypes (a GeoDataFrame if spatial)."""
    frame = pd.DataFrame({f.name: pd.Series(dtype=_DTYPE[f.kind]) for f in spec.fields})
    if spec.geometry_types:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    return frame
