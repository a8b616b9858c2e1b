"""Real files, as field offices and analysts send them, for end-to-end import tests.

Every builder returns ``(file name, bytes, expected)``: ``expected`` holds the rows read
and how many must be accepted (with or without a warning) and rejected. Coordinates are
in the synthetic Carana sample's mission area; each file carries known bad rows.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from openpyxl import Workbook
from shapely.geometry import LineString, Point, box

from layers.mission import SAMPLE_DIR

# Points inside Carana (lon, lat), from the sample's own incidents.
INSIDE = [
    (4.31478, -3.64880),
    (2.89303, -4.99580),
    (3.70179, -3.59234),
    (3.13088, -3.02505),
    (2.26989, -2.73912),
    (2.37432, -2.67467),
]


@dataclass(frozen=True)
class Expected:
    rows_read: int
    accepted: int  # accepted, with or without a warning
    rejected: int


@dataclass(frozen=True)
class Fixture:
    name: str
    data: bytes
    layer: str
    expected: Expected
    profile: str = "auto"
    detected: str | None = None  # the profile auto-detection must find


def _csv(rows: list[list[object]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def native_incidents_cp1252() -> Fixture:
    """Excel's 'CSV (séparateur : point-virgule)' from a French office: cp1252, ';', 4,35."""
    header = [
        "incident_id", "date", "incident_type", "motivation", "perpetrator_type",
        "perpetrator_name", "fatalities", "location_precision", "source", "narrative",
        "latitude", "longitude",
    ]  # fmt: skip
    rows = [header]
    for i, (lon, lat) in enumerate(INSIDE[:4], start=1):
        rows.append([
            f"NDB-{i}", "2025-02-1" + str(i), "killing", "vengeance", "community_militia",
            "Milice d'autodéfense de Nyaré", "1", "exact", "Bureau de Ndoubi",
            "Éléments armés près du marché; œuvre à vérifier", str(lat).replace(".", ","),
            str(lon).replace(".", ","),
        ])  # fmt: skip
    lon, lat = INSIDE[4]
    rows.append(
        [
            "NDB-9",
            "2025-02-20",
            "killing",
            "revenge",
            "criminal",
            "",
            "0",
            "exact",
            "Bureau de Ndoubi",
            "",
            str(lon),
            str(lat),
        ]
    )  # fmt: skip  (swapped)
    data = _csv(rows, delimiter=";", encoding="cp1252")
    return Fixture("incidents_ndoubi.csv", data, "incidents", Expected(5, 4, 1), "auto", "native")


def french_incidents_xlsx() -> Fixture:
    """A field office's own sheet: a title row, French headers, Excel dates and numbers."""
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.title = "Incidents janvier"
    sheet.append(["Incidents signalés — Bureau de Kalondo"])
    sheet.append([])
    sheet.append([
        "N° incident", "Date de l'incident", "Type d'incident", "Motivation",
        "Type d'auteur", "Auteur présumé", "Nombre de morts", "Latitude", "Longitude",
        "Source",
    ])  # fmt: skip
    for i, (lon, lat) in enumerate(INSIDE, start=1):
        sheet.append([
            f"KAL-{i}", dt.datetime(2025, 1, i), "Meurtre", "prédation", "FDS",
            "Patrouille mixte", i % 3, lat, lon, "Réseau d'alerte communautaire",
        ])  # fmt: skip
    sheet.append(["KAL-99", "pas de date", "Meurtre", "prédation", "FDS", "", 0, -3.1, 2.9, "x"])
    out = io.BytesIO()
    book.save(out)
    return Fixture("incidents_kalondo.xlsx", out.getvalue(), "incidents", Expected(7, 6, 1))


def agreements_geojson() -> Fixture:
    """Local agreements as a point, a weapon-free zone and a transhumance corridor."""
    shapes = [
        Point(INSIDE[3]),
        box(3.0, -3.1, 3.2, -2.95),
        LineString([INSIDE[4], INSIDE[5], INSIDE[3]]),
        Point(9.5, 9.5),  # outside the mission area
    ]
    types = ["farmer_herder", "weapon_free_zone", "transhumance_corridor", "market_access"]
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(gpd.GeoSeries([shape]).to_json())["features"][0]["geometry"],
            "properties": {
                "agreement_id": f"LA-T{i}",
                "name": f"Accord local {i} <b>test</b>",
                "agreement_type": kind,
                "status": "signed",
                "date_signed": "2024-06-01",
                "mission_role": "facilitator",
                "field_office": "Field Office North-East",
                "poc_language": True,
                "sgbv_provisions": "non",
                "freedom_of_movement": "oui",
            },
        }
        for i, (shape, kind) in enumerate(zip(shapes, types, strict=True), start=1)
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return Fixture("accords.geojson", data, "local_agreements", Expected(4, 3, 1), "native")


def admin_shapefile_zip(tmp: Path) -> Fixture:
    """The sample's admin boundaries as a GIS unit sends them: a zipped UTM shapefile."""
    admin = gpd.read_file(SAMPLE_DIR / "admin_boundaries.geojson").to_crs("EPSG:32731")
    folder = tmp / "shp"
    folder.mkdir()
    admin.to_file(folder / "carana_adm.shp", engine="pyogrio")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for path in sorted(folder.iterdir()):
            z.write(path, f"export/{path.name}")
    n = len(admin)
    return Fixture("carana_adm.zip", out.getvalue(), "admin_boundaries", Expected(n, n, 0))


def presence_geopackage(tmp: Path) -> Fixture:
    presence = gpd.read_file(SAMPLE_DIR / "mission_presence.geojson")
    offices = presence[presence["kind"] != "area_of_responsibility"].copy()
    offices["presence_id"] = offices["presence_id"] + "-GPKG"
    path = tmp / "presence.gpkg"
    offices.to_file(path, layer="presence", engine="pyogrio")
    n = len(offices)
    return Fixture("presence.gpkg", path.read_bytes(), "mission_presence", Expected(n, n, 0))


_KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Processus locaux</name>
<NetworkLink><Link><href>http://example.org/more.kml</href></Link></NetworkLink>
<Folder><name>Nord</name>{placemarks}</Folder></Document></kml>"""
_PLACEMARK = """<Placemark><name>{name}</name><ExtendedData>
<Data name="process_id"><value>{pid}</value></Data>
<Data name="process_type"><value>intercommunal_dialogue</value></Data>
<Data name="status"><value>en cours</value></Data>
<Data name="field_office"><value>Field Office North-East</value></Data>
<Data name="start_date"><value>2024-05-02</value></Data>
<Data name="linked_to_national"><value>oui</value></Data>
</ExtendedData><Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>"""


def processes_kml() -> Fixture:
    marks = "".join(
        _PLACEMARK.format(name=f"Dialogue {i} &amp; paix", pid=f"LP-K{i}", lon=lon, lat=lat)
        for i, (lon, lat) in enumerate(INSIDE[:3], start=1)
    )
    data = _KML.format(placemarks=marks).encode()
    return Fixture("processus.kml", data, "local_processes", Expected(3, 3, 0), "native")
