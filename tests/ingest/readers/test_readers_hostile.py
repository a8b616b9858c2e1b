"""Hostile and broken uploads: each refused with an IngestError, none crashing or hanging."""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import zipfile

import geopandas as gpd
import openpyxl
import pytest
from shapely.geometry import Point

from ingest.readers import read, sheets_or_layers
from schema.upload import IngestError, Limits, Upload

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
)
VRT = b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/vsicurl/http://x</SrcDataSource>'


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def test_oversize_names_limit_and_setting():
    with pytest.raises(IngestError, match=r"big\.csv.*over the 100 bytes.*POCMAP_MAX_UPLOAD_MB"):
        read(Upload("big.csv", b"a\n" * 100), limits=Limits(max_bytes=100))


@pytest.fixture(scope="module")
def zeros_bomb() -> bytes:
    return _zip({"doc.kml": b"\0" * (50 * 1024 * 1024)})


@pytest.mark.parametrize("name", ["bomb.zip", "bomb.kmz", "bomb.xlsx"])
def test_zip_bomb_ratio(zeros_bomb, name):
    assert len(zeros_bomb) < 200_000
    with pytest.raises(IngestError, match="expands"):
        read(Upload(name, zeros_bomb))


def test_zip_bomb_total_size(zeros_bomb):
    limits = Limits(max_uncompressed_bytes=10 * 1024 * 1024, max_compression_ratio=1e9)
    with pytest.raises(IngestError, match="would expand to 50 MB"):
        read(Upload("bomb.zip", zeros_bomb), limits=limits)


def test_zip_member_count():
    data = _zip({f"f{i}.txt": b"x" for i in range(10)})
    with pytest.raises(IngestError, match="holds 10 files"):
        read(Upload("many.zip", data), limits=Limits(max_zip_members=5))


def test_lying_zip_header_is_caught():
    """A member that declares 1 000 bytes but inflates to far more is stopped at 1 000.

    zipfile itself stops at the declared size (then the CRC fails); the reader's own cap
    is the second line of defence.
    """
    payload = b"<kml>" + b" " * 200_000 + b"</kml>"
    data = bytearray(_zip({"doc.kml": payload}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(signature) + offset
        data[at : at + 4] = struct.pack("<I", 1000)
    with pytest.raises(IngestError, match=r"does not match its declared size|beyond its declared"):
        read(Upload("liar.kmz", bytes(data)))


@pytest.mark.parametrize(
    "member",
    ["../evil.shp", "/etc/evil.shp", "C:/evil.shp", "..\\evil.shp", "ok/../../evil.shp"],
)
def test_unsafe_member_paths(member):
    data = _zip({member: b"x", "a.dbf": b"x"})
    with pytest.raises(IngestError, match="unsafe path"):
        read(Upload("evil.zip", data))
    with pytest.raises(IngestError, match="unsafe path"):
        sheets_or_layers(Upload("evil.zip", data))


def test_billion_laughs_kml():
    data = (LAUGHS + "<kml><Document><name>&lol3;</name></Document></kml>").encode()
    with pytest.raises(IngestError, match="entities"):
        read(Upload("lol.kml", data))
    with pytest.raises(IngestError, match="entities"):
        read(Upload("lol.kmz", _zip({"doc.kml": data})))


def test_billion_laughs_kml_utf16_caught_by_defusedxml():
    """UTF-16 hides the DOCTYPE from a byte scan; defusedxml still refuses the entities."""
    text = LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    data = (text + "<kml><Document><name>&lol3;</name></Document></kml>").encode("utf-16-le")
    with pytest.raises(IngestError, match="entities"):
        read(Upload("lol.kml", data))


def test_billion_laughs_xlsx():
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.active.append(["x", "y"])
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = LAUGHS.encode() + data.replace(b">x<", b">&lol3;<")
            dst.writestr(info, data)
    with pytest.raises(IngestError, match="entities"):
        read(Upload("lol.xlsx", out.getvalue()))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("vrt.csv", VRT),
        ("vrt.geojson", VRT),
        ("vrt.json", b"\xef\xbb\xbf\n  " + VRT),
        ("vrt.kml", b"<?xml version='1.0'?>" + VRT),
        ("vrt.gpkg", VRT),
        ("x.vrt", VRT),
        ("vrt.zip", _zip({"layer.vrt": VRT, "layer.shp": b"x"})),
        ("vrt.kmz", _zip({"doc.kml": VRT})),
    ],
)
def test_vrt_refused_everywhere(name, data):
    with pytest.raises(IngestError, match=r"(?i)virtual dataset|XML") as info:
        read(Upload(name, data))
    assert name in str(info.value)


def test_vrt_disguised_as_shp_member():
    data = _zip({"a.shp": VRT, "a.shx": b"x", "a.dbf": b"x", "a.prj": b"x"})
    with pytest.raises(IngestError, match=r"\.shp is not a shapefile"):
        read(Upload("a.zip", data))


def test_gpkg_that_is_text_or_plain_sqlite(tmp_path):
    with pytest.raises(IngestError, match="plain text"):
        read(Upload("t.gpkg", b"just some text"))
    path = tmp_path / "plain.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (a)")
    with pytest.raises(IngestError, match="not a GeoPackage"):
        read(Upload("p.gpkg", path.read_bytes()))


@pytest.mark.parametrize("name", ["a.xlsx", "a.zip", "a.kmz", "a.gpkg", "a.geojson", "a.kml"])
def test_garbage_bytes_refused(name):
    with pytest.raises(IngestError):
        read(Upload(name, b"PK\x03\x04 this is not really a zip" + bytes(range(256))))


def test_geojson_vertex_and_record_limits():
    ring = [[i, i % 2] for i in range(1000)]
    feature = {"type": "Feature", "properties": {},
               "geometry": {"type": "LineString", "coordinates": ring}}  # fmt: skip
    document = json.dumps({"type": "FeatureCollection", "features": [feature] * 3}).encode()
    with pytest.raises(IngestError, match="more than 100 vertices"):
        read(Upload("v.geojson", document), limits=Limits(max_vertices=100))
    with pytest.raises(IngestError, match="3 features, over the limit of 2"):
        read(Upload("v.geojson", document), limits=Limits(max_records=2))


def test_csv_record_limit():
    with pytest.raises(IngestError, match="more than 2 records"):
        read(Upload("r.csv", b"a\n1\n2\n3\n4\n"), limits=Limits(max_records=2))
    assert len(read(Upload("r.csv", b"a\n1\n2\n"), limits=Limits(max_records=2)).records) == 2


def test_encrypted_like_member_and_nested_zip_not_expanded():
    inner = _zip({"x.shp": b"x"})
    with pytest.raises(IngestError, match="no shapefile"):
        read(Upload("nested.zip", _zip({"inner.zip": inner})))


def test_default_limits_come_from_environment(monkeypatch):
    monkeypatch.setenv("POCMAP_MAX_UPLOAD_MB", "0.0001")  # about 100 bytes
    with pytest.raises(IngestError, match="POCMAP_MAX_UPLOAD_MB"):
        read(Upload("env.csv", b"a,b\n" * 100))


def test_gpkg_with_foreign_virtual_table(tmp_path):
    path = tmp_path / "v.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(1, 2)], crs="EPSG:4326").to_file(path)
    with sqlite3.connect(path) as db:
        db.execute("CREATE VIRTUAL TABLE sneaky USING fts5(body)")
    with pytest.raises(IngestError, match="virtual table"):
        read(Upload("v.gpkg", path.read_bytes()))
