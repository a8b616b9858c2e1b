"""The field offices' templates: up to date with the schema, and importable as they are."""

from __future__ import annotations

import csv
import datetime as dt
import io

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.sample import load_sample_into
from languages import use
from sample_data import templates
from schema import incidents
from schema.catalogue import LAYER_LABELS, LAYER_SPECS
from schema.fields import code_words, field_for_header, word_key
from schema.upload import Upload
from store import open_store
from tests.languages.english import english_left


def test_the_committed_templates_are_what_the_generator_writes() -> None:
    for name, data in templates.templates().items():
        assert (templates.OUT_DIR / name).read_bytes() == data, (
            f"{name} is stale: run python -m sample_data.templates"
        )


@pytest.mark.parametrize("layer", templates.TEMPLATE_LAYERS)
def test_each_template_has_the_schema_columns(layer) -> None:
    header = (templates.OUT_DIR / f"{layer}.csv").read_bytes().decode("utf-8-sig").split(",")
    names = [f.name for f in LAYER_SPECS[layer].fields if not f.derived]
    assert [h.strip() for h in header][: len(names)] == names


def test_the_example_sheet_imports_cleanly(tmp_path) -> None:
    store = open_store(tmp_path / "pocmap.gpkg")
    load_sample_into(store)
    book = (templates.OUT_DIR / "incidents.xlsx").read_bytes()
    preview = preview_import(
        store,
        Upload("incidents.xlsx", book),
        ImportOptions(
            layer="incidents", office="Kalondo", sheet="Example", today=dt.date(2026, 11, 24)
        ),
    )
    assert preview.mapped.profile == "native"
    assert preview.result.counts["rejected"] == 0, preview.result.report.to_string()
    assert commit_import(store, preview).rows_read == 2
    # The blank sheet to fill is what a file dropped as it is reads: no rows, nothing to import.
    blank = preview_import(store, Upload("incidents.xlsx", book), ImportOptions("incidents", "K"))
    assert blank.result.rows_read == 0


# --- the templates in French ---------------------------------------------------------


def _identifiers(layer: str) -> set[str]:
    """Codes and column names, shown as they are in every language."""
    spec = LAYER_SPECS[layer]
    return {f.name for f in spec.fields} | {c for f in spec.fields for c in f.codes}


def test_every_language_pocmap_speaks_has_its_templates() -> None:
    names = set(templates.templates())
    for layer in templates.TEMPLATE_LAYERS:
        assert {f"fr/{layer}.csv", f"fr/{layer}.xlsx", f"{layer}.csv", f"{layer}.xlsx"} <= names


@pytest.mark.parametrize("layer", templates.TEMPLATE_LAYERS)
def test_the_french_headers_are_the_columns_labels_and_name_them(layer) -> None:
    text = (templates.OUT_DIR / "fr" / f"{layer}.csv").read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    spec = LAYER_SPECS[layer]
    with use("fr"):
        titles = [f.title for f in spec.fields if not f.derived]
    assert header[: len(titles)] == titles
    named = [field_for_header(spec, h) for h in header[: len(titles)]]
    assert [f.name if f else None for f in named] == templates.columns(layer)[: len(titles)]
    assert [h.lower() for h in header[len(titles) :]] == templates.columns(layer)[len(titles) :]
    assert english_left(" ".join(header)) == set()


@pytest.mark.parametrize("layer", templates.TEMPLATE_LAYERS)
def test_the_french_workbook_says_everything_in_french(layer) -> None:
    book = load_workbook(templates.OUT_DIR / "fr" / f"{layer}.xlsx")
    with use("fr"):
        title = LAYER_LABELS[layer][:31]
    assert book.sheetnames == [title, "Codes", "Exemple", "Listes"]
    assert book["Listes"].sheet_state == "hidden"
    texts = [
        str(value)
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    example = {v for row in templates._EXAMPLES.get(layer, []) for v in row.values()}
    left = english_left("\n".join(texts), ignoring=_identifiers(layer) | example)
    assert left == set(), left


@pytest.mark.parametrize("layer", templates.TEMPLATE_LAYERS)
def test_the_french_drop_downs_list_every_code_as_its_label(layer) -> None:
    book = load_workbook(templates.OUT_DIR / "fr" / f"{layer}.xlsx")
    spec = LAYER_SPECS[layer]
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    checks = sheet.data_validations.dataValidation
    coded = [f for f in spec.fields if f.kind == "code" and not f.derived]
    assert len(checks) == len(coded)
    for check in checks:
        column = str(check.sqref).split(":")[0].rstrip("0123456789")
        field = field_for_header(spec, header[column_index_from_string(column) - 1])
        assert field is not None and field.kind == "code"
        cells = book["Listes"][check.formula1.split("!")[1].replace("$", "")]
        labels = [row[0].value for row in cells]
        with use("fr"):
            assert labels == [field.code_label(code) for code in field.codes]
        words = code_words(field)
        assert [words[word_key(label)] for label in labels] == list(field.codes)


def test_the_french_example_reads_as_the_english_one() -> None:
    """Headers, codes and numbers of the French example, read back through the schema's
    words for them, are the English example's; the rows then fit the schema."""
    spec = LAYER_SPECS["incidents"]

    def rows(path) -> list[dict]:
        sheet = load_workbook(path)["Exemple" if "fr" in path.parts else "Example"]
        values = list(sheet.iter_rows(values_only=True))
        names = [
            (field.name if (field := field_for_header(spec, h)) else str(h).lower())
            for h in values[0]
        ]
        return [dict(zip(names, row, strict=True)) for row in values[1:]]

    french, english = (
        rows(templates.OUT_DIR / "fr" / "incidents.xlsx"),
        rows(templates.OUT_DIR / "incidents.xlsx"),
    )
    assert len(french) == len(english) == 2
    read = []
    for fr_row, en_row in zip(french, english, strict=True):
        read.append({})
        for name, value in fr_row.items():
            field = spec.field(name) if name in spec.columns else None
            if field is not None and field.kind == "code" and value is not None:
                value = code_words(field)[word_key(value)]
            elif field is not None and field.kind == "codes" and value is not None:
                words = code_words(field)
                value = ";".join(words[word_key(v)] for v in value.split(";"))
            if field is None or field.kind != "text":
                assert value == en_row[name], name
            read[-1][name] = value
    frame = pd.DataFrame(read)
    points = gpd.points_from_xy(frame.pop("longitude"), frame.pop("latitude"), crs="EPSG:4326")
    incidents.validate(gpd.GeoDataFrame(frame, geometry=points))


def test_the_french_example_sheet_imports_with_every_column(tmp_path) -> None:
    store = open_store(tmp_path / "pocmap.gpkg")
    load_sample_into(store)
    book = (templates.OUT_DIR / "fr" / "incidents.xlsx").read_bytes()
    with use("fr"):
        preview = preview_import(
            store,
            Upload("incidents.xlsx", book),
            ImportOptions(
                layer="incidents", office="Kalondo", sheet="Exemple", today=dt.date(2026, 11, 24)
            ),
        )
    assert preview.mapped.unmapped == []
    assert preview.result.counts["rejected"] == 0, preview.result.report.to_string()
    assert commit_import(store, preview).rows_read == 2
