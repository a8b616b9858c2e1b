"""Messages a person reads, from messy real-format files: no None, nan, NaT, <NA> or Python
reprs anywhere; a mapping problem said once at the top; every problem of a row listed.

The ACLED- and UCDP-format files are written here (ACLED rows are never committed); the
real-format files under ``tests/real_data/car/`` are imported too when they are there.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ImportOptions, preview_import
from schema.upload import Upload
from store import open_store
from tests.ingest import uploads

TODAY = dt.date(2026, 11, 24)
REAL = Path(__file__).resolve().parents[1] / "real_data" / "car"

_FORBIDDEN = [
    re.compile(r"\b(None|nan|NaN|NaT)\b"),
    re.compile(r"<NA>"),
    # A quoted repr: 'x' opening after a space or bracket (an apostrophe in a word, as
    # in "source's", is not one).
    re.compile(r"(?:^|[\s(\[{:=,])'[^'\n]*'"),
    re.compile(r"[\[{][^\]}]*[\]}]"),  # a list or dict repr
]


def _bad(text: str) -> list[str]:
    return [m.group(0) for pattern in _FORBIDDEN for m in pattern.finditer(text)]


@pytest.fixture(scope="module")
def boundaries_store(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("messages") / "b.gpkg")


@pytest.fixture
def store(boundaries_store: Path, tmp_path: Path):
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_store, path)
    return open_store(path)


def _preview(store, name: str, data: bytes, profile: str = "auto"):
    options = ImportOptions(
        layer="incidents", office="Bureau", uploader="pytest", profile=profile, today=TODAY
    )
    return preview_import(store, Upload(name, data), options)


def _messy_acled() -> bytes:
    (x, y) = uploads.INSIDE[0]
    base = {"event_date": "2024-05-06", "year": 2024, "time_precision": 1,
            "disorder_type": "Political violence", "event_type": "Violence against civilians",
            "sub_event_type": "Attack", "actor1": "Militia", "inter1": "Identity militia",
            "civilian_targeting": "Civilian targeting", "country": "Carana", "latitude": y,
            "longitude": x, "geo_precision": 1, "source": "Radio", "fatalities": 1}  # fmt: skip
    rows = [
        base | {"event_id_cnty": "M1"},
        base | {"event_id_cnty": "M2", "event_date": "", "latitude": "", "fatalities": "-3"},
        base | {"event_id_cnty": "M3", "event_date": "2024-13-45", "longitude": "east"},
        base | {"event_id_cnty": "M3", "time_precision": 9, "geo_precision": 8},
        base | {"event_id_cnty": "", "event_type": "", "fatalities": "2.5"},
        base | {"event_id_cnty": "M5", "event_type": "Battles", "civilian_targeting": ""},
        base | {"event_id_cnty": "M6", "event_type": "Riots", "latitude": "0", "longitude": "0"},
        base | {"event_id_cnty": "M7", "inter1": "Martians", "event_date": "2031-01-01"},
        base | {"event_id_cnty": "M8", "latitude": 95.5, "longitude": 300},
    ]
    return uploads._acled(uploads.ACLED_CURRENT, rows)


def _messy_ucdp() -> bytes:
    (x, y) = uploads.INSIDE[1]
    base = {"type_of_violence": 3, "side_a": "FPRC", "date_start": "2023-04-02",
            "date_prec": 1, "where_prec": 1, "latitude": y, "longitude": x, "best": 2,
            "deaths_civilians": 2, "low": 1, "high": 3, "source_office": "AFP"}  # fmt: skip
    rows = [
        base | {"id": 1},
        base | {"id": 2, "where_prec": "", "date_prec": "x", "best": ""},
        base | {"id": 3, "type_of_violence": "", "date_start": "2023-02-30"},
        base | {"id": 3, "type_of_violence": 4, "deaths_civilians": "n/a"},
        base | {"id": "", "type_of_violence": 1, "deaths_civilians": 0, "latitude": "x"},
        base | {"id": 6, "low": "many", "high": -1, "side_a": ""},
    ]
    table = [list(uploads.UCDP_COLUMNS)]
    table += [[row.get(c, "") for c in uploads.UCDP_COLUMNS] for row in rows]
    return uploads._csv(table)


def _messy_native() -> bytes:
    (x, y) = uploads.INSIDE[2]
    header = ["incident_id", "date", "incident_type", "motivation", "perpetrator_type",
              "fatalities", "location_precision", "source", "latitude", "longitude"]  # fmt: skip
    rows = [
        header,
        ["N1", "2025-01-02", "killing", "revenge", "criminal", "1", "exact", "HRD", y, x],
        # Three problems in one row: every one is listed.
        ["N2", "2025-02-31", "killing", "revenge", "criminal", "1", "exact", "", "abc", x],
        ["N3", "", "", "", "", "", "", "", "", ""],
    ]
    return uploads._csv(rows)


def _unmapped() -> bytes:
    """A file of the office's own columns with no incident type column at all."""
    (x, y) = uploads.INSIDE[3]
    rows = [["incident_id", "date", "perpetrator_type", "source", "latitude", "longitude"]]
    rows += [[f"U{n}", "2025-01-02", "criminal", "HRD", y, x] for n in range(5)]
    return uploads._csv(rows)


def _files() -> list[tuple[str, bytes, str]]:
    files = [
        ("acled_messy.csv", _messy_acled(), "auto"),
        ("ged_messy.csv", _messy_ucdp(), "auto"),
        ("native_messy.csv", _messy_native(), "auto"),
        ("unmapped.csv", _unmapped(), "custom"),
    ]
    if REAL.is_dir():  # the real-format files, once another part has committed them
        for path in sorted(REAL.glob("*.csv")):
            files.append((path.name, path.read_bytes(), "auto"))
    return files


def test_no_message_shows_none_nan_or_a_python_repr(store) -> None:
    for name, data, profile in _files():
        preview = _preview(store, name, data, profile)
        counts = preview.result.counts
        assert preview.result.rows_read == sum(counts.values()), name
        report = preview.result.report
        assert len(report) or name.startswith("real"), name
        texts = [
            *preview.notes,
            *(f"{label}: {value}" for label, value in preview.header().lines()),
        ]
        for line in report.itertuples(index=False):
            # The value is the cell as the file wrote it; the rest are pocmap's words.
            texts += [str(line.row), str(line.column), str(line.problem), str(line.expected)]
            texts.append(str(line.outcome))
            # An empty value is missing (every writer shows it empty), never the word.
            assert line.value is None or line.value != line.value or isinstance(line.value, str)
        found = {text: _bad(text) for text in texts if _bad(text)}
        assert not found, (name, found)


def test_a_mapping_problem_is_said_once_at_the_top(store) -> None:
    preview = _preview(store, "unmapped.csv", _unmapped(), "custom")
    report = preview.result.report
    assert preview.result.counts["rejected"] == 5
    first = report.iloc[0]
    assert (first["row"], first["column"], first["outcome"]) == ("all", "incident_type", "rejected")
    assert "no column of the file is mapped" in first["problem"]
    assert (report["column"] == "incident_type").sum() == 1


def test_every_problem_of_a_row_is_listed(store) -> None:
    preview = _preview(store, "native_messy.csv", _messy_native())
    report = preview.result.report
    row3 = report[report["row"] == 3]
    assert set(row3["column"]) == {"date", "source", "latitude"}, row3.to_string()
    row4 = report[report["row"] == 4]
    assert {"date", "incident_type", "perpetrator_type", "latitude", "longitude"} <= set(
        row4["column"]
    ), row4.to_string()
    assert set(report["outcome"]) == {"rejected"}


def test_the_acled_rows_out_of_scope_are_one_line_and_the_rest_row_by_row(store) -> None:
    preview = _preview(store, "acled_messy.csv", _messy_acled())
    report = preview.result.report
    assert report["row"].iloc[0] == "all"
    assert report["problem"].iloc[0] == "out of scope for incidents: 2 rows: Battles 1, Riots 1"
    assert preview.result.counts["out_of_scope"] == 2
    # The (0, 0) riot is out of scope: never judged, so never asked to be fixed.
    assert 8 not in set(report["row"])
    row3 = report[report["row"] == 3]  # no date, no latitude, negative fatalities
    assert set(row3["column"]) == {"date", "latitude", "fatalities"}, row3.to_string()
