"""The vectorised checks give the very answers of the cell-by-cell ones (issue #6).

A CSV's columns are Arrow strings and take the fast paths; the same values as Python
objects (how an XLSX arrives) take the per-cell paths, and ``tests.ingest.reference``
keeps the former row-by-row checks. Each test feeds both the same values, mixing good
ones with decimal commas, blanks, bad and ambiguous dates, French words and repeats.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from ingest import checks, columns, duplicates, geometry, profiles, records, schema_guard, values
from ingest.checks import _read_column, check_rows
from ingest.findings import CheckContext, Findings
from ingest.profiles.vocabulary import apply_vocabulary
from ingest.readers import read
from schema import arrow_strings
from schema.catalogue import LAYER_SPECS
from schema.fields import LayerValidationError
from schema.fields import validate as validate_layer
from schema.upload import Upload
from tests.ingest import reference

FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
AREA = box(1.0, -4.0, 3.0, -2.0)
TODAY = dt.date(2026, 11, 24)
SPEC = LAYER_SPECS["incidents"]
SPACES = list(arrow_strings.PYTHON_SPACES)

DATES = [
    "2024-03-15", "15/03/2024", "03/04/2024", "3 mars 2024", "1er janvier 2025", "15-Mar-24",
    "March 15, 2024", "2024-02-30", "2027-01-01", "31/31/2024", "hier", "13 brumaire 2024",
    " 2024-03-15 ", "2024-03-15T10:00:00", "", "  ",
]  # fmt: skip
NUMBERS = [
    "4.35", "-4,35", "+1.5", "1.", ".5", "0", "-0", "00012", "1e3", "1,234.5", "1.234,5",
    " 2.5 ", "2\xa0500", "\u0663.\u0665", "abc", "", " ", "4,", ",5", "1" * 25,
    "0.1000000000000000055511",
]  # fmt: skip
CODES = [
    "killing", "meurtre", "Enlèvement", "pillage", "threat?", "unknown", "vengeance",
    "FDS", "femmes;enfants", "women, children", "women; aliens", "", " ", "KILLING",
]  # fmt: skip


def _as_text(values_: list[str | None]) -> pd.Series:
    """A CSV column: Arrow strings, an empty cell missing."""
    return pd.Series([v if v else None for v in values_], index=range(2, 2 + len(values_)),
                     dtype="str")  # fmt: skip


def _as_objects(column: pd.Series) -> pd.Series:
    """The same cells as Python objects, None where empty (the cell-by-cell paths)."""
    return column.astype(object).where(column.notna(), None)


def _lines(findings: Findings) -> list[dict]:
    return findings.lines


def test_python_spaces_are_what_str_strip_removes() -> None:
    assert arrow_strings.PYTHON_SPACES == "".join(
        c for c in map(chr, range(0x110000)) if c.isspace()
    )


@FAST
@given(st.lists(st.text(alphabet=st.sampled_from([*SPACES, "a", "é", "\u200b"]), max_size=4)))
def test_missing_is_is_missing_cell_by_cell(cells) -> None:
    column = _as_text(cells)
    assert columns.missing(column).tolist() == [values.is_missing(v) for v in _as_objects(column)]


@FAST
@given(
    st.lists(
        st.one_of(
            st.sampled_from(NUMBERS),
            st.from_regex(r"\A[+-]?[0-9]{0,22}([.,][0-9]{0,22})?\Z"),
            st.floats(allow_nan=False, allow_infinity=False).map(repr),
        ),
        max_size=20,
    )
)
def test_plain_numbers_are_read_as_parse_number_reads_them(cells) -> None:
    column = _as_text(cells)
    numbers, read = columns.plain_numbers(column)
    for value, number, fast in zip(_as_objects(column), numbers, read, strict=True):
        parsed, problem = values.parse_number(value)
        if fast:
            assert problem is None
            assert number == parsed and np.signbit(number) == np.signbit(parsed)


@FAST
@given(st.lists(st.sampled_from(["a", "b", "é", "", "a ", "A"]), max_size=8))
def test_all_different_is_is_unique(cells) -> None:
    column = _as_text(cells)
    assert columns.all_different(column) == _as_objects(column).is_unique


@FAST
@given(st.lists(st.sampled_from(CODES), max_size=12), st.booleans())
def test_vocabulary_reads_each_distinct_word_as_before(cells, kobo) -> None:
    frame = pd.DataFrame(
        {name: _as_text(cells) for name in ("motivation", "incident_type", "victim_groups")}
    )
    fast, slow = frame.copy(), frame.apply(_as_objects)
    apply_vocabulary(fast, SPEC, kobo=kobo)
    apply_vocabulary(slow, SPEC, kobo=kobo)
    pd.testing.assert_frame_equal(fast.apply(_as_objects), slow.apply(_as_objects))


def _context(**changes) -> CheckContext:
    options = {"office": "Kalondo", "mission_area": AREA, "today": TODAY} | changes
    return CheckContext(**options)


@pytest.mark.parametrize("date_order", [None, "day_first", "month_first"])
@pytest.mark.parametrize(
    ("name", "cells"),
    [
        ("date", DATES),
        # Not "1" * 25: a count past Int64 raises OverflowError either way (issue to file).
        ("fatalities", [*(n for n in NUMBERS if len(n) < 20), "2.0", "2.5", "-1", "3"]),
        ("incident_type", CODES),
        ("victim_groups", CODES),
        ("narrative", ["a", " ", "", "\t", " b ", "\u3000"]),
        ("incident_id", ["A-1", "A-1", "", "A-2", " "]),
    ],
)
def test_reading_a_column_once_per_value_gives_every_row_its_answer(
    name, cells, date_order
) -> None:
    spec_field = SPEC.field(name)
    column = _as_text(cells * 3)
    context = _context(date_order=date_order)
    fast_findings, slow_findings = Findings(), Findings()
    fast = _read_column(column, spec_field, context, fast_findings)
    slow = _read_column(_as_objects(column), spec_field, context, slow_findings)
    assert _lines(fast_findings) == _lines(slow_findings)
    assert fast_findings.rejected == slow_findings.rejected
    if spec_field.kind in ("text", "code", "codes"):
        pd.testing.assert_series_equal(_as_objects(fast), slow)
    else:
        pd.testing.assert_series_equal(fast, slow)


LATITUDES = ["-3.0", "-3,5", "-2.99", "0", "2.0", "-95", "", " ", "abc", "-3.000001", "\u0663"]
LONGITUDES = ["2.0", "2,5", "1.01", "0", "-3.0", "200", "", "x", "2.5 ", "3.0001", "1"]


@FAST
@given(
    st.lists(st.tuples(st.sampled_from(LATITUDES), st.sampled_from(LONGITUDES)), max_size=15),
    st.sampled_from(["incidents", "mission_presence", "local_agreements", "basemap"]),
    st.booleans(),
)
def test_points_are_placed_and_refused_as_row_by_row(pairs, layer, with_area) -> None:
    frame = pd.DataFrame(
        {"latitude": _as_text([a for a, _ in pairs]), "longitude": _as_text([b for _, b in pairs])}
    )
    spec = LAYER_SPECS[layer]
    context = _context(mission_area=AREA if with_area else None)
    fast_findings, slow_findings = Findings(), Findings()
    fast = geometry.points_from_coordinates(frame, spec, context, fast_findings)
    slow = reference.points_from_coordinates(frame.apply(_as_objects), spec, context, slow_findings)
    assert _lines(fast_findings) == _lines(slow_findings)
    placed = lambda shapes: [None if p is None else (p.x, p.y) for p in shapes]  # noqa: E731
    assert placed(fast) == placed(slow)
    assert fast.index.equals(slow.index) and fast.crs == slow.crs


@FAST
@given(st.lists(st.sampled_from(["A", "B", "C", "", " ", "a", "A "]), max_size=15), st.booleans())
def test_ids_repeated_or_stored_are_found_as_row_by_row(ids, with_store) -> None:
    typed = pd.DataFrame({"incident_id": _as_text(ids)})
    typed["incident_id"] = typed["incident_id"].where(~columns.missing(typed["incident_id"]))
    stored = {"B": 4, "a": 9}
    asked: dict[str, list[list[str]]] = {"fast": [], "slow": []}

    def context(way: str) -> CheckContext:
        def existing(wanted):
            asked[way].append(list(wanted))
            return {i: stored[i] for i in wanted if i in stored}

        return _context(existing_ids=existing if with_store else None)

    fast_findings, slow_findings = Findings(), Findings()
    checks._check_ids(typed, SPEC, context("fast"), fast_findings)
    reference.check_ids(typed.apply(_as_objects), SPEC, context("slow"), slow_findings)
    assert _lines(fast_findings) == _lines(slow_findings)
    assert asked["fast"] == asked["slow"]  # the same ids asked about, in the same order


POINT = st.tuples(
    st.sampled_from(["2025-03-01", "2025-03-02", None]),
    st.sampled_from(["killing", "threat", None]),
    st.floats(2.0, 2.02),
    st.floats(-3.0, -2.985),
)


def _stored(rows) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {
            "incident_id": [f"S-{i}" for i in range(len(rows))],
            "date": [d for d, _, _, _ in rows],
            "incident_type": [t for _, t, _, _ in rows],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[Point(x, y) for *_, x, y in rows], crs="EPSG:4326")


@FAST
@given(st.lists(POINT, max_size=25), st.lists(POINT, max_size=5))
def test_near_duplicates_are_the_pairs_the_merge_found(mine, theirs) -> None:
    typed = pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series([d for d, *_ in mine], dtype=object)),
            "incident_type": _as_text([t for _, t, *_ in mine]),
        },
        index=range(2, 2 + len(mine)),
    )
    shapes = gpd.GeoSeries(
        [None if i % 7 == 3 else Point(x, y) for i, (*_, x, y) in enumerate(mine)],
        index=typed.index,
        crs="EPSG:4326",
    )
    context = _context(stored_incidents=_stored(theirs) if theirs else None)
    fast_findings, slow_findings = Findings(), Findings()
    duplicates.near_duplicates(typed, shapes, context, fast_findings)
    reference.near_duplicates(typed.apply(_as_objects), shapes, context, slow_findings)
    assert sorted(_lines(fast_findings), key=lambda line: line["row"]) == sorted(
        _lines(slow_findings), key=lambda line: line["row"]
    )


ACTOR = st.tuples(
    st.sampled_from(["state_forces", "community_militia", None]),
    st.sampled_from(["UPC", " upc", "3R", "", None]),
)


@FAST
@given(
    st.lists(st.tuples(POINT, ACTOR), max_size=25),
    st.lists(st.tuples(POINT, ACTOR), max_size=5),
    st.booleans(),
)
def test_near_duplicates_by_actor_are_the_pairs_the_merge_found(mine, theirs, named) -> None:
    # Issue 20: the same perpetrator too (by name when both name one, else by type); stored
    # incidents with or without the perpetrator's columns.
    typed = pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series([p[0] for p, _ in mine], dtype=object)),
            "incident_type": _as_text([p[1] for p, _ in mine]),
            "perpetrator_type": _as_text([a[0] for _, a in mine]),
            "perpetrator_name": _as_text([a[1] for _, a in mine]),
        },
        index=range(2, 2 + len(mine)),
    )
    shapes = gpd.GeoSeries(
        [None if i % 7 == 3 else Point(x, y) for i, ((*_, x, y), _) in enumerate(mine)],
        index=typed.index,
        crs="EPSG:4326",
    )
    stored = None
    if theirs:
        stored = _stored([p for p, _ in theirs])
        if named:
            stored["perpetrator_type"] = [a[0] for _, a in theirs]
            stored["perpetrator_name"] = [a[1] for _, a in theirs]
    context = _context(stored_incidents=stored)
    fast_findings, slow_findings = Findings(), Findings()
    duplicates.near_duplicates(typed, shapes, context, fast_findings)
    reference.near_duplicates(typed.apply(_as_objects), shapes, context, slow_findings)
    assert sorted(_lines(fast_findings), key=lambda line: line["row"]) == sorted(
        _lines(slow_findings), key=lambda line: line["row"]
    )


def _typed_frame(n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Rows as the checks hand them to the guard: read, typed, good."""
    text = lambda cells: pd.Series(cells, dtype="str")  # noqa: E731
    frame = pd.DataFrame(
        {
            "incident_id": text([f"A-{i}" for i in range(n)]),
            "date": pd.to_datetime(
                pd.Series([dt.date(2025, 1, 1 + i % 28) for i in range(n)], dtype=object)
            ),
            "incident_type": text(["killing"] * n),
            "motivation": text(["revenge"] * n),
            "perpetrator_type": text(["criminal"] * n),
            "fatalities": pd.Series(rng.integers(0, 3, n), dtype="Int64"),
            "victim_groups": text((["women;children", None] * n)[:n]),
            "location_precision": text(["exact"] * n),
            "source": text(["HRD"] * n),
        }
    )
    frame.index = range(2, 2 + n)
    points = [Point(2.0 + i / 1000, -3.0) for i in range(n)]
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def _set(column: str, value=None):
    """A spoiler: ``column`` of one row set to ``value`` (missing by default)."""

    def spoil(frame: gpd.GeoDataFrame, row: int) -> gpd.GeoDataFrame:
        if column not in frame:
            return frame
        frame = frame.copy()
        cells = frame[column]
        frame[column] = (
            cells.mask(frame.index == row)
            if value is None
            else cells.mask(frame.index == row, value)
        )
        return frame

    return spoil


SPOILERS = {
    "missing id": _set("incident_id"),
    "repeated id": _set("incident_id", "A-0"),
    "unknown code": _set("incident_type", "duel"),
    "unknown codes": _set("victim_groups", "women;aliens"),
    "negative count": _set("fatalities", -2),
    "missing count": _set("fatalities"),
    "old date": _set("date", pd.Timestamp("1500-01-01").as_unit("s")),
    "no geometry": _set("geometry"),
    "empty geometry": _set("geometry", Point()),
    "a polygon": _set("geometry", box(2, -3, 2.1, -2.9)),
    "out of range": _set("geometry", Point(200, 0)),
    "point without a latitude": _set("geometry", Point(2.0, float("nan"))),
    "point at infinity": _set("geometry", Point(float("inf"), 1.0)),
    "no source column": lambda frame, row: frame.drop(columns="source", errors="ignore"),
    "no crs": lambda frame, row: frame.set_crs(None, allow_override=True),
}


@FAST
@given(
    st.integers(2, 12),
    st.lists(st.tuples(st.sampled_from(sorted(SPOILERS)), st.integers(0, 11)), max_size=4),
)
def test_the_schema_guard_answers_as_the_whole_schema(n, spoilers) -> None:
    frame = _typed_frame(n, np.random.default_rng(n))
    for name, row in spoilers:
        frame = SPOILERS[name](frame, 2 + row % n)
    accepted, problems = schema_guard.validated(frame, SPEC)
    try:
        expected, expected_problems = validate_layer(frame, SPEC), []
    except LayerValidationError as err:
        expected, expected_problems = None, err.problems
    by_row = lambda ps: sorted(ps, key=lambda p: str(p.row))  # noqa: E731 - stable within a row
    assert [str(p) for p in by_row(problems)] == [str(p) for p in by_row(expected_problems)]
    if expected is None:
        assert accepted is None
    else:
        pd.testing.assert_frame_equal(accepted, expected)


TEXT = st.text(alphabet=st.sampled_from(['a', 'é', '"', "\\", "\n", "\t", "\x01", "€", " ",
                                         "\u2028", "\x7f", "😀"]), max_size=6)  # fmt: skip


@FAST
@given(st.lists(st.tuples(TEXT, st.one_of(st.none(), TEXT)), max_size=12), st.booleans())
def test_records_as_sent_are_the_json_of_each_row(cells, with_objects) -> None:
    frame = pd.DataFrame(
        {
            'name "quoted"': _as_text([a for a, _ in cells]),
            "é\\t": _as_text([b for _, b in cells]),
        }
    )
    if with_objects:
        frame["geometry"] = [Point(1, 2) if i % 2 else None for i in range(len(frame))]
        frame["count"] = pd.Series([1.5, None] * len(frame), dtype=object)[: len(frame)].values
    fast = records.source_records(frame)
    slow = records._row_by_row(frame, [str(c) for c in frame.columns])
    assert fast.tolist() == slow.tolist()
    assert [json.loads(v) for v in fast] == [json.loads(v) for v in slow]


@dataclass
class _Slow:
    """Everything the cell-by-cell way: records as objects, the former checks."""

    monkeypatch: pytest.MonkeyPatch

    def __enter__(self):
        self.monkeypatch.setattr(arrow_strings, "is_text", lambda column: False)
        self.monkeypatch.setattr(schema_guard, "_suspects", lambda *args: None)
        self.monkeypatch.setattr(checks, "near_duplicates", reference.near_duplicates)
        self.monkeypatch.setattr(checks, "_check_ids", reference.check_ids)
        self.monkeypatch.setattr(geometry, "points_from_coordinates",
                                 reference.points_from_coordinates)  # fmt: skip
        return self

    def __exit__(self, *exc):
        self.monkeypatch.undo()


def _messy_csv(n: int, seed: int) -> bytes:
    """Incidents as field offices send them: mostly good, with every kind of problem."""
    rng = np.random.default_rng(seed)

    def pick(good: list[str], bad: list[str]) -> list[str]:
        cells = [good[i] for i in rng.integers(0, len(good), n)]
        for i in np.flatnonzero(rng.random(n) < 0.08):
            cells[i] = bad[int(rng.integers(0, len(bad)))]
        return cells

    # Clustered points on few days: some land within 1 km of each other.
    lat = [f"{v:.4f}" for v in rng.choice([-3.0, -2.5, -3.5], n) + rng.normal(0, 0.004, n)]
    lon = [f"{v:.4f}" for v in rng.choice([2.0, 1.5, 2.5], n) + rng.normal(0, 0.004, n)]
    rows = {
        "incident_id": [f"F-{i}" for i in range(n)],
        "date": pick(["2025-03-01", "2025-03-02", "1er mars 2025", "2 March 2025"], DATES),
        "incident_type": pick(["killing", "meurtre", "enlèvement", "threat"], CODES),
        "motivation": pick(["vengeance", "predation", "", "political"], ["revenge?", "duel"]),
        "perpetrator_type": pick(["FDS", "milice", "criminal"], ["aliens", "", "bandits?"]),
        "fatalities": pick(["0", "1", "2"], ["-1", "2.5", "trois", ""]),
        "victim_groups": pick(["femmes;enfants", "", "women"], ["women; aliens", "x"]),
        "source": pick(["HRD", "JOC"], ["", " "]),
        "narrative": pick(['a "quoted" word', "€ é", ""], ["line\\back", "  ", "tab\there"]),
        "latitude": [v.replace(".", ",") if i % 9 == 0 else v for i, v in enumerate(lat)],
        "longitude": lon,
    }
    for i in range(3, n, 29):
        rows["incident_id"][i] = ["", " ", "F-1", "F-2"][i % 4]  # no id, or a repeat
    for i in range(0, n, 23):
        rows["latitude"][i] = rows["longitude"][i] = "0"  # a failed GPS fix
    for i in range(5, n, 17):
        rows["latitude"][i], rows["longitude"][i] = lon[i], lat[i]  # swapped
    for i in range(7, n, 19):
        rows["longitude"][i] = ["abc", "", " 2.5", "2\xa0", "9.0"][i % 5]
    frame = pd.DataFrame(rows)
    return frame.to_csv(index=False, sep=";").encode("cp1252", errors="replace")


@pytest.mark.parametrize("seed", [1, 2])
def test_a_messy_file_is_judged_as_cell_by_cell(monkeypatch, seed) -> None:
    upload = Upload("messy.csv", _messy_csv(400, seed))
    stored = _stored([("2025-03-01", "killing", 2.0, -3.0)])
    context = _context(
        date_order="day_first" if seed == 2 else None,
        existing_ids=lambda ids: {i: 3 for i in ids if i.endswith("7")},
        stored_incidents=stored,
        upload_sha256=upload.sha256,
    )
    table = read(upload)
    fast = check_rows(profiles.apply(table, "incidents", "native"), context)
    fast_stored = records.with_source_records(fast.accepted, table.records)
    with _Slow(monkeypatch):
        objects = table.records.apply(_as_objects)
        slow_table = type(table)(**{**table.__dict__, "records": objects})
        slow = check_rows(profiles.apply(slow_table, "incidents", "native"), context)
        slow_stored = records.with_source_records(slow.accepted, objects)
    assert fast.counts == slow.counts
    assert fast.notes == slow.notes
    pd.testing.assert_series_equal(fast.outcomes, slow.outcomes)
    pd.testing.assert_frame_equal(fast.report, slow.report)
    pd.testing.assert_frame_equal(fast.accepted, slow.accepted)
    pd.testing.assert_frame_equal(fast_stored, slow_stored)
    assert fast.counts["rejected"] and fast.counts["accepted_with_warning"]


@pytest.mark.parametrize("seed", [3, 4])
def test_two_cores_judge_as_one_does(seed) -> None:
    """Steps run on both cores, each with its findings; the report is the same, line for
    line, as when every step runs after the other and writes to one list."""
    upload = Upload("messy.csv", _messy_csv(600, seed))
    stored = _stored([("2025-03-01", "killing", 2.0, -3.0), ("2025-03-02", "killing", 2.0, -3.0)])
    context = _context(
        existing_ids=lambda ids: {i: 3 for i in ids if i.endswith("3")},
        stored_incidents=stored,
        upload_sha256=upload.sha256,
    )
    table = read(upload)
    mapped = profiles.apply(table, "incidents", "native")
    both = check_rows(mapped, context)
    one = reference.check_rows_on_one_core(mapped, context)
    assert both.notes == one.notes
    pd.testing.assert_series_equal(both.outcomes, one.outcomes)
    pd.testing.assert_frame_equal(both.report, one.report)
    pd.testing.assert_frame_equal(both.accepted, one.accepted)
    lines = both.report.groupby("row").size()
    assert (lines > 1).any()  # rows with several problems, whose order is at stake


def test_a_clean_frame_takes_the_schema_guards_fast_path() -> None:
    """The guard's answer is the schema's either way; only its speed tells whether the
    suspects were found. A clean frame has none (a wrong date bound once made every date a
    suspect, and a million-row import validated row by row: 9 s instead of 2)."""
    frame = _typed_frame(12, np.random.default_rng(3))
    suspects = schema_guard._suspects(frame, SPEC, False)
    assert suspects is not None and not suspects.any()
    lower, upper = schema_guard._NS_RANGE
    assert str(lower)[:4] == "1677" and str(upper)[:4] == "2262"
