"""KML and KMZ written by hand, as Google Earth and My Maps export them."""

from __future__ import annotations

import io
import zipfile

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

from ingest.readers import read, sheets_or_layers
from schema.upload import IngestError, Limits, Upload

KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document>
  <name>Kalondo</name>
  <Style id="s"><IconStyle><Icon><href>http://example.org/icon.png</href></Icon></IconStyle></Style>
  <NetworkLink><name>live</name><Link><href>http://example.org/live.kml</href></Link></NetworkLink>
  <Placemark>
    <name>Base</name>
    <styleUrl>#s</styleUrl>
    <Point><coordinates>18.55,4.35,0</coordinates></Point>
  </Placemark>
  <Folder>
    <name>Incidents</name>
    <NetworkLink><Link><href>other.kml</href></Link></NetworkLink>
    <Folder>
      <name>Janvier</name>
      <Placemark>
        <name>Pillage à Bérégo</name>
        <description>Marché pillé</description>
        <ExtendedData>
          <Data name="victims"><value>3</value></Data>
          <SchemaData schemaUrl="#x"><SimpleData name="type">looting</SimpleData></SchemaData>
        </ExtendedData>
        <Polygon>
          <outerBoundaryIs><LinearRing><coordinates>
            18,4 19,4 19,5 18,5 18,4
          </coordinates></LinearRing></outerBoundaryIs>
          <innerBoundaryIs><LinearRing><coordinates>
            18.2,4.2 18.4,4.2 18.4,4.4 18.2,4.2
          </coordinates></LinearRing></innerBoundaryIs>
        </Polygon>
      </Placemark>
    </Folder>
    <Placemark>
      <name>Zones</name>
      <MultiGeometry>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates>
        </LinearRing></outerBoundaryIs></Polygon>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>2,2 3,2 3,3 2,2</coordinates>
        </LinearRing></outerBoundaryIs></Polygon>
      </MultiGeometry>
    </Placemark>
    <Placemark>
      <name>Mixed</name>
      <MultiGeometry>
        <Point><coordinates>1,1</coordinates></Point>
        <LineString><coordinates>0,0 1,1</coordinates></LineString>
      </MultiGeometry>
    </Placemark>
    <Placemark><name>Patrol</name>
      <gx:Track><when>2024-01-01</when><gx:coord>18 4 0</gx:coord></gx:Track>
    </Placemark>
  </Folder>
</Document>
</kml>
""".encode()


def test_kml_placemarks_folders_and_geometries():
    table = read(Upload("kalondo.kml", KML))
    records = table.records
    assert table.format == "kml"
    assert records.index.tolist() == [1, 2, 3, 4, 5]
    assert records.loc[1, "geometry"].equals(Point(18.55, 4.35))  # altitude dropped
    assert not records.loc[1, "geometry"].has_z
    assert records.loc[1, "folder"] is None
    assert records.loc[2, "folder"] == "Incidents/Janvier"
    assert records.loc[2, "name"] == "Pillage à Bérégo"
    assert records.loc[2, "victims"] == "3"
    assert records.loc[2, "type"] == "looting"
    polygon = records.loc[2, "geometry"]
    assert isinstance(polygon, Polygon) and len(polygon.interiors) == 1
    assert isinstance(records.loc[3, "geometry"], MultiPolygon)
    assert records.loc[4, "geometry"].geom_type == "GeometryCollection"
    assert records.loc[5, "geometry"] is None
    assert "2 NetworkLink(s) not followed" in table.notes
    assert any("external reference" in n for n in table.notes)
    assert any("Track" in n and "ignored" in n for n in table.notes)


def test_kml_layers_and_folder_choice():
    assert sheets_or_layers(Upload("k.kml", KML)) == ["Kalondo", "Incidents/Janvier", "Incidents"]
    table = read(Upload("k.kml", KML), layer="Incidents")
    assert table.records.index.tolist() == [2, 3, 4, 5]  # numbers stay document order
    assert read(Upload("k.kml", KML), layer="Incidents/Janvier").records.index.tolist() == [2]
    # The document is the whole file.
    assert read(Upload("k.kml", KML), layer="Kalondo").records.index.tolist() == [1, 2, 3, 4, 5]


def _kmz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_kmz_doc_kml():
    data = _kmz({"files/icon.png": b"\x89PNG", "doc.kml": KML})
    assert len(read(Upload("k.kmz", data)).records) == 5


def test_kmz_first_root_kml_and_missing():
    assert len(read(Upload("k.kmz", _kmz({"export.kml": KML}))).records) == 5
    with pytest.raises(IngestError, match=r"no doc\.kml"):
        read(Upload("k.kmz", _kmz({"sub/x.kml": KML})))


def test_kml_vertex_limit_stops_early():
    with pytest.raises(IngestError, match="more than 10 vertices"):
        read(Upload("k.kml", KML), limits=Limits(max_vertices=10))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<kml><Document>", "not well-formed"),
        (b"name,lat\nx,1\n", "plain text"),
        (b'<kml><Placemark><Point><coordinates>a,b</coordinates></Point></Placemark></kml>',
         "unreadable geometry"),
    ],
)  # fmt: skip
def test_kml_refused(data, expected):
    with pytest.raises(IngestError, match=expected):
        read(Upload("bad.kml", data))


def test_kml_without_document_reserved_names_and_track_beside_point():
    data = b"""<kml xmlns:gx="http://www.google.com/kml/ext/2.2"><Placemark>
      <name>A</name>
      <ExtendedData><Data name="name"><value>other</value></Data></ExtendedData>
      <gx:Track><gx:coord>1 2 0</gx:coord></gx:Track>
      <Point><coordinates> 1.5,2.5 </coordinates></Point>
    </Placemark></kml>"""
    table = read(Upload("t.kml", data))
    assert table.records.loc[1, "name"] == "A"
    assert table.records.loc[1, "data_name"] == "other"
    assert table.records.loc[1, "geometry"].equals(Point(1.5, 2.5))
    assert sheets_or_layers(Upload("t.kml", data)) == ["(document)"]
