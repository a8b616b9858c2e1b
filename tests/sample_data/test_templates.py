"""The field offices' templates: up to date with the schema, and importable as they are."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.sample import load_sample_into
from sample_data import templates
from schema.catalogue import LAYER_SPECS
from schema.upload import Upload
from store import open_store


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
