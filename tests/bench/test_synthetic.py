"""The benchmark's synthetic incidents are what a field office could send: they import clean."""

from __future__ import annotations

from bench.product_cases import boundaries_store
from bench.synthetic import ensure_set, incidents
from ingest.pipeline import ImportOptions, preview_import
from schema.mission import load_folder
from schema.upload import Upload


def test_a_small_set_is_seeded_and_loads_as_a_mission(tmp_path):
    assert incidents(500, seed=7).equals(incidents(500, seed=7))
    assert not incidents(500, seed=7).equals(incidents(500, seed=8))
    made = ensure_set(2_000, seed=7, cache_dir=tmp_path)
    data = load_folder(made.folder)
    assert len(data.incidents) == 2_000 and data.incidents["incident_id"].is_unique


def test_a_small_set_imports_with_every_row_accepted(tmp_path):
    made = ensure_set(2_000, seed=7, cache_dir=tmp_path)
    store = boundaries_store(tmp_path / "store.gpkg")
    upload = Upload(made.csv.name, made.csv.read_bytes())
    preview = preview_import(store, upload, ImportOptions(layer="incidents", office="Bench"))
    counts = preview.result.counts
    assert counts["rejected"] == 0, preview.result.report.head()
    assert counts["accepted"] + counts["accepted_with_warning"] == 2_000
