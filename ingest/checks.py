"""Every row of an upload judged: accepted, accepted with a warning, rejected or out of
scope, and why.

:func:`check_rows` takes the columns a profile mapped (``ingest.profiles.Mapped``) and
returns the rows that fit the layer's schema, typed, and a report with one line per
problem: row, column, value, problem, what would be accepted, and the row's outcome.
Every row read gets exactly one outcome, so for every import
``rows read = accepted + accepted with a warning + out of scope + rejected``; nothing is
dropped or changed unsaid. Problems of the whole file (a required column missing or not
mapped, the rows out of scope) are one line each at the top (row ``all``); every problem
of a row is listed, not only the first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from ingest import columns, schema_guard, values
from ingest import geometry as geometry_checks
from ingest.duplicates import ACTOR_KEYS, near_duplicates
from ingest.findings import (
    ACCEPTED,
    OUT_OF_SCOPE,
    OUT_OF_SCOPE_COLUMN,
    OUTCOMES,
    REJECTED,
    WARNING,
    WHOLE_FILE,
    CheckContext,
    Findings,
)
from ingest.shown import plain
from languages import ENGLISH, N_, _, carried, current, format_date, ngettext
from schema import arrow_strings
from schema.catalogue import LAYER_SPECS, id_field
from schema.dates import ISOLATED_DAYS, nearest_other
from schema.fields import WGS84, Field, LayerSpec, empty_frame, split_codes
from schema.ids import id_keys

PUBLISHED = ("acled", "ucdp")
"""Profiles of datasets about a whole country (their rows are not the importing office's)."""


@dataclass
class CheckResult:
    """The judged upload.

    ``rows_read == accepted + accepted_with_warning + rejected + out_of_scope`` (the
    :attr:`counts`), for every import.

    Attributes
    ----------
    accepted : the rows that go into the store, typed to the layer's schema, indexed
        by row number (``ingest.records.with_source_records`` adds each row as sent
        when they are written).
    report : one line per problem (:data:`REPORT_COLUMNS`); lines about the whole file
        (row ``all``) first.
    outcomes : every row read -> ``accepted``, ``accepted_with_warning``, ``rejected`` or
        ``out_of_scope``.
    notes : decisions taken for the whole file (defaults filled, columns absent).
    """

    layer: str
    accepted: pd.DataFrame
    report: pd.DataFrame
    outcomes: pd.Series
    notes: list[str]

    @property
    def rows_read(self) -> int:
        return len(self.outcomes)

    @property
    def counts(self) -> dict[str, int]:
        counted = self.outcomes.value_counts()
        return {outcome: int(counted.get(outcome, 0)) for outcome in OUTCOMES}


def check_rows(mapped: Any, context: CheckContext) -> CheckResult:
    """Judge every row of ``mapped`` (a profile's output for a file as read).

    Parameters
    ----------
    mapped : ``ingest.profiles.Mapped``: ``layer`` and ``frame`` (schema columns,
        raw ``latitude``/``longitude`` or ``geometry``), indexed like the file's records.
        A row with a value in the reserved column ``_out_of_scope``
        (:data:`ingest.findings.OUT_OF_SCOPE_COLUMN`: the source's event type) is out of
        the layer's scope: counted by that type in one report line, not checked further.
    context : what rows are compared against (:class:`CheckContext`).
    """
    layer = mapped.layer
    if layer not in LAYER_SPECS:
        raise ValueError(f"`layer` was {layer!r} but is expected to be in {tuple(LAYER_SPECS)}")
    spec = LAYER_SPECS[layer]
    every_row = mapped.frame.index
    in_scope, scope = _in_scope(mapped.frame, spec)
    parts: dict[str, Findings] = {}

    def part(name: str) -> Findings:
        parts[name] = Findings()
        return parts[name]

    notes: list[str] = []
    placing_notes: list[str] = []
    # Two cores. Where each row is (coordinates or shapes) does not depend on its other
    # columns: it is read on the other core while this one reads the rest. Then that
    # core guards the schema (it needs the places) while this one looks for possible
    # duplicates (the date and type, and the points' coordinates, known before the
    # points are made). Each step keeps its own findings, joined in the order one core
    # finds them (columns in schema order, places, ids, duplicates, schema), so the
    # report is the same.
    with ThreadPoolExecutor(max_workers=1) as other_core:
        xy: Future = Future()
        placing = other_core.submit(
            carried(_placed), in_scope, spec, context, part("places"), placing_notes, xy
        )
        frame = _with_defaults(
            in_scope.copy(),
            spec,
            context,
            notes,
            published=getattr(mapped, "profile", "") in PUBLISHED,
        )
        _unmapped(frame, spec, part("unmapped"))
        read = {
            f.name: _read_column(frame[f.name], f, context, part(f.name))
            for f in spec.fields
            if f.name in frame
        }
        keys = None
        if layer == "incidents" and set(_NEAR_DUPLICATE_KEYS) <= set(read):
            # The perpetrator too, where read: different actors are not repeats.
            wanted = [k for k in (*_NEAR_DUPLICATE_KEYS, *ACTOR_KEYS) if k in read]
            keys = pd.DataFrame({k: read[k] for k in wanted}, index=frame.index)
        typed = pd.DataFrame(index=frame.index)
        for name in list(read):
            typed[name] = read.pop(name)
        _check_ids(typed, spec, context, part("ids"))
        lone = part("isolated")
        if layer == "incidents" and "date" in typed:
            _isolated_dates(typed["date"], lone)
        judged = ["unmapped", *typed.columns, "places", "ids", "isolated"]
        guarded = Findings()

        def guard() -> Any:
            geometry = placing.result()  # done: the task before this one on that core
            guarded.rejected = set().union(*(parts[name].rejected for name in judged))
            accepted = _accepted(typed, geometry, spec, guarded)
            if context.then is not None and len(accepted):
                context.then(accepted)
            return accepted

        accepting = other_core.submit(carried(guard))
        if keys is not None:
            _near_duplicates(keys, placing, xy.result(), context, part("near"))
        accepted = accepting.result()
    notes += placing_notes
    findings = Findings()
    for name in [*judged, "near"]:
        if name in parts:
            findings.extend(parts[name])
    findings.extend(guarded)
    _mapping_warnings(getattr(mapped, "warnings", ()), findings)
    outcomes, report = _outcomes_and_report(frame.index, findings)
    if scope is not None:
        outcomes, report = _with_out_of_scope(every_row, outcomes, report, scope, spec)
    return CheckResult(layer, accepted, report.reset_index(drop=True), outcomes, notes)


def _in_scope(frame: pd.DataFrame, spec: LayerSpec) -> tuple[pd.DataFrame, pd.Series | None]:
    """The rows in the layer's scope (without the reserved column), and the source's event
    type of each row out of scope (``None`` when the profile marks none: pocmap's own
    columns never carry the column, so their path costs nothing here)."""
    if OUT_OF_SCOPE_COLUMN not in frame:
        return frame, None
    marks = frame[OUT_OF_SCOPE_COLUMN]
    out = ~columns.missing(marks)
    frame = frame.drop(columns=[OUT_OF_SCOPE_COLUMN])
    if not out.any():
        return frame, None
    return frame[~out], marks[out].map(lambda v: values.as_text(v) or _("not given"))


def _with_out_of_scope(
    index: pd.Index, outcomes: pd.Series, report: pd.DataFrame, scope: pd.Series, spec: LayerSpec
) -> tuple[pd.Series, pd.DataFrame]:
    """Every row's outcome (the rows out of scope too, in file order), and the report with
    one line counting the rows out of scope by the source's event type, after the other
    lines about the whole file."""
    every = pd.Series(OUT_OF_SCOPE, index=index, name="outcome", dtype=object)
    every[outcomes.index] = outcomes
    by_type = sorted(scope.value_counts().items(), key=lambda kv: (-kv[1], str(kv[0])))
    # most first, then by name
    listed = ", ".join(f"{kind} {plain(n)}" for kind, n in by_type)
    line = pd.DataFrame(
        [
            {
                "row": WHOLE_FILE,
                "column": _("event type"),
                "value": None,
                "problem": ngettext(
                    "out of scope for {layer}: {n} row: {listed}",
                    "out of scope for {layer}: {n} rows: {listed}",
                    len(scope),
                    layer=spec.name,
                    listed=listed,
                ),
                "expected": _(
                    _SCOPE_WORDS.get(spec.name, N_("nothing to fix: counted, not imported"))
                ),
                "outcome": OUT_OF_SCOPE,
            }
        ],
        columns=report.columns,
    )
    whole = (report["row"] == WHOLE_FILE).to_numpy() if len(report) else np.zeros(0, bool)
    parts = [report[whole], line, report[~whole]]
    return every, pd.concat([p for p in parts if len(p)], ignore_index=True)


_SCOPE_WORDS = {
    "incidents": N_(
        "nothing to fix: these rows are counted, not imported (the incidents layer holds "
        "violence against civilians)"
    ),
}


_NEAR_DUPLICATE_KEYS = ("date", "incident_type")


def _mapping_warnings(warnings: Any, findings: Findings) -> None:
    """The profile's own warnings (``ingest.profiles.actors.RowWarning``): one line each,
    on the first of its rows not rejected, and every row it names warned."""
    for warning in warnings:
        rows = list(warning.rows)
        if not rows:
            continue
        first = next((r for r in rows if r not in findings.rejected), rows[0])
        findings.warn(first, warning.column, warning.value, warning.problem, warning.expected)
        findings.warned.update(rows)


def _unmapped(frame: pd.DataFrame, spec: LayerSpec, findings: Findings) -> None:
    """A required column the file lacks or that no column is mapped to: one line for the
    whole file (every row is rejected), not one on each row."""
    for spec_field in spec.fields:
        if spec_field.required and not spec_field.derived and spec_field.name not in frame:
            findings.error_all(
                frame.index,
                spec_field.name,
                None,
                _("is required but no column of the file is mapped to it"),
                _(
                    "map a column of the file to {column} ({allowed})",
                    column=spec_field.name,
                    allowed=spec_field.allowed(),
                ),
            )


def _isolated_dates(dates: pd.Series, findings: Findings) -> None:
    """Warn (not refuse) each date more than :data:`schema.dates.ISOLATED_DAYS` days from
    every other date of the file: a mistyped year would stretch the reporting period."""
    gaps, nearest = nearest_other(dates)
    lone = np.nan_to_num(gaps, nan=0.0) > ISOLATED_DAYS
    if not lone.any():
        return
    others = pd.to_datetime(dates[~lone]).dropna()
    if not len(others):
        return
    start, end = _long_date(others.min()), _long_date(others.max())
    for i in np.flatnonzero(lone).tolist():
        findings.warn(
            dates.index[i],
            "date",
            f"{pd.Timestamp(dates.iloc[i]):%Y-%m-%d}",
            _(
                "is {days} days from the file's nearest other date ({nearest}): a mistyped year?",
                days=plain(int(gaps[i])),
                nearest=_long_date(nearest[i]),
            ),
            _(
                "a date within the file's own range, {start} to {end}; the row is imported "
                "as it is (correct the date and import again if it is a typing error)",
                start=start,
                end=end,
            ),
        )


def _long_date(value: Any) -> str:
    """``03 October 2025`` in English (as the report always wrote it), the language's own
    long form otherwise (``3 octobre 2025``)."""
    moment = pd.Timestamp(value)
    if current() == ENGLISH:
        return f"{moment:%d %B %Y}"
    return format_date(moment.date(), width="long")


def _placed(
    frame: pd.DataFrame,
    spec: LayerSpec,
    context: CheckContext,
    findings: Findings,
    notes: list[str],
    xy: Future,
) -> gpd.GeoSeries | None:
    """:func:`_geometry`, giving ``xy`` the points' coordinates as soon as they are known
    (``None`` when they are not read from coordinate columns: read them from the shapes)."""
    try:
        return _geometry(frame, spec, context, findings, notes, lambda x, y: xy.set_result((x, y)))
    finally:
        if not xy.done():
            xy.set_result(None)


def _near_duplicates(
    keys: pd.DataFrame,
    placing: Future,
    xy: tuple[np.ndarray, np.ndarray] | None,
    context: CheckContext,
    findings: Findings,
) -> None:
    if xy is not None:
        near_duplicates(keys, None, context, findings, xy=xy)
        return
    geometry = placing.result()
    if geometry is not None:
        near_duplicates(keys, geometry, context, findings)


def _outcomes_and_report(index: pd.Index, findings: Findings) -> tuple[pd.Series, pd.DataFrame]:
    """Each row's outcome, and the report: rows in file order, each row's lines in the
    order they were found, every line showing its row's outcome (a warning on a rejected
    row too)."""
    report = findings.frame()
    at = _Positions(index)
    if at.fast:
        codes = np.zeros(len(index), dtype=np.int8)
        for code, rows in ((1, findings.warned), (2, findings.rejected)):
            found = at.of_integers(np.fromiter(rows, dtype=np.int64, count=len(rows)))
            codes[found[found >= 0]] = code
        outcomes = pd.Series(
            np.array(OUTCOMES, dtype=object)[codes], index=index, name="outcome", dtype=object
        )
    else:
        outcomes = pd.Series(ACCEPTED, index=index, name="outcome", dtype=object)
        outcomes[outcomes.index.isin(findings.warned)] = WARNING
        outcomes[outcomes.index.isin(findings.rejected)] = REJECTED
    if len(report):
        own = report["outcome"].to_numpy()
        whole = (report["row"] == WHOLE_FILE).to_numpy()
        position = at.of(report["row"]) if at.fast else None
        if position is None:
            report["outcome"] = report["row"].map(outcomes)
            position = index.get_indexer(pd.Index(report["row"]))
        else:
            shown = np.array([*OUTCOMES, np.nan], dtype=object)
            report["outcome"] = shown[np.where(position < 0, len(OUTCOMES), codes[position])]
        position = np.where(position < 0, len(index), position)
        if whole.any():  # about the whole file: its own outcome, at the top
            report["outcome"] = report["outcome"].astype(object)
            report.loc[whole, "outcome"] = own[whole]
            position = np.where(whole, -1, position)
        report = report.iloc[np.argsort(position, kind="stable")]
    return outcomes, report.reset_index(drop=True)


class _Positions:
    """Where rows are in an index of strictly increasing integers (a file's row numbers),
    found by binary search instead of a hash table of a million rows."""

    def __init__(self, index: pd.Index) -> None:
        self.values = index.to_numpy()
        self.fast = (
            self.values.dtype == np.int64
            and len(self.values) > 0
            and bool((self.values[1:] > self.values[:-1]).all())
        )

    def of(self, rows: Any) -> np.ndarray | None:
        """Each row's position, ``-1`` for a row not in the index; ``None`` when the rows
        are not plain integers (the caller asks pandas)."""
        rows = np.asarray(rows)
        if rows.dtype.kind not in "iu":
            return None
        return self.of_integers(rows)

    def of_integers(self, rows: np.ndarray) -> np.ndarray:
        """:meth:`of` for rows known to be integers."""
        rows = rows.astype(np.int64, copy=False)
        at = np.minimum(np.searchsorted(self.values, rows), len(self.values) - 1)
        return np.where(self.values[at] == rows, at, -1)


def _with_defaults(
    frame: pd.DataFrame,
    spec: LayerSpec,
    context: CheckContext,
    notes: list[str],
    *,
    published: bool = False,
) -> pd.DataFrame:
    """Fill columns the file does not have at all, saying so once for the file.

    ``published``: a dataset such as ACLED or UCDP GED, imported by an office but about the
    whole country: its events are not the importing office's, so no field office is filled
    in (the areas of responsibility give it, where loaded).
    """

    def absent(name: str) -> bool:
        return name in spec.columns and (
            name not in frame or bool(columns.missing(frame[name]).all())
        )

    if spec.name == "incidents":
        if absent("motivation"):
            frame["motivation"] = "unknown"
            notes.append(_("No motivation given: every incident comes in as unknown, to code."))
        if absent("location_precision"):
            frame["location_precision"] = "approximate"
            notes.append(_("No location precision given: every incident marked approximate."))
        if absent("source"):
            # Stored as each row's source, in the importer's language, and named in the note.
            source = _("{office} upload", office=context.office)
            frame["source"] = source
            notes.append(_("No source column: source recorded as {source}.", source=source))
    if published and "field_office" in spec.columns and absent("field_office"):
        frame["field_office"] = pd.Series(None, index=frame.index, dtype="str")
        notes.append(
            _(
                "No field office in a published dataset: each incident's office comes from "
                "the areas of responsibility, not from the office importing it ({office}).",
                office=context.office,
            )
        )
    elif "field_office" in spec.columns:
        if "field_office" not in frame:
            frame["field_office"] = pd.Series(None, index=frame.index, dtype="str")
        empty = columns.missing(frame["field_office"])
        if empty.any():
            frame.loc[empty, "field_office"] = context.office
            notes.append(
                ngettext(
                    "{n} row(s) without a field office: set to {office}.",
                    "{n} row(s) without a field office: set to {office}.",
                    int(empty.sum()),
                    office=context.office,
                )
            )
    key = id_field(spec)
    if key is not None and absent(key.name):
        tag = (context.upload_sha256 or "nohash")[:8]
        frame[key.name] = [f"{context.office}-{tag}-{row}" for row in frame.index]
        notes.append(
            _(
                "No {column} column: ids made from the office, file and row number.",
                column=key.name,
            )
        )
    return frame


def _read_column(
    column: pd.Series, spec_field: Field, context: CheckContext, findings: Findings
) -> pd.Series:
    if arrow_strings.is_text(column):
        return _read_text_column(column, spec_field, context, findings)
    out: list[Any] = []
    kind = spec_field.kind
    required = spec_field.required
    for row, value in column.items():
        read, problem = _read_value(value, spec_field, context)
        if problem:
            findings.error(row, spec_field.name, value, problem, _expected(spec_field, context))
            read = None
        elif read is None and required:
            findings.error(
                row, spec_field.name, None, _("is missing"), _expected(spec_field, context)
            )
        out.append(read)
    series = pd.Series(out, index=column.index, dtype=object)
    if kind == "date":
        return pd.to_datetime(series)
    if kind == "count":
        return series.astype("Int64")
    if kind == "number":
        return series.astype("Float64")
    if kind == "flag":
        return series.astype("boolean")
    return series


def _read_text_column(
    column: pd.Series, spec_field: Field, context: CheckContext, findings: Findings
) -> pd.Series:
    """:func:`_read_column` for a column of strings: each distinct value read once."""
    # A required cell left blank is said here, with the row's other problems (the schema's
    # last guard sees only the rows left); columns.missing is kept per column, so asking
    # costs nothing more on the fast path.
    blank = np.flatnonzero(columns.missing(column)) if spec_field.required else None
    expected = _expected(spec_field, context)
    if spec_field.kind == "text":
        for row in column.index[blank].tolist() if blank is not None else []:
            findings.error(row, spec_field.name, None, _("is missing"), expected)
        missing = columns.missing(column)  # as_text: a cell of only spaces is missing
        return column.where(~missing) if (missing & column.notna().to_numpy()).any() else column
    codes, raw = columns.distinct(column)
    readings = [_read_value(value, spec_field, context) for value in raw]
    failed = np.array([bool(problem) for _read, problem in readings] + [False])
    bad = np.flatnonzero(failed[codes])
    if blank is not None and len(blank):  # in row order, as read cell by cell
        bad = np.sort(np.concatenate([bad, blank]))
    for position in bad.tolist():
        code = codes[position]
        if code < 0 or not failed[code]:
            findings.error(column.index[position], spec_field.name, None, _("is missing"), expected)
            continue
        value = raw[code]
        findings.error(column.index[position], spec_field.name, value, readings[code][1], expected)
    answers = [None if problem else read for read, problem in readings]
    kind = spec_field.kind
    if kind in ("code", "codes") and columns.unchanged(answers, raw):
        return column
    if kind == "date":
        dates = pd.to_datetime(pd.Series([*answers, None], dtype=object))
        return pd.Series(dates.to_numpy()[np.where(codes < 0, len(answers), codes)], column.index)
    if kind in _EXTENSION_DTYPES:
        typed = pd.array([*answers, None], dtype=_EXTENSION_DTYPES[kind])
        return pd.Series(typed.take(np.where(codes < 0, len(answers), codes)), column.index)
    return columns.spread(answers, codes, None, column.index)


_EXTENSION_DTYPES: dict[str, Literal["Int64", "Float64", "boolean"]] = {
    "count": "Int64",
    "number": "Float64",
    "flag": "boolean",
}


def _expected(spec_field: Field, context: CheckContext) -> str:
    if spec_field.kind == "date":
        return _(
            "{dates}, from {earliest} to {today}",
            dates=_(values.DATE_ALLOWED),
            earliest=f"{values.EARLIEST_DATE:%Y-%m-%d}",
            today=f"{context.today:%Y-%m-%d}",
        )
    return spec_field.allowed()


def _read_value(value: Any, spec_field: Field, context: CheckContext) -> tuple[Any, str | None]:
    kind = spec_field.kind
    if kind == "date":
        date, problem = values.parse_date(value, order=context.date_order)
        if date is not None and (outside := values.date_range_problem(date, context.today)):
            # Refused here, row by row: one year 0205 must not fail the whole column when
            # pandas cannot hold it as a timestamp.
            return None, outside
        return date, problem
    if kind == "count":
        return values.parse_count(value)
    if kind == "number":
        return values.parse_number(value)
    if kind == "flag":
        return values.parse_flag(value)
    text = values.as_text(value)
    if text is None:
        return None, None
    if kind == "code" and text not in spec_field.codes:
        return None, _("is not a known code")
    if kind == "codes":
        unknown = [code for code in split_codes(text) if code not in spec_field.codes]
        if unknown:
            return None, _("has unknown code(s) {codes}", codes=", ".join(unknown))
    return text, None


def _geometry(
    frame: pd.DataFrame,
    spec: LayerSpec,
    context: CheckContext,
    findings: Findings,
    notes: list[str],
    on_coordinates: Callable[[np.ndarray, np.ndarray], None] | None = None,
) -> gpd.GeoSeries | None:
    """Each row's shape; ``on_coordinates`` is given the points' x and y when they are read
    from latitude and longitude columns (``ingest.geometry.points_from_coordinates``)."""

    if not spec.geometry_types:
        return None
    if "geometry" in frame:
        return geometry_checks.geometry_from_source(
            frame["geometry"], spec, context, findings, notes
        )
    lacking = [c for c in ("latitude", "longitude") if c not in frame]
    points = "Point" in spec.geometry_types
    if not lacking or (len(lacking) == 1 and not points):
        return geometry_checks.points_from_coordinates(
            frame, spec, context, findings, on_coordinates
        )
    if len(lacking) == 1:  # half a coordinate pair mapped: said once, not on every row
        findings.error_all(
            frame.index,
            lacking[0],
            None,
            _(
                "is required with {other} but no column of the file is mapped to it",
                other=_OTHER_AXIS[lacking[0]],
            ),
            _("map the file's {column} column (decimal degrees)", column=lacking[0]),
        )
    else:
        findings.error_all(
            frame.index,
            "latitude/longitude" if points else "geometry",
            None,
            _("is missing: no coordinate columns are mapped and the file has no shapes"),
            _("latitude and longitude columns (or a spatial file: GeoJSON, shapefile, KML)")
            if points
            else _(
                "{types} from a spatial file (GeoJSON, shapefile)",
                types=_(" or ").join(spec.geometry_types),
            ),
        )
    return gpd.GeoSeries([None] * len(frame), index=frame.index, crs=WGS84)


_OTHER_AXIS = {"latitude": "longitude", "longitude": "latitude"}


_SAME_ID = N_("ids are compared ignoring case, surrounding spaces and Unicode form")


def _check_ids(
    typed: pd.DataFrame, spec: LayerSpec, context: CheckContext, findings: Findings
) -> None:
    """Reject each id that repeats one of the file (all but its first row) or is already
    in the store, comparing ids by :func:`schema.ids.id_key` (stored as sent)."""
    key = id_field(spec)
    if key is None or key.name not in typed:
        return
    ids = typed[key.name]
    keys = id_keys(ids)
    rows = typed.index
    if columns.all_different(keys):
        if context.existing_ids is not None:
            # Nothing repeats: every present id is its own first row.
            given = ids.dropna() if ids.hasnans else ids
            if len(given):
                _stored(given, context.existing_ids(given), key.name, findings)
        return
    factorized, uniques = pd.factorize(keys)  # in order of first appearance; -1 for no id
    if not len(uniques):
        return
    codes = np.asarray(factorized)
    positions = np.arange(len(codes))
    first = np.full(len(uniques), -1, dtype=np.int64)
    present = codes >= 0
    first[codes[present][::-1]] = positions[present][::-1]  # the last write wins: the first
    repeats = np.flatnonzero(present & (first[np.maximum(codes, 0)] != positions))
    for position in repeats.tolist():
        value, earlier = ids.iloc[position], ids.iloc[first[codes[position]]]
        there = rows[first[codes[position]]]
        findings.error(
            rows[position],
            key.name,
            value,
            _("repeats the id of row {row} in this file", row=there)
            if value == earlier
            else _(
                "repeats the id of row {row} in this file (written {earlier} there; {same})",
                row=there,
                earlier=earlier,
                same=_(_SAME_ID),
            ),
            _("an id used once"),
        )
    if context.existing_ids is not None:
        firsts = ids.iloc[first]
        _stored(firsts, context.existing_ids(firsts), key.name, findings)


def _stored(
    ids: pd.Series, found: Mapping[str, int | None], column: str, findings: Findings
) -> None:
    """Reject the rows of ``ids`` (each id's first row) that ``found`` says are taken.

    ``found`` maps an id to the batch holding it, or to ``None`` when the caller may not
    see that batch (another office's upload under review): the id is refused all the same
    (ids are unique store-wide) but the batch is not named.
    """
    if not found:
        return
    for row, value in ids[ids.isin(list(found))].items():
        batch = found[value]
        if batch is None:
            findings.error(
                row,
                column,
                value,
                _("is already used in the store"),
                _(
                    "a new id: ids are unique across all offices ({same}); an analyst can "
                    "tell where this one is used",
                    same=_(_SAME_ID),
                ),
            )
        else:
            findings.error(
                row,
                column,
                value,
                _("is already in the store (batch {batch})", batch=batch),
                _(
                    "a new id ({same}); to replace the stored row, withdraw its batch first",
                    same=_(_SAME_ID),
                ),
            )


def _accepted(
    typed: pd.DataFrame,
    geometry: gpd.GeoSeries | None,
    spec: LayerSpec,
    findings: Findings,
) -> pd.DataFrame:
    """The rows without errors, checked against the layer schema as a last guard.

    Schema checks that need the whole row (a required value that is missing) are
    turned into errors of their rows here, and those rows leave the accepted set.
    """
    while True:
        keep = ~typed.index.isin(findings.rejected)
        if not keep.any():
            return empty_frame(spec)
        frame = typed if keep.all() else typed[keep]
        if geometry is not None:
            shapes = geometry if keep.all() else geometry[keep]
            frame = gpd.GeoDataFrame(frame, geometry=shapes, crs=WGS84)
        # _check_ids rejected every repeated id: the ones left are all different.
        accepted, problems = schema_guard.validated(frame, spec, ids_distinct=True)
        if accepted is not None:
            return accepted
        for problem in problems:
            if problem.row == WHOLE_FILE:  # about a column of every row: said once
                findings.error_all(
                    frame.index, problem.column, problem.value, problem.problem, problem.allowed
                )
            else:
                findings.error(
                    problem.row, problem.column, problem.value, problem.problem, problem.allowed
                )
