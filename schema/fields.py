"""Column specifications and validation shared by every layer.

Each layer module declares its columns as :class:`Field` objects; :func:`validate`
checks a (Geo)DataFrame against them and raises :class:`LayerValidationError`
listing every problem with its row, column, value and what would be accepted.
Column checks run through pandera; geometry checks are done here because they
need shapely, not pandas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from languages import ENGLISH, N_, _, current, translated_everywhere

WGS84 = "EPSG:4326"
LIST_SEPARATOR = ";"
"""Multi-valued fields (victim groups, groups protected) are stored as ``a;b;c``."""

Kind = Literal["text", "code", "codes", "date", "count", "number", "flag"]

_MAX_PROBLEMS_IN_MESSAGE = 20


_KIND_WORDS: dict[str, str] = {
    "text": N_("any text"),
    "date": N_("a date such as 2024-03-15"),
    "count": N_("a whole number, 0 or more"),
    "number": N_("a number"),
    "flag": N_("true or false (yes/no, oui/non, 1/0 are read too)"),
}
"""What a column of each kind accepts (``code`` and ``codes`` list their codes)."""

_UNREADABLE: dict[str, str] = {
    "text": N_("cannot be read as text"),
    "code": N_("cannot be read as code"),
    "codes": N_("cannot be read as codes"),
    "date": N_("cannot be read as date"),
    "count": N_("cannot be read as count"),
    "number": N_("cannot be read as number"),
    "flag": N_("cannot be read as flag"),
}
"""A value that does not convert to its column's kind: one whole sentence per kind."""


@dataclass(frozen=True)
class Field:
    """One column of a layer.

    Parameters
    ----------
    name : column name: the identifier files, the store and the code use.
    kind : ``text`` (free text), ``code`` (one value of ``codes``), ``codes``
        (``;``-separated values of ``codes``), ``date``, ``count`` (integer >= 0),
        ``number`` (float), ``flag`` (boolean).
    required : whether a value must be present in every row.
    codes : the accepted values for ``code`` and ``codes`` columns.
    unique : whether values must not repeat.
    sensitive : free text that must never reach a shareable output.
    description : what the column holds, in English, marked with ``N_`` (shown
        translated by :attr:`help`).
    derived : set by pocmap from other layers (places from the boundaries, links between
        sources' reports), never read from an uploaded file.
    label : the column's short name for people ("Incident type"), in English, marked with
        ``N_`` (shown translated by :attr:`title`); empty: derived from ``name``.
    code_labels : each code's label (a :class:`languages.Labels`), for ``code`` and
        ``codes`` columns.
    """

    name: str
    kind: Kind
    required: bool = False
    codes: tuple[str, ...] = ()
    unique: bool = False
    sensitive: bool = False
    description: str = ""
    derived: bool = False
    label: str = ""
    code_labels: Mapping[str, str] | None = dataclass_field(default=None, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.label:
            # A field declared without a label still reads as words ("field_office" ->
            # "Field office"); pocmap's own fields all have an N_-marked one.
            object.__setattr__(self, "label", self.name.replace("_", " ").capitalize())

    @property
    def title(self) -> str:
        """The column's label in the current language ("Type d'incident")."""
        return _(self.label)

    @property
    def help(self) -> str:
        """The column's description in the current language ("" when it has none)."""
        return _(self.description) if self.description else ""

    def code_label(self, code: str) -> str:
        """``code``'s label in the current language; the code itself when it has none."""
        if self.code_labels is not None and code in self.code_labels:
            return self.code_labels[code]
        return code

    def listed_codes(self) -> str:
        """The codes, for a person to choose from: the codes alone in English (as typed in a
        file); ``label (code)`` in other languages, so the meaning reads in the language and
        the code to type is there."""
        if current() == ENGLISH or self.code_labels is None:
            return ", ".join(self.codes)
        return ", ".join(
            _("{label} ({code})", label=self.code_label(code), code=code) for code in self.codes
        )

    def allowed(self) -> str:
        """What would be accepted, in words a person sending data can act on."""
        if self.kind == "code":
            return _("one of {codes}", codes=self.listed_codes())
        if self.kind == "codes":
            return _(
                "zero or more of {codes}, separated by '{separator}'",
                codes=self.listed_codes(),
                separator=LIST_SEPARATOR,
            )
        return _(_KIND_WORDS[self.kind])

    def unreadable(self) -> str:
        """The problem of a value that cannot be read as this column's kind."""
        return _(_UNREADABLE[self.kind])


def word_key(text: Any) -> str:
    """``text`` as words are compared: no accents, case folded, punctuation and
    underscores as single spaces ("Zone sans armes" and "zone_sans_armes" -> "zone sans
    armes"; "Signé" -> "signe"; "N° de fiche" -> "n de fiche")."""
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def code_words(spec_field: Field) -> dict[str, str]:
    """Every way pocmap knows of writing each code of a ``code``/``codes`` field, as
    :func:`word_key` forms, to the code: the code itself and its label in every language
    pocmap speaks ("killing", "Killing", "meurtre" -> ``killing``; "zone sans armes" ->
    ``weapon_free_zone``; "signé" -> ``signed``). Look a value up with
    ``code_words(field).get(word_key(value))``.

    A code's own spelling wins over any label; an English label over another language's.
    """
    words: dict[str, str] = {}
    labels = spec_field.code_labels or {}
    english = labels.english if hasattr(labels, "english") else dict(labels)
    for code in spec_field.codes:
        words.setdefault(word_key(code), code)
    for code in spec_field.codes:
        if code in english:
            words.setdefault(word_key(english[code]), code)
    for code in spec_field.codes:
        if code in english:
            for text in translated_everywhere(english[code]).values():
                words.setdefault(word_key(text), code)
    return words


def header_words(spec_field: Field) -> set[str]:
    """Every header that names ``spec_field``, as :func:`word_key` forms: its name and its
    label in every language pocmap speaks ("incident_type", "Incident type", "Type
    d'incident"). A French template's headers are the French labels."""
    words = {word_key(spec_field.name), word_key(spec_field.label)}
    words |= {word_key(text) for text in translated_everywhere(spec_field.label).values()}
    return words


def field_for_header(spec: LayerSpec, header: Any) -> Field | None:
    """The field of ``spec`` a header names, in any language (:func:`header_words`);
    ``None`` when it names none."""
    key = word_key(header)
    return next((f for f in spec.fields if key in header_words(f)), None)


def _either(items: Sequence[str]) -> str:
    """``A or B or C``, in the current language."""
    text = items[0] if items else ""
    for item in items[1:]:
        text = _("{first} or {second}", first=text, second=item)
    return text


@dataclass(frozen=True)
class Problem:
    """One problem found in one cell (or one row's geometry)."""

    row: Any
    column: str
    value: Any
    problem: str
    allowed: str

    def __str__(self) -> str:
        if isinstance(self.row, str) and self.row == "all":
            return _(
                "row all, column '{column}': {value} {problem}; expected {allowed}",
                column=self.column,
                value=repr(self.value),
                problem=self.problem,
                allowed=self.allowed,
            )
        return _(
            "row {row}, column '{column}': {value} {problem}; expected {allowed}",
            row=self.row,
            column=self.column,
            value=repr(self.value),
            problem=self.problem,
            allowed=self.allowed,
        )


class LayerValidationError(ValueError):
    """A layer's data does not fit its schema. ``problems`` lists every one."""

    def __init__(self, layer: str, problems: Sequence[Problem], source: str = "") -> None:
        self.layer = layer
        self.problems = list(problems)
        self.source = source
        count = len(self.problems)
        if source:
            head = _(
                "{count} problem(s) in layer '{layer}' in {source}:",
                count=count,
                layer=layer,
                source=source,
            )
        else:
            head = _("{count} problem(s) in layer '{layer}':", count=count, layer=layer)
        shown = "\n".join(f"  - {p}" for p in self.problems[:_MAX_PROBLEMS_IN_MESSAGE])
        more = count - _MAX_PROBLEMS_IN_MESSAGE
        tail = "\n  " + _("... and {more} more", more=more) if more > 0 else ""
        super().__init__(f"{head}\n{shown}{tail}")


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


_NOT_A_CODE = N_("is not a known code")
_UNKNOWN_CODE = N_("contains an unknown code")
_NEGATIVE = N_("is negative")
_CHECK_ERRORS = frozenset({_NOT_A_CODE, _UNKNOWN_CODE, _NEGATIVE})


def _check_for(field: Field) -> list[pa.Check]:
    if field.kind == "code":
        return [pa.Check.isin(list(field.codes), error=_NOT_A_CODE)]
    if field.kind == "codes":
        allowed = set(field.codes)
        return [
            pa.Check(
                lambda v: all(code in allowed for code in split_codes(v)),
                element_wise=True,
                error=_UNKNOWN_CODE,
            )
        ]
    if field.kind == "count":
        return [pa.Check.ge(0, error=_NEGATIVE)]
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
        return _("is missing")
    if check == "field_uniqueness":
        return _("repeats a value used in another row")
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        return field.unreadable()
    if check == "column_in_dataframe":
        return _("column is missing")
    if check in _CHECK_ERRORS:
        # The checks carry their error in English (pandera's name for them): said here.
        return _(check)
    return check if " " in check else _("fails check {check}", check=check)


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
                    field.unreadable(),
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
    allowed = _(
        "a {types} in {crs} (longitude, latitude)",
        types=_either(spec.geometry_types),
        crs=WGS84,
    )
    if gdf.crs is None:
        return [Problem("all", "geometry", None, _("has no coordinate reference system"), allowed)]
    if not gdf.crs.equals(WGS84):
        return [Problem("all", "geometry", gdf.crs.to_string(), _("is not WGS84"), allowed)]
    problems = []
    geoms = gdf.geometry.array
    missing = shapely.is_missing(np.asarray(geoms))
    empty = ~missing & shapely.is_empty(np.asarray(geoms))
    types = np.asarray(shapely.get_type_id(np.asarray(geoms)))
    type_names = np.array(GEOMETRY_TYPE_NAMES)
    bounds = shapely.bounds(np.asarray(geoms))
    for pos, row in enumerate(gdf.index):
        if missing[pos]:
            problems.append(Problem(row, "geometry", None, _("is missing"), allowed))
            continue
        if empty[pos]:
            problems.append(Problem(row, "geometry", "EMPTY", _("is empty"), allowed))
            continue
        name = type_names[types[pos]]
        if name not in spec.geometry_types:
            problems.append(
                Problem(row, "geometry", name, _("is the wrong geometry type"), allowed)
            )
            continue
        minx, miny, maxx, maxy = bounds[pos]
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            problems.append(
                Problem(
                    row,
                    "geometry",
                    geoms[pos].wkt[:80],
                    _("is outside longitude/latitude range"),
                    allowed,
                )
            )
        elif not shapely.is_valid(geoms[pos]):
            problems.append(
                Problem(
                    row,
                    "geometry",
                    shapely.is_valid_reason(geoms[pos]),
                    _("is invalid"),
                    _("a valid geometry (no self-intersections)"),
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
                    _("is missing: this layer needs geometries"),
                    _either(spec.geometry_types),
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
