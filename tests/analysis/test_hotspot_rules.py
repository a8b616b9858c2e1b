"""Hot spots a careful analyst would sign: no empty hot spot, no call on a sparse
selection, and permutation inference that agrees with esda's on the same seed."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import folium
import geopandas as gpd
import numpy as np
import pytest
from esda.getisord import G_Local
from libpysal.weights import WSP
from scipy import sparse

from analysis.hotspots import (
    MIN_INCIDENTS,
    NEAR_LABELS,
    NOT_CALLED_LABEL,
    cluster_outlines,
    clusters,
    hot_spots,
    permutation_p_values,
)
from analysis.joint import Options, analyse
from analysis.metric import WGS84
from cli import main
from layers import hotspot_cells
from schema.filters import IncidentFilter
from schema.mission import SAMPLE_DIR, load_sample
from tests.analysis.planted import planted_sites, town_points


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _days(sample, first: str, last: str):
    dates = sample.incidents["date"]
    keep = (dates >= first) & (dates <= last)
    return sample.incidents[keep]


def _esda_p_sim(values, neighbours, permutations: int, seed: int) -> np.ndarray:
    w = WSP(neighbours.tocsr()).to_W(silence_warnings=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda notes the self-weight and its 'directed' default
        local = G_Local(
            values, w, transform="B", star=True, permutations=permutations, seed=seed, n_jobs=1
        )
    return local.p_sim


def _assert_no_empty_hot_spot(spots) -> None:
    cells = spots.cells
    assert (cells.loc[cells["bin"] > 0, "incidents"] > 0).all()
    assert (cells.loc[cells["cluster"] > 0, "incidents"] > 0).all()
    outlines = cluster_outlines(spots)
    assert (outlines["incidents"] > 0).all()
    assert sorted(outlines["cluster"]) == list(range(1, spots.clusters + 1))


# Empty cells: near a hot spot, never one.


def test_a_sparse_selection_reports_no_cluster_without_incidents(sample):
    chosen = _days(sample, "2023-01-01", "2023-01-10")
    assert MIN_INCIDENTS <= len(chosen) <= 50
    spots = hot_spots(chosen, sample.admin_boundaries)
    cells = spots.cells
    _assert_no_empty_hot_spot(spots)
    # The Gi* bins still say what the statistic says; the empty ones are only "near".
    empty_significant = (cells["gi_bin"] > 0) & (cells["incidents"] == 0)
    assert empty_significant.sum() > 0, "the case the rule is for: empty cells with high Gi*"
    assert (cells["near"] == empty_significant).all()
    assert set(cells.loc[cells["near"], "label"]) <= set(NEAR_LABELS.values())
    assert (cells.loc[cells["near"], "bin"] == 0).all()
    # ... and the reader is told why they are not counted.
    assert any("near a hot spot" in note for note in spots.notes)
    assert f"{spots.near:,} cells near a hot spot" in spots.caption


def test_the_joint_analysis_counts_only_clusters_with_incidents(sample):
    dates = IncidentFilter(start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 10))
    result = analyse(sample, dates)
    _assert_no_empty_hot_spot(result.hot_spots)
    gaps = result.gaps.hot_spots
    assert len(gaps) == result.hot_spots.clusters
    assert (gaps["incidents"] > 0).all()
    assert any("near a hot spot" in note for note in result.notes)
    named = result.drivers_by_hot_spot
    assert len(named) <= result.hot_spots.clusters + 1  # + the incidents outside any cluster


def test_a_group_of_empty_significant_cells_is_no_hot_spot():
    chain = (sparse.eye(7, k=1) + sparse.eye(7, k=-1)).tocsr()
    bins = np.array([1, 2, 0, 2, 3, 1, 0])
    occupied = np.array([False, False, False, True, False, True, False])
    # Cells 0-1 are significant and empty: no cluster. Cells 3-5 are one group, numbered on
    # its busy cells only (the empty cell 4 links them).
    assert clusters(bins, chain, occupied=occupied).tolist() == [0, 0, 0, 1, 0, 1, 0]


@pytest.mark.parametrize(
    ("motivation", "site"),
    [("revenge", "revenge corridor"), ("extraction", "checkpoints"), ("collateral", "operation")],
)
def test_permutations_find_each_planted_place_and_nothing_else(sample, motivation, site):
    chosen = sample.incidents[sample.incidents["motivation"] == motivation]
    spots = hot_spots(chosen, sample.admin_boundaries, inference="permutation")
    _assert_no_empty_hot_spot(spots)
    outlines = cluster_outlines(spots).to_crs(WGS84)
    assert len(outlines) == 1, outlines[["cluster", "cells", "incidents"]]
    assert outlines.geometry.iloc[0].intersects(planted_sites()[site])
    assert "999 permutations, seed 12345" in spots.caption


def test_permutations_on_the_whole_sample_find_only_planted_places_and_towns(sample):
    spots = hot_spots(sample.incidents, sample.admin_boundaries, inference="permutation")
    _assert_no_empty_hot_spot(spots)
    sites, towns = planted_sites(), town_points(sample)
    outlines = cluster_outlines(spots).to_crs(WGS84)
    assert len(outlines)
    for _, cluster in outlines.iterrows():
        near = cluster.geometry.buffer(0.05)  # about 5 km, as test_hotspots.py
        planted = [n for n, s in sites.items() if near.intersects(s)]
        town = [t for t, p in towns.items() if near.contains(p)]
        assert planted or town, f"cluster {cluster['cluster']} is neither planted nor a town"


# Too sparse to call.


def test_fewer_than_30_incidents_call_no_spot_and_say_why(sample):
    chosen = _days(sample, "2023-01-01", "2023-01-05")
    assert 0 < len(chosen) < MIN_INCIDENTS
    spots = hot_spots(chosen, sample.admin_boundaries)
    cells = spots.cells
    assert (cells["bin"] == 0).all() and spots.clusters == 0 and spots.near == 0
    assert len(cluster_outlines(spots)) == 0
    assert cells["z"].notna().any(), "the z-scores are still there to read"
    assert (cells.loc[cells["gi_bin"] != 0, "label"] == NOT_CALLED_LABEL).all()
    why = f"{len(chosen):,} in this selection, and Gi* needs at least {MIN_INCIDENTS}"
    assert why in spots.refusal
    assert spots.notes[0] == spots.refusal and why in spots.caption


def test_pocmap_analyse_json_says_why_no_spot_is_called(capsys):
    arguments = ["analyse", "--json", "--data", str(SAMPLE_DIR)]
    assert main([*arguments, "--from", "2023-01-01", "--to", "2023-01-05"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["incidents"] < MIN_INCIDENTS
    assert any("Too few incidents to call hot spots" in n for n in result["notes"])
    assert result["tables"]["protection_gaps"]["rows"] == []
    cells = result["tables"]["hot_spot_cells"]
    assert "Too few incidents" in cells["caption"]
    assert all(row["bin"] == 0 for row in cells["rows"])


# Permutation inference: esda's pseudo p-values on the same weights and seed.


@pytest.mark.parametrize("seed", [7, 12345])
def test_permutation_p_values_equal_esdas_on_the_sample(sample, seed):
    chosen = _days(sample, "2023-01-01", "2023-02-28")
    spots = hot_spots(chosen, sample.admin_boundaries, width_m=20_000)
    values = spots.cells["value"].to_numpy()
    expected = _esda_p_sim(values, spots.counts.neighbours, 199, seed)
    p_sim, side = permutation_p_values(values, spots.counts.neighbours, permutations=199, seed=seed)
    # esda keeps its p-values as float32: ours, rounded the same way, are the same numbers.
    assert (p_sim.astype(np.float32) == expected.astype(np.float32)).all()
    assert ((side > 0) == (spots.cells["z"].to_numpy() > 0))[p_sim < 0.05].all()


def test_permutation_p_values_equal_esdas_with_islands_and_fatalities():
    rng = np.random.default_rng(3)
    n = 60
    upper = sparse.random(n, n, density=0.01, random_state=4, format="csr")
    links = ((upper + upper.T) > 0).astype(float).tolil()
    links.setdiag(0)
    links = links.tocsr()
    links.eliminate_zeros()
    assert (np.diff(links.indptr) == 0).any(), "the case esda treats apart: cells alone"
    values = rng.poisson(1.5, n).astype(float)
    expected = _esda_p_sim(values, links, 999, 99)
    p_sim, _ = permutation_p_values(values, links, permutations=999, seed=99)
    assert (p_sim.astype(np.float32) == expected.astype(np.float32)).all()


def test_the_option_reaches_the_joint_analysis_and_the_cli(sample, tmp_path, capsys):
    options = Options(inference="permutation", permutations=199, seed=5)
    result = analyse(sample, IncidentFilter(motivations=frozenset({"revenge"})), options)
    cells = result.hot_spots.cells
    assert result.hot_spots.inference == "permutation" and cells["p_sim"].notna().any()
    assert "199 permutations, seed 5" in result.hot_spots.caption
    out = tmp_path / "cells.geojson"
    arguments = ["hotspots", "--data", str(SAMPLE_DIR), "--motivation", "revenge"]
    flags = ["--inference", "permutation", "--permutations", "199", "--seed", "5"]
    assert main([*arguments, *flags, "--out", str(out)]) == 0
    assert "199 permutations, seed 5" in capsys.readouterr().out
    written = gpd.read_file(out)
    np.testing.assert_allclose(
        np.sort(written["p_sim"].to_numpy()), np.sort(cells["p_sim"].to_numpy()), rtol=1e-12
    )
    with pytest.raises(ValueError, match="permutations 10 is too few"):
        hot_spots(sample.incidents, inference="permutation", permutations=10)
    with pytest.raises(ValueError, match="inference 'bootstrap'"):
        hot_spots(sample.incidents, inference="bootstrap")


# The map.


def test_the_map_draws_near_cells_apart_and_the_legend_names_them(sample):
    chosen = _days(sample, "2023-01-01", "2023-01-10")
    cells = hot_spots(chosen, sample.admin_boundaries).cells
    page = folium.Map(location=[-3.5, 2.5], zoom_start=7)
    hotspot_cells.build(cells).add_to(page)
    html = page.get_root().render()
    assert "Near a hot spot" in html
    assert any(label == hotspot_cells.NEAR_LEGEND for _, label in hotspot_cells.legend_entries())
    style = hotspot_cells._style({"properties": {"bin": hotspot_cells.NEAR_BIN}})
    assert style["fillOpacity"] == 0 and style["dashArray"]
