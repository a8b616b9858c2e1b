"""The import in French: every refusal of a bad file, every report line, note and heading.

A French-speaking office imports hostile and broken files (the readers' own hostile cases)
and messy real-format files (the messages tests' ACLED, UCDP and native files, and the
real CAR exports under ``tests/real_data/car/``) with French chosen. Once the file's own
words are taken out (its name, cells, column names, codes), no English word may be left
(:func:`tests.languages.english.english_left`). With no language chosen, the messages are
the English ones, as before.
"""

from __future__ import annotations

import inspect
import io
import json
import re
import shutil
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ingest.columns
import ingest.geometry
import ingest.values
import schema.fields
from ingest import actors
from ingest.boundaries import DISSOLVED
from ingest.findings import OUT_OF_SCOPE_COLUMN, OUTCOMES, outcome_label
from ingest.pipeline import ImportOptions, preview_import
from ingest.readers import read
from ingest.readers.safety import OLE2_MAGIC
from ingest.report import header_labels, report_csv, report_xlsx
from languages import use
from languages.extract import found_in_code
from schema.catalogue import LAYER_SPECS
from schema.upload import MB, IngestError, Limits, Upload
from store import open_store
from tests.ingest import test_messages, uploads
from tests.ingest.readers.test_readers_hostile import LAUGHS, VRT, _zip
from tests.languages.english import english_left
from tests.real_data.test_car_mission import COD_AB

# --- hostile and broken files: the whole file refused, in French --------------------------


def _xlsx(columns: int) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Feuil1"
    book.active.append([f"c{n}" for n in range(columns)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _hostile() -> list[tuple[str, bytes, Limits | None]]:
    zeros = _zip({"doc.kml": b"\0" * (4 * 1024 * 1024)})
    line = {"type": "LineString", "coordinates": [[1, 2], [3, 4], [5, 6]]}
    feature = {"type": "Feature", "properties": {}, "geometry": line}
    collection = json.dumps({"type": "FeatureCollection", "features": [feature] * 3}).encode()
    return [
        ("vide.csv", b"", None),
        ("gros.csv", b"a\n" * 100, Limits(max_bytes=100)),
        ("macros.xlsm", b"PK\x03\x04", None),
        ("ancien.xls", b"x", None),
        ("rapport.docx", b"x", None),
        ("sans_extension", b"x", None),
        ("texte.gpkg", b"just some text", None),
        ("rapport.xlsx", b"%PDF-1.4 not a workbook", None),
        ("ancien_renomme.xlsx", OLE2_MAGIC + b"\0" * 64, None),
        ("zip_sans_classeur.xlsx", _zip({"a.txt": b"x"}), None),
        ("colonnes.xlsx", _xlsx(8), Limits(max_columns=5)),
        ("bombe.zip", zeros, None),
        ("bombe.kmz", zeros, None),
        ("grosse_archive.zip", zeros, Limits(max_uncompressed_bytes=MB, max_compression_ratio=1e9)),
        ("dangereux.zip", _zip({"../evil.shp": b"x", "a.dbf": b"x"}), None),
        ("nombreux.zip", _zip({f"f{i}.txt": b"x" for i in range(10)}), Limits(max_zip_members=5)),
        ("virtuel.zip", _zip({"layer.vrt": VRT, "layer.shp": b"x"}), None),
        ("sans_shp.zip", _zip({"a.txt": b"x"}), None),
        ("sans_prj.zip", _zip({"a.shp": b"x", "a.shx": b"x", "a.dbf": b"x"}), None),
        ("faux_shp.zip", _zip({"a.shp": VRT, "a.shx": b"x", "a.dbf": b"x", "a.prj": b"x"}), None),
        (
            "entites.kml",
            (LAUGHS + "<kml><Document><name>&lol3;</name></Document></kml>").encode(),
            None,
        ),
        ("virtuel.kml", b"<?xml version='1.0'?>" + VRT, None),
        ("virtuel.csv", VRT, None),
        ("sans_doc.kmz", _zip({"x/a.txt": b"x"}), None),
        ("topologie.geojson", json.dumps({"type": "Topology"}).encode(), None),
        ("esri.json", json.dumps({"spatialReference": {"wkid": 4326}}).encode(), None),
        ("sommets.geojson", collection, Limits(max_vertices=4)),
        ("entites.geojson", collection, Limits(max_records=2)),
        ("lignes.csv", b"a\n1\n2\n3\n4\n", Limits(max_records=2)),
        ("large.csv", b"a,b,c,d,e\n1,2,3,4,5\n", Limits(max_columns=3)),
        ("binaire.csv", b"a,b\n\x00\x01,2\n", None),
        ("en_tete_seul.csv", b"\n\n", None),
    ]


def _settings(text: str) -> list[str]:
    """The settings a message names (``POCMAP_MAX_UPLOAD_MB``): identifiers, not words."""
    return re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", text)


def _refusal(name: str, data: bytes, limits: Limits | None) -> tuple[str, str]:
    """The refusal's text, and the words of its cause (a library's own message, quoted)."""
    with pytest.raises(IngestError) as refused:
        read(Upload(name, data), limits=limits)
    cause = refused.value.__cause__ or refused.value.__context__
    return str(refused.value), "" if cause is None else str(cause)


@pytest.mark.parametrize(("name", "data", "limits"), _hostile(), ids=lambda v: str(v)[:24])
def test_every_refusal_of_a_bad_file_is_french(name, data, limits) -> None:
    english, _cause = _refusal(name, data, limits)
    with use("fr"):
        french, cause = _refusal(name, data, limits)
    assert name in french, french
    assert french != english
    members = re.findall(r"[\w./\\-]+\.(?:shp|shx|dbf|prj|vrt|kml|txt)\b", french)
    left = english_left(french, ignoring=[name, cause, *members, *_settings(french)])
    assert left == set(), (french, left)


def test_the_refusals_stay_english_by_default() -> None:
    english, _cause = _refusal("vide.csv", b"", None)
    assert english == "vide.csv is empty (0 bytes); send the file again."
    with use("en"):
        assert _refusal("vide.csv", b"", None)[0] == english
    with use("fr"):
        assert _refusal("vide.csv", b"", None)[0] == (
            "vide.csv est vide (0 octet) ; envoyez de nouveau le fichier."
        )


def test_a_reader_worker_process_speaks_the_callers_language() -> None:
    """An .xlsx is read in a worker process: its refusal comes back in French, and the
    next read, in English, in English (the worker does not keep the last language)."""
    data, limits = _xlsx(8), Limits(max_columns=5)
    with use("fr"):
        french = _refusal("colonnes.xlsx", data, limits)[0]
    english = _refusal("colonnes.xlsx", data, limits)[0]
    assert "la ligne 1 a 8 colonnes remplies, au-delà de la limite de 5" in french
    assert "row 1 has 8 columns filled, over the limit of 5" in english


# --- the import report: every line, note and heading ----------------------------------------


@cache
def _templates() -> list[re.Pattern[str]]:
    """Every message of the product (English), as a pattern its filled lines match."""
    found = []
    for message, where in found_in_code().items():
        for text in (message, where.plural) if where.plural else (message,):
            parts = re.split(r"\{[^{}]*\}", text.replace("{{", "{").replace("}}", "}"))
            if len(parts) > 1 and len(re.findall(r"[^\W\d_]", "".join(parts))) < 8:
                continue  # "{a} and {b}": too few words of its own, it would match any text
            found.append(re.compile("(?s)" + "(.+?)".join(re.escape(p) for p in parts)))
    return found


def _from_catalogue(text: str) -> bool:
    return any(pattern.fullmatch(text) for pattern in _templates())


def _speaks_through_the_catalogue(module: object) -> bool:
    return "from languages import" in inspect.getsource(module)  # type: ignore[arg-type]


# The other parts that write report lines (values read, columns mapped, shapes checked,
# what a field accepts): once each writes through the catalogue, every line must be found
# there; until then their lines are the English they always were (checked once merged).
_EVERY_PART_TRANSLATED = all(
    _speaks_through_the_catalogue(m)
    for m in (ingest.values, ingest.columns, ingest.geometry, schema.fields)
)


def _pending() -> set[str]:
    """English that other parts put into lines this part writes (what a date or a field
    accepts), while those parts do not write through the catalogue yet: said in English
    inside a French sentence until they are merged, then checked like the rest."""
    if _EVERY_PART_TRANSLATED:
        return set()
    found = {ingest.values.DATE_ALLOWED}
    for spec in LAYER_SPECS.values():
        found |= {spec_field.allowed() for spec_field in spec.fields}
    return found


def _data(records: pd.DataFrame, name: str, report: pd.DataFrame) -> set[str]:
    """What a report shows as the file wrote it: cells, column names, the file's name, the
    codes and column names of the layers (identifiers a person types in a file)."""
    # A dissolved batch is named after its file with an English mark the store finds it
    # by (``ingest.boundaries.DISSOLVED``): a name, as stored.
    data = {name, f"{name}{DISSOLVED}", *map(str, records.columns), *_pending()}
    for column in records.columns:
        data |= {str(v) for v in records[column].dropna().unique()}
    data |= {str(v) for v in report["value"].dropna()}
    data |= {str(v) for v in report["column"].dropna()}
    for spec in LAYER_SPECS.values():
        data |= {spec.name, *spec.columns}
        for spec_field in spec.fields:
            data |= set(spec_field.codes or ())
    return {d for d in data if d.strip()}


def _judged(store, name: str, data: bytes, profile: str, layer: str = "incidents"):
    options = ImportOptions(
        layer=layer, office="Bambari", uploader="pytest", profile=profile,
        today=test_messages.TODAY,
    )  # fmt: skip
    return preview_import(store, Upload(name, data), options)


@pytest.fixture(scope="module")
def boundaries_store(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("french") / "b.gpkg")


@pytest.fixture
def store(boundaries_store: Path, tmp_path: Path):
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_store, path)
    return open_store(path)


def _check_french(english, french, name: str) -> tuple[int, list[str]]:
    """Compare an import previewed in English and in French: the same lines, and no
    English left in the French ones; returns how many texts were checked and the English
    texts no message of the catalogue writes (other parts' lines not yet translated)."""
    report_en, report_fr = english.result.report, french.result.report
    assert len(report_en) == len(report_fr), name
    assert report_en["row"].tolist() == report_fr["row"].tolist(), name
    assert report_en["outcome"].tolist() == report_fr["outcome"].tolist(), name
    data = _data(french.table.records, name, report_fr)
    # Each row out of scope is counted by the source's own event type (as the profile
    # names it): the source's words.
    frame = french.mapped.frame
    if OUT_OF_SCOPE_COLUMN in frame:
        data |= {str(v) for v in frame[OUT_OF_SCOPE_COLUMN].dropna().unique()}
    # The actor dictionary's patterns, quoted in the note on the rules used: the mission's
    # own words ("Military Forces of the Central African Republic").
    data |= {rule.pattern for rule in actors.load().rules}
    checked, elsewhere = 0, []
    pairs = [
        (e, f)
        for column in ("problem", "expected")
        for e, f in zip(report_en[column], report_fr[column], strict=True)
    ]
    pairs += list(zip(english.notes, french.notes, strict=True))
    with use("en"):
        labels_en = [label for label, _value in english.header().lines()]
    with use("fr"):
        labels_fr = [label for label, _value in french.header().lines()]
    pairs += list(zip(labels_en, labels_fr, strict=True))
    for text_en, text_fr in pairs:
        if not text_en:
            continue
        if not _EVERY_PART_TRANSLATED and not _from_catalogue(text_en):
            elsewhere.append(text_en)
            continue
        checked += 1
        left = english_left(text_fr, ignoring=data)
        assert left == set(), (name, text_en, text_fr, left)
    return checked, elsewhere


def test_every_report_line_of_messy_files_is_french(store) -> None:
    checked = 0
    elsewhere: set[str] = set()
    for name, data, profile in test_messages._files():
        english = _judged(store, name, data, profile)
        with use("fr"):
            french = _judged(store, name, data, profile)
        assert english.result.counts == french.result.counts, name
        n, other = _check_french(english, french, name)
        checked += n
        elsewhere |= set(other)
    # The lines pocmap's catalogue writes are many, and all were checked.
    assert checked > 60, checked
    if _EVERY_PART_TRANSLATED:
        assert not elsewhere, sorted(elsewhere)


def test_the_real_car_exports_are_reported_in_french(tmp_path: Path) -> None:
    """The CAR boundaries (COD-AB, real) and the ACLED-format and UCDP GED exports, as the
    real-data tests import them: notes, accounting and every line in French."""
    store = open_store(tmp_path / "car.gpkg")
    with use("fr"):
        boundaries = _judged(store, COD_AB.name, COD_AB.read_bytes(), "auto", "admin_boundaries")
    english = _judged(store, COD_AB.name, COD_AB.read_bytes(), "auto", "admin_boundaries")
    _check_french(english, boundaries, COD_AB.name)
    from ingest.pipeline import commit_import

    commit_import(store, english)
    checked = 0
    for path in sorted(test_messages.REAL.glob("*.csv")):
        if path.name == "truth.csv":
            continue
        english = _judged(store, path.name, path.read_bytes(), "auto")
        with use("fr"):
            french = _judged(store, path.name, path.read_bytes(), "auto")
        checked += _check_french(english, french, path.name)[0]
        assert english.result.counts == french.result.counts
    assert checked > 10, checked


# --- headings, outcomes and the downloadable report -----------------------------------------


def _words(texts: Iterable[str]) -> list[str]:
    return [t for t in texts if t]


def test_headings_and_outcomes_are_labels_in_the_current_language() -> None:
    assert header_labels()["expected"] == "What would be accepted"
    assert [outcome_label(o) for o in OUTCOMES] == [
        "accepted", "accepted with warning", "rejected", "out of scope",
    ]  # fmt: skip
    with use("fr"):
        assert header_labels() == {
            "row": "Ligne", "column": "Colonne", "value": "Valeur", "problem": "Problème",
            "expected": "Ce qui serait accepté", "outcome": "Résultat",
        }  # fmt: skip
        assert [outcome_label(o) for o in OUTCOMES] == [
            "accepté", "accepté avec avertissement", "refusé", "hors champ",
        ]  # fmt: skip


def test_the_downloaded_report_is_french(store) -> None:
    name, data, profile = "native_messy.csv", test_messages._messy_native(), "auto"
    with use("fr"):
        preview = _judged(store, name, data, profile)
        header, report = preview.header(), preview.result.report
        csv_text = report_csv(header, report).decode("utf-8-sig")
        book = openpyxl.load_workbook(io.BytesIO(report_xlsx(header, report)))
        labels = [label for label, _value in header.lines()]
        batch = dict(header.lines())["Lot"]
    assert batch == "non importé"  # a preview, not a batch yet
    assert book.sheetnames == ["Résumé", "Problèmes"]
    summary = {r[0]: r[1] for r in book["Résumé"].iter_rows(values_only=True)}
    assert summary["Lignes lues"] == "3" and summary["Refusées"] == "2"
    rows = list(book["Problèmes"].iter_rows(values_only=True))
    assert rows[0] == ("Ligne", "Colonne", "Valeur", "Problème", "Ce qui serait accepté",
                       "Résultat")  # fmt: skip
    assert {r[5] for r in rows[1:]} <= {"accepté", "accepté avec avertissement", "refusé",
                                        "hors champ"}  # fmt: skip
    assert "Ligne,Colonne,Valeur,Problème,Ce qui serait accepté,Résultat" in csv_text
    assert "rejected" not in csv_text and "accepted" not in csv_text
    assert english_left(" ".join(_words(labels))) == set()


# --- why two reports were linked ------------------------------------------------------------


def _linked_events() -> pd.DataFrame:
    from tests.ingest.test_linking import frame, report

    return frame(
        report("A-1", "ACLED", "2021-03-01", 0, perpetrator_name="UPC", fatalities=5),
        report("U-1", "UCDP GED", "2021-03-02", 8, perpetrator_name="UPC", fatalities=6),
        report("A-2", "ACLED", "2021-04-01", 0, perpetrator_type="state_forces", fatalities=3),
        report("U-2", "UCDP GED", "2021-04-01", 1, perpetrator_name="CPC", fatalities=3),
        report("A-3", "ACLED", "2021-05-01", 0, perpetrator_name="LRA", fatalities=9),
        report("U-3", "UCDP GED", "2021-05-01", 400, perpetrator_name="LRA", fatalities=9,
               location_precision="country"),
        report("O-1", "office: Bambari", "2021-06-01", 0, perpetrator_name="3R", fatalities=2),
        report("O-2", "office: Bambari", "2021-06-01", 0.3, perpetrator_name="3R",
               fatalities=2),
        report("A-4", "ACLED", "2021-07-01", 0, fatalities=None, date_precision="month"),
        report("U-4", "UCDP GED", "2021-07-03", 2, fatalities=None, incident_type="injury"),
    )  # fmt: skip


def test_why_reports_were_linked_is_said_in_french() -> None:
    from ingest.linking import candidate_links
    from schema.incidents import INCIDENT_TYPE_LABELS, PERPETRATOR_LABELS

    events = _linked_events()
    english = candidate_links(events)
    with use("fr"):
        french = candidate_links(events)
    assert english[["a", "b", "certain"]].equals(french[["a", "b", "certain"]])
    assert len(french) >= 4
    assert "1 day and 8.0 km apart; both killings by UPC; 5 and 6 dead" in set(english["reason"])
    assert "à 1 jour et 8,0 km l'un de l'autre ; tous deux des meurtres par UPC ; 5 et 6 morts" in (
        {reason.replace("\xa0", " ") for reason in french["reason"]}
    )
    names = {"UPC", "CPC", "LRA", "3R", "Bambari", "ACLED", "UCDP GED"}
    if not _speaks_through_the_catalogue(schema.fields):  # the schema's labels, once merged
        names |= {label.lower() for label in (*INCIDENT_TYPE_LABELS.values(),
                                              *PERPETRATOR_LABELS.values())}  # fmt: skip
    for reason in french["reason"]:
        assert english_left(reason, ignoring=names) == set(), reason
