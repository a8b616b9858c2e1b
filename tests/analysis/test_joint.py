"""The whole joint analysis: on the sample, and on ACLED and UCDP imports with no motivation."""

from __future__ import annotations

import json

import pytest

from analysis.joint import Options, analyse, table_csv
from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.sample import load_sample_into
from schema.filters import IncidentFilter
from schema.mission import from_layers, load_sample
from schema.upload import Upload
from store import open_store
from tests.analysis.exports import acled_export, ucdp_export
from tests.analysis.planted import planted_sites


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def result(sample):
    return analyse(sample)


def test_every_table_has_a_caption_and_rows(result, sample):
    tables = result.tables()
    assert len(tables) == 12  # with hot_spots_by_cell_width
    for name, (table, caption) in tables.items():
        assert caption.strip(), name
        assert len(table), name
    assert result.incidents == len(sample.incidents)
    assert str(result.start) == "2023-01-01" and str(result.end) == "2025-12-31"
    assert result.notes == []


def test_the_json_is_plain_and_complete(result):
    text = json.dumps(result.to_json(), allow_nan=False)
    data = json.loads(text)
    assert set(data["tables"]) == set(result.tables())
    assert data["period"] == {"start": "2023-01-01", "end": "2025-12-31"}
    assert "ratchet up violence" in data["escalation_warning"]
    assert "narrative" not in text  # no column of it, no text of it


def test_a_filter_narrows_everything(sample):
    revenge = analyse(sample, IncidentFilter(motivations=frozenset({"revenge"})))
    clusters = revenge.hot_spots.cells["cluster"].max()
    assert clusters == 1
    watch = revenge.agreements.summary.set_index("agreement_id")
    assert watch.loc["LA-01", "verdict"] == "fell after signature"
    # The period stays the data's: a filter on motivation does not shorten it.
    assert str(revenge.start) == "2023-01-01"


def test_the_options_reach_the_analyses(sample):
    result = analyse(sample, options=Options(shape="square", width_km=20, step="Y", gap_km=200))
    assert result.hot_spots.counts.grid.shape == "square"
    assert result.hot_spots.counts.grid.width_m == 20_000
    assert len(result.emerging.slices) == 3
    assert not result.gaps.hot_spots["gap"].any()


def test_no_incidents(sample):
    empty = analyse(
        sample, IncidentFilter(motivations=frozenset({"political"}), admin2=frozenset({"nowhere"}))
    )
    assert empty.incidents == 0
    assert json.dumps(empty.to_json(), allow_nan=False)


def test_table_csv_is_formula_safe():
    import pandas as pd

    data = table_csv(pd.DataFrame({"name": ["=HYPERLINK(1)", "plain", "-2+3"], "n": [1, -2, 3]}))
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'-2+3" in text and ",-2\r\n" in text


@pytest.fixture(scope="module", params=["acled", "ucdp"])
def imported(request, tmp_path_factory, sample):
    """The sample's store with its incidents withdrawn and an ACLED or UCDP export imported."""
    store = open_store(tmp_path_factory.mktemp(request.param) / "pocmap.gpkg")
    batches = load_sample_into(store)
    incidents_batch = next(b for b in batches if b.layer == "incidents")
    store.withdraw(incidents_batch.batch_id, reason="replaced by the export", by="test")
    export = acled_export if request.param == "acled" else ucdp_export
    upload = Upload(f"{request.param}_carana.csv", export(sample.incidents))
    preview = preview_import(store, upload, ImportOptions(layer="incidents", office="JMAC"))
    assert preview.mapped.profile == request.param
    assert preview.result.counts["rejected"] == 0
    commit_import(store, preview)
    return request.param, from_layers(store.layer, "test")


def test_an_export_without_motivations_is_analysed_whole(imported, sample):
    source, data = imported
    assert len(data.incidents) == len(sample.incidents)
    assert (data.incidents["motivation"] == "unknown").all()
    result = analyse(data)
    assert any("ACLED or UCDP" in n for n in result.notes)
    # The hot spots do not need motivations: every planted place is found.
    from analysis.hotspots import cluster_outlines

    outlines = cluster_outlines(result.hot_spots).to_crs("EPSG:4326")
    for name, site in planted_sites().items():
        assert outlines.intersects(site).any(), (source, name)
    drivers = result.drivers_by_hot_spot
    assert (drivers["dominant_motivation"] == "unknown").all()
    assert (drivers["coding_certainty"] == "not yet assessed").all()
    assert result.escalation.table.set_index("milestone_id").loc["NM-06", "flag"]
    gaps = result.gaps.hot_spots
    assert gaps["gap"].any()
    friction = result.friction.table
    assert friction[friction["flag"]]["area"].eq("Zamoro").any()
    assert json.dumps(result.to_json(), allow_nan=False)
