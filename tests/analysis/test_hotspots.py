"""Hot spots: Gi* agrees with esda, finds the sample's planted places and nothing else."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pytest
from esda.getisord import G_Local
from libpysal.weights import WSP
from shapely.geometry import Point, box

from analysis.cells import count_in_cells, default_width_m
from analysis.hotspots import (
    cluster_of_incident,
    cluster_outlines,
    clusters,
    confidence_bins,
    gi_star,
    hot_spots,
)
from analysis.metric import WGS84
from schema.mission import load_sample
from tests.analysis.planted import PLANTED, planted_sites, town_points


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _esda_z(values, neighbours) -> np.ndarray:
    w = WSP(neighbours.tocsr()).to_W(silence_warnings=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda notes that it adds the cell itself (star)
        return G_Local(values, w, transform="B", star=True, permutations=0).Zs


@pytest.mark.parametrize("shape", ["hexagon", "square"])
@pytest.mark.parametrize("weight", ["incidents", "fatalities"])
def test_z_scores_match_esda_on_the_sample(sample, shape, weight):
    spots = hot_spots(sample.incidents, sample.admin_boundaries, shape=shape, weight=weight)
    values = spots.cells["value"].to_numpy()
    expected = _esda_z(values, spots.counts.neighbours)
    np.testing.assert_allclose(spots.cells["z"].to_numpy(), expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_z_scores_match_esda_on_random_counts_and_weights(seed):
    rng = np.random.default_rng(seed)
    points = gpd.GeoSeries(
        gpd.points_from_xy(rng.uniform(0, 1, 3000), rng.uniform(0, 1, 3000)), crs=WGS84
    )
    frame = gpd.GeoDataFrame(
        {"fatalities": rng.poisson(0.7, len(points)), "geometry": points}, crs=WGS84
    )
    spots = hot_spots(frame, width_m=7_000 + 1_000 * seed, weight="fatalities")
    expected = _esda_z(spots.cells["value"].to_numpy(), spots.counts.neighbours)
    np.testing.assert_allclose(spots.cells["z"].to_numpy(), expected, rtol=0, atol=1e-6)


def test_every_planted_place_is_a_hot_spot_and_every_other_is_a_town(sample):
    spots = hot_spots(sample.incidents, sample.admin_boundaries)
    outlines = cluster_outlines(spots).to_crs(WGS84)
    sites = planted_sites()
    for name, site in sites.items():
        hit = outlines[outlines.intersects(site)]
        assert len(hit), f"the planted {name} is in no hot-spot cluster"
        assert (hit["peak_z"] > 3).all(), name
    towns = town_points(sample)
    for _, cluster in outlines.iterrows():
        near = cluster.geometry.buffer(0.05)  # about 5 km
        planted = [n for n, s in sites.items() if near.intersects(s)]
        town = [t for t, p in towns.items() if near.contains(p)]
        # README: outside the planted patterns only towns are denser than the countryside.
        assert planted or town, f"cluster {cluster['cluster']} is neither planted nor a town"


@pytest.mark.parametrize(
    ("motivation", "site"),
    [("revenge", "revenge corridor"), ("extraction", "checkpoints"), ("collateral", "operation")],
)
def test_per_motivation_the_only_hot_spot_is_the_planted_one(sample, motivation, site):
    chosen = sample.incidents[sample.incidents["motivation"] == motivation]
    spots = hot_spots(chosen, sample.admin_boundaries)
    outlines = cluster_outlines(spots).to_crs(WGS84)
    assert len(outlines) == 1, outlines[["cluster", "cells", "incidents"]]
    assert outlines.geometry.iloc[0].intersects(planted_sites()[site])
    ids = set(PLANTED[_pattern_key(site)]["incident_ids"])
    in_cluster = cluster_of_incident(spots).reindex(chosen.index).notna()
    caught = chosen.loc[in_cluster, "incident_id"].isin(ids).sum()
    assert caught >= 0.8 * len(ids & set(chosen["incident_id"]))


def _pattern_key(site: str) -> str:
    return {
        "revenge corridor": "revenge_corridor",
        "checkpoints": "extraction_checkpoints",
        "operation": "collateral_operation",
        "protection gap": "protection_gap",
    }[site]


def test_the_protection_gap_is_found_when_weighting_by_fatalities_too(sample):
    spots = hot_spots(sample.incidents, sample.admin_boundaries, weight="fatalities")
    outlines = cluster_outlines(spots).to_crs(WGS84)
    assert outlines.intersects(planted_sites()["protection gap"]).any()


def test_the_study_area_does_not_change_with_the_selection(sample):
    everything = hot_spots(sample.incidents, sample.admin_boundaries)
    revenge = sample.incidents[sample.incidents["motivation"] == "revenge"]
    some = hot_spots(revenge, sample.admin_boundaries)
    assert everything.cells["cell_id"].tolist() == some.cells["cell_id"].tolist()
    assert some.cells["incidents"].sum() == len(revenge)


def test_every_incident_is_counted_once(sample):
    counts = count_in_cells(sample.incidents, sample.admin_boundaries, width_m=5_000)
    assert counts.cells["incidents"].sum() == len(sample.incidents)
    assert counts.cell_of_incident.notna().all()
    total = sample.incidents["fatalities"].sum()
    assert counts.cells["fatalities"].sum() == pytest.approx(total)


def test_the_default_width_is_round_and_fits_the_area():
    assert default_width_m((0, 0, 400_000, 300_000)) == 10_000
    assert default_width_m((0, 0, 4_000_000, 10)) == 100_000
    assert default_width_m((0, 0, 100, 100)) == 500  # never below 500 m
    assert default_width_m((0, 0, 0, 0)) == 5_000


def test_a_cell_with_more_than_its_neighbours_is_hot_and_fdr_is_stricter():
    rng = np.random.default_rng(0)
    xs, ys = rng.uniform(0, 1, 2000), rng.uniform(0, 1, 2000)
    xs = np.concatenate([xs, np.full(80, 0.5)])
    ys = np.concatenate([ys, np.full(80, 0.5)])
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), crs=WGS84)
    spots = hot_spots(frame, width_m=10_000)
    loaded = spots.counts.cell_of_incident.iloc[-1]
    row = spots.cells.set_index("cell_id").loc[loaded]
    assert row["bin"] == 3 and row["cluster"] == 1
    raw = confidence_bins(spots.cells["z"].to_numpy(), fdr=False)
    assert (raw != 0).sum() >= (spots.cells["bin"] != 0).sum()


def test_no_incidents_gives_an_area_and_no_hot_spot(sample):
    spots = hot_spots(sample.incidents.iloc[:0], sample.admin_boundaries)
    assert len(spots.cells) > 1000
    assert (spots.cells["bin"] == 0).all()
    assert spots.cells["z"].isna().all()
    assert len(cluster_outlines(spots)) == 0
    assert "0 hot" in spots.caption


def test_no_incidents_and_no_area_gives_no_cells(sample):
    spots = hot_spots(sample.incidents.iloc[:0])
    assert len(spots.cells) == 0 and len(cluster_outlines(spots)) == 0


def test_one_incident_and_all_at_one_point_give_no_hot_spot(sample):
    one = hot_spots(sample.incidents.iloc[:1])
    assert len(one.cells) >= 1 and (one.cells["bin"] == 0).all()
    same = sample.incidents.iloc[:50].copy()
    same["geometry"] = Point(2.5, -3.5)
    spots = hot_spots(same)  # one cell only: no area to compare it with
    assert len(spots.cells) == 1 and np.isnan(spots.cells["z"]).all()
    inside = hot_spots(same, sample.admin_boundaries)
    assert (inside.cells["bin"] > 0).sum() >= 1  # against the whole country it stands out


def test_cells_with_no_neighbours_are_scored_alone():
    # Two islands far apart, one cell each: Gi* is defined, neither is a hot spot.
    area = gpd.GeoSeries([box(0, 0, 0.0001, 0.0001), box(3, 3, 3.0001, 3.0001)], crs=WGS84)
    frame = gpd.GeoDataFrame(geometry=[Point(0.00005, 0.00005)] * 3, crs=WGS84)
    spots = hot_spots(frame, area, width_m=5_000)
    assert spots.counts.neighbours.nnz == 0
    assert len(spots.cells) == 2
    assert (spots.cells["bin"] == 0).all()


def test_clusters_are_numbered_by_size():
    from scipy import sparse

    chain = (sparse.eye(6, k=1) + sparse.eye(6, k=-1)).tocsr()
    bins = np.array([1, 0, 2, 3, 3, 0])
    assert clusters(bins, chain).tolist() == [2, 0, 1, 1, 1, 0]
    assert clusters(np.zeros(6, int), chain).tolist() == [0] * 6


def test_gi_star_is_undefined_when_every_cell_is_alike():
    from scipy import sparse

    assert np.isnan(gi_star(np.ones(5), sparse.csr_matrix((5, 5)))).all()
    assert np.isnan(gi_star(np.ones(1), sparse.csr_matrix((1, 1)))).all()


def test_bad_choices_are_refused(sample):
    with pytest.raises(ValueError, match="cell shape 'circle'"):
        hot_spots(sample.incidents, shape="circle")
    with pytest.raises(ValueError, match="weight 'deaths'"):
        hot_spots(sample.incidents, weight="deaths")
    with pytest.raises(ValueError, match="choose wider cells"):
        hot_spots(sample.incidents, sample.admin_boundaries, width_m=50)
