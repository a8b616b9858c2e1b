"""A French field office's files, as it writes them, each row with the outcome it must get.

The spreadsheet is the one issue 22 describes: French headers ("N° fiche", "Auteur",
"Nom de l'auteur", "Niveau de certitude", "Description des faits"), French values, a few
coordinates in degrees-minutes-seconds, and one unknown secondary value on several rows.
Coordinates are in the synthetic Carana sample's mission area (south of the equator).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook

ACCEPTED = "accepted"
WARNING = "accepted_with_warning"
REJECTED = "rejected"

HEADERS = [
    "N° fiche", "Date", "Type d'incident", "Auteur", "Nom de l'auteur", "Motivation",
    "Niveau de certitude", "Morts", "Blessés", "Victimes", "Localité", "Latitude",
    "Longitude", "Description des faits", "Source",
]  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One line of the office's sheet and the outcome it must get."""

    cells: list[object]
    outcome: str
    why: str
    column: str | None = None  # the column a refusal or warning names


def _row(ref: str, date: object, kind: str | None, author: str, name: str, motive: str,
         certainty: str, dead: object, hurt: object, victims: str, lat: object, lon: object,
         outcome: str, why: str, column: str | None = None) -> Row:  # fmt: skip
    facts = f"Faits rapportés par la fiche {ref}."
    cells = [ref, date, kind, author, name, motive, certainty, dead, hurt, victims,
             "Kalondo", lat, lon, facts, "Réseau d'alerte"]  # fmt: skip
    return Row(cells, outcome, why, column)


def day(n: int) -> dt.datetime:
    return dt.datetime(2025, 10, n)


def office_rows() -> list[Row]:
    """The 20 lines of the office's October sheet."""
    return [
        _row("KAL-01", day(1), "Meurtre", "FDS", "FACA", "Représailles", "Confirmé", 2, 0,
             "femmes, enfants", -3.6488, 4.31478, ACCEPTED, "all known"),
        _row("KAL-02", day(2), "Enlèvement", "groupe armé", "3R", "prédation", "probable", 0,
             1, "", -4.9958, 2.89303, ACCEPTED, "all known"),
        _row("KAL-03", day(3), "Meurtre", "milice", "Anti-Balaka", "vengeance", "possible", 1,
             0, "hommes", -3.59234, 3.70179, WARNING, "unknown victim group", "victim_groups"),
        _row("KAL-04", day(4), "Pillage", "groupe armé", "UPC", "prédation", "confirmé", 0, 0,
             "commerçants", -3.02505, 3.13088, WARNING, "unknown victim group", "victim_groups"),
        _row("KAL-05", day(5), "Meurtre", "milice", "Anti-Balaka", "règlement de comptes",
             "probable", 1, 0, "", -2.73912, 2.26989, WARNING, "free-text motivation",
             "motivation"),
        _row("KAL-06", day(6), "Incendie de maisons", "groupe armé", "UPC", "représailles",
             "probable", 0, 0, "", -2.67467, 2.37432, WARNING, "type read from its words",
             "incident_type"),
        _row("KAL-07", day(7), "Extorsion", "FDS", "Gendarmerie", "Extorsion", "confirmé", 0,
             0, "", -3.64, 4.30, REJECTED, "a word the office has not chosen for",
             "incident_type"),
        _row("KAL-08", day(8), "Meurtre", "groupe armé", "3R", "prédation", "probable", 1,
             "deux", "", -3.60, 3.70, WARNING, "count in words", "injured"),
        _row("KAL-09", day(9), "Meurtre", "FDS", "FACA", "représailles", "confirmé", 1, 0, "",
             "3°38'56\"S", "4°18'53\"E", ACCEPTED, "degrees-minutes-seconds"),
        _row("KAL-10", day(10), "Enlèvement", "milice", "Anti-Balaka", "vengeance", "probable",
             0, 0, "enfants", "3 35 32 S", "E 3°42.1'", ACCEPTED, "hemisphere letters"),
        _row("KAL-11", day(11), "Menaces", "groupe armé", "UPC", "Extorsion", "possible", 0, 0,
             "", "3,0250 S", "3,1309 E", ACCEPTED, "decimal commas and letters"),
        _row("KAL-12", None, "Meurtre", "FDS", "FACA", "représailles", "confirmé", 1, 0, "",
             -3.61, 4.29, REJECTED, "no date", "date"),
        _row("KAL-13", day(13), "Meurtre", "milice", "Anti-Balaka", "vengeance", "probable", 1,
             0, "", None, None, REJECTED, "no place", "latitude"),
        _row("KAL-14", day(14), None, "groupe armé", "UPC", "prédation", "probable", 0, 0, "",
             -3.03, 3.14, REJECTED, "no type", "incident_type"),
        _row("KAL-15", day(15), "Violences sexuelles", "groupe armé", "3R", "punitive",
             "confirmé", 0, 0, "femmes", -2.74, 2.27, ACCEPTED, "all known"),
        _row("KAL-16", day(16), "Meurtre", "FDS", "FACA", "Extorsion", "probable", 1, 0, "",
             -2.68, 2.38, ACCEPTED, "extortion as a motivation is extraction"),
        _row("KAL-17", day(17), "Meurtre", "éléments incontrôlés", "", "prédation", "probable",
             1, 0, "", -3.65, 4.31, WARNING, "unknown perpetrator type", "perpetrator_type"),
        _row("KAL-18", day(18), "Blessure", "milice", "Anti-Balaka", "vengeance", "élevé", 0,
             3, "", -4.99, 2.90, WARNING, "unknown certainty", "motivation_confidence"),
        _row("KAL-19", "19 octobre 2025", "Déplacement forcé", "groupe armé", "UPC",
             "punitive", "probable", 0, 0, "déplacés", -3.59, 3.71, ACCEPTED, "date in words"),
        _row("KAL-20", day(20), "Menaces", "inconnus", "", "inconnu", "", 0, 0, "", -3.02,
             3.12, ACCEPTED, "unidentified, not yet assessed"),
    ]  # fmt: skip


def office_xlsx(rows: list[Row] | None = None) -> bytes:
    """The sheet as Excel writes it: dates as dates, numbers as numbers, a title sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Fiches octobre"
    sheet.append(HEADERS)
    for row in rows or office_rows():
        sheet.append(row.cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_csv() -> tuple[bytes, list[Row]]:
    """A CSV from French Excel: Windows-1252, ``;`` between cells, decimal commas."""
    rows = [
        _row("BGR-01", "03/10/2025", "Meurtre", "FDS", "FACA", "représailles", "confirmé",
             "2", "0", "femmes", "-3,6488", "4,31478", ACCEPTED, "decimal commas"),
        _row("BGR-02", "04/10/2025", "Enlèvement", "groupe armé", "3R", "prédation",
             "probable", "0", "trois", "enfants", "-4,9958", "2,89303", WARNING,
             "count in words", "injured"),
        _row("BGR-03", "05/10/2025", "Pillage", "milice", "Anti-Balaka", "vengeance",
             "possible", "0", "0", "commerçants", "3°35'32\"S", "3°42'06\"E", WARNING,
             "unknown victim group", "victim_groups"),
        _row("BGR-04", "32/10/2025", "Meurtre", "FDS", "FACA", "représailles", "confirmé", "1",
             "0", "", "-3,0250", "3,1309", REJECTED, "not a date", "date"),
        _row("BGR-05", "07/10/2025", "Menaces", "groupe armé", "UPC", "règlement de comptes",
             "probable", "0", "0", "", "-2,7391", "2,2699", WARNING, "free-text motivation",
             "motivation"),
        _row("BGR-06", "08/10/2025", "Meurtre", "milice", "Anti-Balaka", "vengeance",
             "probable", "1", "0", "", "", "", REJECTED, "no place", "latitude"),
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([["" if c is None else c for c in row.cells] for row in rows])
    return out.getvalue().encode("cp1252"), rows


_KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Accords locaux</name>
<Folder><name>Secteur Est</name>{placemarks}</Folder></Document></kml>"""
_PLACEMARK = """<Placemark><name>{name}</name><description>{name}</description><ExtendedData>
<Data name="Type d'accord"><value>{kind}</value></Data>
<Data name="Statut"><value>{status}</value></Data>
<Data name="Rôle de la mission"><value>{role}</value></Data>
<Data name="Date de signature"><value>{signed}</value></Data>
<Data name="Parties"><value>Éleveurs peuls; agriculteurs de Kalondo</value></Data>
<Data name="Langage PDC"><value>oui</value></Data>
<Data name="Dispositions VBG"><value>non</value></Data>
<Data name="Liberté de circulation"><value>oui</value></Data>
</ExtendedData>{shape}</Placemark>"""


@dataclass(frozen=True)
class Placemark:
    name: str
    kind: str
    status: str
    role: str
    shape: str
    outcome: str
    column: str | None = None


def agreements() -> list[Placemark]:
    zone = "3.0,-3.1 3.2,-3.1 3.2,-2.95 3.0,-2.95 3.0,-3.1"
    corridor = "2.26989,-2.73912 2.37432,-2.67467 3.13088,-3.02505"
    return [
        Placemark(
            "Zone sans armes du marché de Kalondo",
            "zone sans armes",
            "signé",
            "facilitation",
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{zone}</coordinates>"
            "</LinearRing></outerBoundaryIs></Polygon>",
            ACCEPTED,
        ),
        Placemark(
            "Couloir de transhumance Kalondo-Ndoubi",
            "Couloir de transhumance",
            "Signée",
            "Facilitation",
            f"<LineString><coordinates>{corridor}</coordinates></LineString>",
            ACCEPTED,
        ),
        Placemark(
            "Pacte de Ndoubi",
            "pacte de non-agression",
            "signé",
            "facilitation",
            "<Point><coordinates>3.70179,-3.59234,0</coordinates></Point>",
            REJECTED,
            "agreement_type",
        ),
    ]


def agreements_kml() -> bytes:
    marks = "".join(
        _PLACEMARK.format(
            name=p.name,
            kind=p.kind,
            status=p.status,
            role=p.role,
            signed="12 mars 2025",
            shape=p.shape,
        )
        for p in agreements()
    )
    return _KML.format(placemarks=marks).encode("utf-8")
