"""GeoJSON, zipped shapefiles and GeoPackages written with geopandas/pyogrio."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon

from ingest.readers import read, sheets_or_layers
from schema.upload import IngestError, Limits, Upload


def _frame(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"village": ["Kalondo", "Bérégo"], "victims": [3, 1]},
        geometry=[Point(18.55, 4.35), Point(18.6, 4.4)],
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


def _zip_dir(directory: Path, skip: tuple[str, ...] = (), prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.iterdir()):
            if path.suffix not in skip:
                archive.write(path, prefix + path.name)
    return buffer.getvalue()


# --- GeoJSON --------------------------------------------------------------------------


def test_geojson_written_by_geopandas(tmp_path):
    path = tmp_path / "points.geojson"
    _frame().to_file(path, driver="GeoJSON")
    table = read(Upload("points.geojson", path.read_bytes()))
    assert table.format == "geojson"
    assert table.records.index.tolist() == [1, 2]
    assert table.records.loc[2, "village"] == "Bérégo"
    assert table.records.loc[1, "geometry"].equals(Point(18.55, 4.35))
    assert table.records.crs.to_epsg() == 4326


def test_geojson_null_geometry_and_missing_properties():
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"a": "x"}, "geometry": None},
            {"type": "Feature", "properties": {"b": 2},
             "geometry": {"type": "Point", "coordinates": [1, 2]}},
        ],
    }  # fmt: skip
    table = read(Upload("f.json", json.dumps(document).encode()))
    assert table.records.loc[1, "geometry"] is None
    assert table.records.loc[1, "b"] is None
    assert table.records.loc[2, "b"] == 2


def test_geojson_legacy_crs_is_reprojected():
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32634"}},
        "features": [{"type": "Feature", "properties": {},
                      "geometry": {"type": "Point", "coordinates": [500000, 500000]}}],
    }  # fmt: skip
    table = read(Upload("utm.geojson", json.dumps(document).encode()))
    assert any("reprojected from EPSG:32634" in n for n in table.notes)
    assert table.records.loc[1, "geometry"].x == pytest.approx(21.0, abs=0.01)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"type": "Topology", "objects": {}}', "TopoJSON"),
        (b'{"type": "FeatureCollection", "features": [', "not valid JSON"),
        (b"<OGRVRTDataSource><OGRVRTLayer/></OGRVRTDataSource>", "virtual dataset"),
        (b'<?xml version="1.0"?><kml/>', "XML"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_geojson_refused(data, expected):
    with pytest.raises(IngestError, match=expected):
        read(Upload("f.geojson", data))


# --- zipped shapefile -----------------------------------------------------------------


def test_shapefile_utm_reprojected(tmp_path):
    _frame("EPSG:32634").to_file(tmp_path / "incidents.shp", encoding="UTF-8")
    table = read(Upload("incidents.zip", _zip_dir(tmp_path, prefix="export/")))
    assert table.format == "shapefile"
    assert table.layer == "incidents"
    assert any("reprojected from EPSG:32634" in n for n in table.notes)
    assert table.records.loc[2, "village"] == "Bérégo"
    assert table.records.loc[1, "geometry"].x == pytest.approx(18.55)
    assert table.records.index.tolist() == [1, 2]


def test_shapefile_latin1_without_cpg(tmp_path):
    _frame().to_file(tmp_path / "lat.shp", encoding="ISO-8859-1")
    table = read(Upload("lat.zip", _zip_dir(tmp_path, skip=(".cpg",))))
    assert table.records.loc[2, "village"] == "Bérégo"
    assert any("no .cpg" in n and "cp1252" in n for n in table.notes)


def test_shapefile_missing_prj_asks_for_crs(tmp_path):
    _frame().to_file(tmp_path / "a.shp")
    with pytest.raises(IngestError, match=r"has no \.prj file.*EPSG:4326"):
        read(Upload("a.zip", _zip_dir(tmp_path, skip=(".prj",))))


def test_shapefile_missing_dbf(tmp_path):
    _frame().to_file(tmp_path / "a.shp")
    with pytest.raises(IngestError, match=r"no \.dbf"):
        read(Upload("a.zip", _zip_dir(tmp_path, skip=(".dbf",))))


def test_several_shapefiles_need_a_choice(tmp_path):
    _frame().to_file(tmp_path / "points.shp")
    gpd.GeoDataFrame(
        {"name": ["RN1"]}, geometry=[LineString([(18, 4), (19, 5)])], crs="EPSG:4326"
    ).to_file(tmp_path / "roads.shp")
    data = _zip_dir(tmp_path)
    assert sorted(sheets_or_layers(Upload("b.zip", data))) == ["points", "roads"]
    with pytest.raises(IngestError, match="several shapefiles"):
        read(Upload("b.zip", data))
    table = read(Upload("b.zip", data), layer="roads")
    assert table.records.loc[1, "name"] == "RN1"


def test_zip_without_shapefile():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "x")
    with pytest.raises(IngestError, match=r"no shapefile"):
        read(Upload("n.zip", buffer.getvalue()))


# --- GeoPackage -----------------------------------------------------------------------


def _gpkg(tmp_path: Path) -> bytes:
    path = tmp_path / "m.gpkg"
    _frame("EPSG:3857").to_file(path, layer="incidents", driver="GPKG")
    gpd.GeoDataFrame(
        {"name": ["zone"]},
        geometry=[Polygon([(18, 4), (19, 4), (19, 5), (18, 4)])],
        crs="EPSG:4326",
    ).to_file(path, layer="zones", driver="GPKG")
    return path.read_bytes()


def test_geopackage_layers(tmp_path):
    data = _gpkg(tmp_path)
    assert sheets_or_layers(Upload("m.gpkg", data)) == ["incidents", "zones"]
    with pytest.raises(IngestError, match=r"several layers.*incidents, zones"):
        read(Upload("m.gpkg", data))
    table = read(Upload("m.gpkg", data), layer="incidents")
    assert table.format == "geopackage"
    assert any("reprojected from EPSG:3857" in n for n in table.notes)
    assert table.records.loc[1, "geometry"].x == pytest.approx(18.55)
    assert table.records.loc[2, "village"] == "Bérégo"
    with pytest.raises(IngestError, match="no layer 'x'"):
        read(Upload("m.gpkg", data), layer="x")


@pytest.mark.filterwarnings("ignore:.crs. was not provided:UserWarning")
def test_geopackage_without_crs(tmp_path):
    path = tmp_path / "n.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(1, 2)]).to_file(path, driver="GPKG")
    with pytest.raises(IngestError, match="coordinate system is unknown"):
        read(Upload("n.gpkg", path.read_bytes()))


def test_vertex_limit_gpkg_and_shapefile(tmp_path):
    ring = [(18 + i / 1000, 4 + (i % 2) / 1000) for i in range(500)] + [(18, 4)]
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[Polygon(ring)], crs="EPSG:4326")
    frame.to_file(tmp_path / "big.gpkg", driver="GPKG")
    limits = Limits(max_vertices=100)
    with pytest.raises(IngestError, match="vertices, over the limit of 100"):
        read(Upload("big.gpkg", (tmp_path / "big.gpkg").read_bytes()), limits=limits)
    shp = tmp_path / "shp"
    shp.mkdir()
    frame.to_file(shp / "big.shp")
    with pytest.raises(IngestError, match="vertices, over the limit of 100"):
        read(Upload("big.zip", _zip_dir(shp)), limits=limits)
    assert len(read(Upload("big.gpkg", (tmp_path / "big.gpkg").read_bytes())).records) == 1
