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

from schema.mission import SAMPLE_DIR

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
    out_of_scope: int = 0  # rows the layer does not hold (counted, not imported)


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


def processes_kmz() -> Fixture:
    kml = processes_kml()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("doc.kml", kml.data.replace(b"LP-K", b"LP-Z"))
        z.writestr("files/icon.png", b"\x89PNG\r\n\x1a\n")
    return Fixture("processus.kmz", out.getvalue(), "local_processes", Expected(3, 3, 0))


def milestones_xlsx() -> Fixture:
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["milestone_id", "date", "kind", "title", "description"])
    sheet.append(["NM-T1", dt.datetime(2024, 7, 22), "negotiation_round", "Round <i>2</i>", ""])
    sheet.append(["NM-T2", dt.datetime(2025, 1, 10), "not_a_kind", "Bad kind", None])
    out = io.BytesIO()
    book.save(out)
    return Fixture("jalons.xlsx", out.getvalue(), "national_milestones", Expected(2, 1, 1))


# ACLED exports, with each generation's exact columns (values invented, in Carana).
ACLED_CURRENT = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
).split(",")
ACLED_2019 = (
    "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
    "notes,fatalities,timestamp,iso3"
).split(",")
ACLED_LEGACY = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES"
).split(",")


def _acled(columns: list[str], rows: list[dict[str, object]]) -> bytes:
    lower = [c.lower() for c in columns]
    table = [columns] + [[row.get(c, "") for c in lower] for row in rows]
    return _csv(table)


def acled_current() -> Fixture:
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = INSIDE[:4]
    base = {"year": 2024, "time_precision": 1, "country": "Carana", "region": "Middle Africa",
            "iso": 999, "source_scale": "Local partner", "timestamp": 1718000000,
            "geo_precision": 1, "source": "Radio Carana",
            "interaction": "State forces-Civilians"}  # fmt: skip
    rows = [
        base | {"event_id_cnty": "CRN1001", "event_date": "2024-05-06",
                "disorder_type": "Political violence", "event_type": "Violence against civilians",
                "sub_event_type": "Attack", "actor1": "Military Forces of Carana (2020-)",
                "inter1": "State forces", "inter2": "Civilians",
                "civilian_targeting": "Civilian targeting", "latitude": y1, "longitude": x1,
                "fatalities": 3, "notes": "Soldiers killed 3 civilians."},
        base | {"event_id_cnty": "CRN1002", "event_date": "06 May 2024",
                "disorder_type": "Political violence", "event_type": "Violence against civilians",
                "sub_event_type": "Abduction/forced disappearance", "actor1": "Militia (Nyare)",
                "inter1": "Identity militia", "civilian_targeting": "Civilian targeting",
                "latitude": y2, "longitude": x2, "fatalities": 0, "geo_precision": 2},
        base | {"event_id_cnty": "CRN1003", "event_date": "2024-05-07",
                "disorder_type": "Political violence", "event_type": "Battles",
                "sub_event_type": "Armed clash", "actor1": "UPC", "inter1": "Rebel group",
                "civilian_targeting": "Civilian targeting", "latitude": y3, "longitude": x3,
                "fatalities": 1},
        base | {"event_id_cnty": "CRN1004", "event_date": "2024-05-08",
                "disorder_type": "Demonstrations", "event_type": "Protests",
                "sub_event_type": "Peaceful protest", "actor1": "Protesters (Carana)",
                "inter1": "Protesters", "latitude": y4, "longitude": x4, "fatalities": 0},
    ]  # fmt: skip
    data = _acled(ACLED_CURRENT, rows)
    return Fixture("acled_2024.csv", data, "incidents", Expected(4, 3, 0, 1), "auto", "acled")


def acled_2019() -> Fixture:
    (x1, y1), (x2, y2), (x3, y3) = INSIDE[:3]
    rows = [
        {"data_id": 7001, "iso": 999, "event_id_cnty": "CRN2001", "event_id_no_cnty": 2001,
         "event_date": "14 March 2021", "year": 2021, "time_precision": 1,
         "event_type": "Violence against civilians", "sub_event_type": "Sexual violence",
         "actor1": "Unidentified Armed Group (Carana)", "inter1": 3, "inter2": 7,
         "latitude": y1, "longitude": x1, "geo_precision": 1, "source": "HRW", "fatalities": 0},
        {"data_id": 7002, "iso": 999, "event_id_cnty": "CRN2002", "event_id_no_cnty": 2002,
         "event_date": "28-Jul-21", "year": 2021, "event_type": "Violence against civilians",
         "sub_event_type": "Attack", "actor1": "Police Forces of Carana", "inter1": "1",
         "latitude": y2, "longitude": x2, "geo_precision": 3, "source": "Local", "fatalities": 1},
        {"data_id": 7003, "iso": 999, "event_id_cnty": "CRN2003", "event_id_no_cnty": 2003,
         "event_date": "2021-08-01", "event_type": "Strategic developments",
         "sub_event_type": "Agreement", "actor1": "Government of Carana", "inter1": 1,
         "latitude": y3, "longitude": x3, "geo_precision": 1, "fatalities": 0},
    ]  # fmt: skip
    data = _acled(ACLED_2019, rows)
    return Fixture("acled_2021.csv", data, "incidents", Expected(3, 2, 0, 1), "auto", "acled")


def acled_legacy() -> Fixture:
    (x1, y1), (x2, y2), (x3, y3) = INSIDE[3:6]
    rows = [
        {"gwno": 482, "event_id_cnty": "CRN3001", "event_id_no_cnty": 3001,
         "event_date": "04/03/2017", "year": 2017, "time_precision": 1,
         "event_type": "Violence against civilians", "actor1": "Seleka Militia",
         "inter1": 2, "latitude": y1, "longitude": x1, "geo_precision": 1,
         "source": "AFP", "fatalities": 5, "notes": "Village attacked."},
        {"gwno": 482, "event_id_cnty": "CRN3002", "event_id_no_cnty": 3002,
         "event_date": "28-Jul-17", "event_type": "Violence against civilians",
         "actor1": "Anti-Balaka", "inter1": 4, "latitude": y2, "longitude": x2,
         "geo_precision": 2, "source": "Reuters", "fatalities": 0},
        {"gwno": 482, "event_id_cnty": "CRN3003", "event_id_no_cnty": 3003,
         "event_date": "2017-08-02", "event_type": "Battle-No change of territory",
         "actor1": "FACA", "inter1": 1, "latitude": y3, "longitude": x3, "fatalities": 2},
    ]  # fmt: skip
    data = _acled(ACLED_LEGACY, rows)
    return Fixture("acled_2017.csv", data, "incidents", Expected(3, 2, 0, 1), "auto", "acled")


UCDP_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
    "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
).split(",")


def _ucdp_rows() -> list[dict[str, object]]:
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = INSIDE[:4]
    base = {"year": 2023, "country": "Carana", "region": "Africa", "event_clarity": 1,
            "date_prec": 1, "where_prec": 1, "source_office": "AFP"}  # fmt: skip
    return [
        base | {"id": 90001, "type_of_violence": 3, "side_a": "FPRC", "side_b": "Civilians",
                "date_start": "2023-04-02 00:00:00.000", "date_end": "2023-04-02 00:00:00.000",
                "deaths_civilians": 4, "best": 4, "low": 4, "high": 6, "latitude": y1,
                "longitude": x1, "adm_1": "Kalondo"},
        base | {"id": 90002, "type_of_violence": 1, "side_a": "Government of Carana",
                "side_b": "UPC", "date_start": "2023-05-10", "deaths_a": 3, "deaths_b": 5,
                "deaths_civilians": 2, "best": 10, "low": 10, "high": 12, "latitude": y2,
                "longitude": x2, "where_prec": 2},
        base | {"id": 90003, "type_of_violence": 2, "side_a": "Anti-balaka", "side_b": "UPC",
                "date_start": "2023-06-01", "deaths_civilians": 0, "best": 7, "latitude": y3,
                "longitude": x3},
        base | {"id": 90004, "type_of_violence": 3, "side_a": "3R", "side_b": "Civilians",
                "date_start": "2023-06-20", "deaths_civilians": 1, "best": 1, "latitude": y4,
                "longitude": x4, "where_prec": 6},
    ]  # fmt: skip


_UCDP_HXL = {"id": "#event+id", "date_start": "#date+start", "latitude": "#geo+lat",
             "longitude": "#geo+lon", "best": "#affected+killed+best", "side_a": "#actor+a",
             "country": "#country+name", "adm_1": "#adm1+name"}  # fmt: skip


def ucdp_csv_with_hxl() -> Fixture:
    rows = _ucdp_rows()
    table = [UCDP_COLUMNS, [_UCDP_HXL.get(c, "") for c in UCDP_COLUMNS]]
    table += [[row.get(c, "") for c in UCDP_COLUMNS] for row in rows]
    # Types 3, 1 (civilian deaths), 2 without civilian deaths (out of scope), and a
    # country-level place (accepted: counted, not drawn).
    return Fixture("ged_carana.csv", _csv(table), "incidents", Expected(4, 3, 0, 1), "auto", "ucdp")


def ucdp_geojson() -> Fixture:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {c: row.get(c) for c in UCDP_COLUMNS if c != "geom_wkt"},
        }
        for row in _ucdp_rows()
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return Fixture("ged_carana.geojson", data, "incidents", Expected(4, 3, 0, 1), "auto", "ucdp")


def kobo_csv() -> Fixture:
    """A KoboToolbox export: group/question headers, a GPS question, select_multiple."""
    header = [
        "start", "end", "today", "grp_incident/date_incident", "grp_incident/type_incident",
        "grp_incident/motivation", "grp_incident/auteur", "grp_incident/type_auteur",
        "grp_incident/morts", "grp_incident/victimes", "localisation",
        "_localisation_latitude", "_localisation_longitude", "_localisation_altitude",
        "_localisation_precision", "_id", "_uuid", "_submission_time", "_index",
    ]  # fmt: skip
    rows = [header]
    answers = [
        ("2025-04-01", "meurtre", "vengeance", "femmes enfants"),
        ("2025-04-02", "enlevement", "", "enfants"),
        ("2025-04-03", "pillage", "predation", "deplaces"),
        ("2025-04-04", "menace", "represailles", "femmes"),
    ]
    for i, ((lon, lat), (date, kind, motive, victims)) in enumerate(
        zip(INSIDE, answers, strict=False), start=1
    ):
        rows.append([
            "2025-04-05T08:00:00.000+01:00", "2025-04-05T08:10:00.000+01:00", "2025-04-05",
            date, kind, motive, "Hommes armés", "groupe_arme", str(i - 1), victims,
            f"{lat} {lon} 420 5", str(lat), str(lon), "420", "5", str(300 + i),
            f"5f0c-{i}", "2025-04-05T09:00:00", str(i),
        ])  # fmt: skip
    rows.append(rows[-1][:])  # the same submission twice: a duplicate _uuid
    rows[-1][16] = "5f0c-4"
    rows[-1][15] = "399"
    data = _csv(rows)
    return Fixture("kobo_incidents.csv", data, "incidents", Expected(5, 4, 1), "auto", "kobo")


def hxl_csv() -> Fixture:
    """An HXL-tagged sheet whose headers say little: the hashtags carry the meaning."""
    header = ["Ref", "Quand", "Quoi", "Pourquoi", "Qui", "Catégorie", "Décès", "Lat (dd)",
              "Lon (dd)", "Région", "Origine"]  # fmt: skip
    tags = ["#event+id", "#date+occurred", "#event+type", "#event+motivation",
            "#actor+perpetrator", "#actor+type", "#affected+killed", "#geo+lat", "#geo+lon",
            "#adm1+name", "#meta+source"]  # fmt: skip
    rows = [header, tags]
    for i, (lon, lat) in enumerate(INSIDE[:3], start=1):
        rows.append([f"H-{i}", f"2025-0{i}-15", "killing", "collateral", "Opération Harmattan",
                     "state_forces", "1", str(lat), str(lon), "Tassanga", "OCHA"])  # fmt: skip
    rows.append(["H-9", "2025-13-40", "killing", "collateral", "x", "state_forces", "1",
                 str(INSIDE[4][1]), str(INSIDE[4][0]), "Tassanga", "OCHA"])  # fmt: skip
    return Fixture("hxl_incidents.csv", _csv(rows), "incidents", Expected(4, 3, 1), "auto", "hxl")


def builders() -> dict[str, object]:
    """Every fixture builder by name; each takes a scratch folder."""
    plain = [
        native_incidents_cp1252, french_incidents_xlsx, agreements_geojson, processes_kml,
        processes_kmz, milestones_xlsx, acled_current, acled_2019, acled_legacy,
        ucdp_csv_with_hxl, ucdp_geojson, kobo_csv, hxl_csv,
    ]  # fmt: skip
    found: dict[str, object] = {f.__name__: (lambda tmp, f=f: f()) for f in plain}
    found["admin_shapefile_zip"] = admin_shapefile_zip
    found["presence_geopackage"] = presence_geopackage
    return found


def store_with_boundaries(path: Path) -> Path:
    """A store at ``path`` holding the sample's admin boundaries: the mission area."""
    from ingest.pipeline import ImportOptions, commit_import, preview_import
    from schema.upload import Upload
    from store import open_store

    store = open_store(path)
    source = SAMPLE_DIR / "admin_boundaries.geojson"
    options = ImportOptions(layer="admin_boundaries", office="HQ", profile="native")
    commit_import(store, preview_import(store, Upload(source.name, source.read_bytes()), options))
    return path
