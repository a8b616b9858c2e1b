"""The seeded sample data: reproducible, valid, geographically sound, with its patterns."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pandas.testing import assert_frame_equal
from shapely.geometry import Point, shape

import sample_data
from sample_data import generate
from schema import (
    admin_boundaries,
    basemap,
    local_agreements,
    mission_presence,
    political_processes,
)
from schema import incidents as incidents_layer

COMMITTED = Path(sample_data.__file__).resolve().parent
GEOJSON_VALIDATORS: dict[str, Callable[..., pd.DataFrame]] = {
    "admin_boundaries.geojson": admin_boundaries.validate,
    "basemap.geojson": basemap.validate,
    "mission_presence.geojson": mission_presence.validate,
    "local_processes.geojson": political_processes.validate_local_processes,
    "local_agreements.geojson": local_agreements.validate,
}
TEXT_FILES = ("national_milestones.csv", "incidents.csv", "planted_patterns.json")
LON_RANGE, LAT_RANGE = (0.5, 5.0), (-5.8, -1.8)
OTHER_SEED = 7
KM = 1000.0
FRENCH_RAW = ("prédation", "représailles", "vengeance", "dommages collatéraux", "extorsion")


def read_geojson(name: str, folder: Path = COMMITTED) -> gpd.GeoDataFrame:
    return gpd.read_file(folder / name)


def read_incidents(folder: Path = COMMITTED) -> gpd.GeoDataFrame:
    frame = pd.read_csv(folder / "incidents.csv")
    return gpd.GeoDataFrame(
        frame,
        geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regenerated")
    generate.generate(out, generate.SEED)
    return out


@pytest.fixture(scope="module")
def geo() -> dict[str, gpd.GeoDataFrame]:
    return {name: read_geojson(name) for name in GEOJSON_VALIDATORS}


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    frame = read_incidents()
    frame["day"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture(scope="module")
def planted() -> dict[str, Any]:
    return json.loads((COMMITTED / "planted_patterns.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def utm(geo: dict[str, gpd.GeoDataFrame]) -> Any:
    return geo["basemap.geojson"].estimate_utm_crs()


@pytest.fixture(scope="module")
def incidents_m(incidents: gpd.GeoDataFrame, utm: Any) -> gpd.GeoDataFrame:
    return incidents.to_crs(utm)


def period(planted: dict[str, Any]) -> tuple[pd.Timestamp, pd.Timestamp, int]:
    start, end = (pd.Timestamp(planted["period"][k]) for k in ("start", "end"))
    return start, end, (end - start).days + 1


def in_metres(geom: Any, utm: Any) -> Any:
    return gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(utm).iloc[0]


# --- reproducibility ------------------------------------------------------------------------
@pytest.mark.parametrize("name", TEXT_FILES)
def test_text_outputs_are_reproduced_byte_for_byte(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (COMMITTED / name).read_bytes()


@pytest.mark.parametrize("name", list(GEOJSON_VALIDATORS))
def test_geojson_outputs_are_reproduced(regenerated: Path, name: str) -> None:
    fresh, committed = read_geojson(name, regenerated), read_geojson(name)
    assert_frame_equal(
        pd.DataFrame(fresh.drop(columns="geometry")),
        pd.DataFrame(committed.drop(columns="geometry")),
    )
    # a tolerance, so that a GEOS upgrade moving a vertex by a rounding step still passes
    assert fresh.geometry.geom_equals_exact(committed.geometry, tolerance=1e-5).all()


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate.main(["--out", str(tmp_path), "--seed", str(OTHER_SEED)])
    assert (tmp_path / "incidents.csv").read_bytes() != (COMMITTED / "incidents.csv").read_bytes()
    other = read_geojson("admin_boundaries.geojson", tmp_path)
    ours = read_geojson("admin_boundaries.geojson")
    assert not other.geometry.geom_equals_exact(ours.geometry, tolerance=1e-3).all()
    assert len(read_incidents(tmp_path)) > 4000  # still a full data set


# --- schemas --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(GEOJSON_VALIDATORS))
def test_geojson_outputs_validate(name: str, geo: dict[str, gpd.GeoDataFrame]) -> None:
    GEOJSON_VALIDATORS[name](geo[name], source=name)


def test_tables_validate() -> None:
    incidents_layer.validate(read_incidents(), source="incidents.csv")
    milestones = pd.read_csv(COMMITTED / "national_milestones.csv")
    political_processes.validate_milestones(milestones, source="national_milestones.csv")
    assert list(milestones.columns) == political_processes.MILESTONES_SPEC.columns
    assert (milestones["kind"] == "negotiation_round").sum() >= 3


def test_incident_columns_are_the_spec_plus_coordinates() -> None:
    """Every column an office could send; not those pocmap derives (places, links)."""
    columns = pd.read_csv(COMMITTED / "incidents.csv", nrows=0).columns.tolist()
    sent = [f.name for f in incidents_layer.SPEC.fields if not f.derived]
    assert columns == [*sent, "longitude", "latitude"]


# --- geography ------------------------------------------------------------------------------
def test_admin2_tiles_the_country(geo: dict[str, gpd.GeoDataFrame], utm: Any) -> None:
    admin = geo["admin_boundaries.geojson"].to_crs(utm)
    land = geo["basemap.geojson"].query("kind == 'land'").to_crs(utm).union_all()
    admin2 = admin[admin["level"] == "2"].reset_index(drop=True)
    admin1 = admin[admin["level"] == "1"].set_index("admin_id")
    for level in (admin1, admin2):
        union = level.union_all()
        assert union.symmetric_difference(land).area < 1e-6 * land.area
    left, right = admin2.sindex.query(admin2.geometry, predicate="intersects")
    pairs = left < right
    overlap = shapely.intersection(
        admin2.geometry.values[left[pairs]], admin2.geometry.values[right[pairs]]
    )
    assert shapely.area(overlap).sum() < 1e-6 * land.area
    for area in admin2.itertuples():
        parent = admin1.loc[area.parent_id].geometry
        assert area.geometry.difference(parent).area < 1e-6 * area.geometry.area


def test_admin_codes_and_names(geo: dict[str, gpd.GeoDataFrame]) -> None:
    admin = geo["admin_boundaries.geojson"]
    admin1, admin2 = admin[admin["level"] == "1"], admin[admin["level"] == "2"]
    assert 5 <= len(admin1) <= 8 and 30 <= len(admin2) <= 40
    assert admin1["admin_id"].str.fullmatch(r"CR\d{2}").all()
    assert admin1["parent_id"].isna().all()
    assert admin2["admin_id"].str.fullmatch(r"CR\d{4}").all()
    assert (admin2["admin_id"].str[:4] == admin2["parent_id"]).all()
    assert set(admin2["parent_id"]) == set(admin1["admin_id"])
    assert admin["name"].is_unique


def test_everything_lies_inside_the_box(
    geo: dict[str, gpd.GeoDataFrame], incidents: gpd.GeoDataFrame
) -> None:
    for frame in [*geo.values(), incidents]:
        minx, miny, maxx, maxy = frame.total_bounds
        assert LON_RANGE[0] <= minx and maxx <= LON_RANGE[1]
        assert LAT_RANGE[0] <= miny and maxy <= LAT_RANGE[1]
    land = geo["basemap.geojson"].query("kind == 'land'").union_all()
    assert incidents.within(land).all()


def test_basemap_has_every_kind(geo: dict[str, gpd.GeoDataFrame]) -> None:
    kinds = geo["basemap.geojson"]["kind"].value_counts()
    assert kinds["land"] == 1 and kinds["capital"] == 1 and 12 <= kinds["town"] <= 15
    assert kinds["road"] >= kinds["town"] and kinds["mining_road"] == 1 and kinds["river"] == 1


def test_it_says_it_is_synthetic(
    geo: dict[str, gpd.GeoDataFrame], incidents: gpd.GeoDataFrame
) -> None:
    land = geo["basemap.geojson"].query("kind == 'land'")
    assert land["name"].tolist() == ["Carana (synthetic)"]
    assert incidents["source"].str.endswith(" (synthetic)").all()
    assert incidents["narrative"].str.startswith("[SYNTHETIC] ").all()


# --- incidents ------------------------------------------------------------------------------
def test_incident_fields_are_plausible(
    incidents: gpd.GeoDataFrame, planted: dict[str, Any]
) -> None:
    start, end, _ = period(planted)
    assert 4500 <= len(incidents) <= 5500
    assert incidents["incident_id"].tolist() == [
        f"INC-{i:06d}" for i in range(1, len(incidents) + 1)
    ]
    assert incidents["day"].between(start, end).all() and incidents["day"].is_monotonic_increasing
    unknown = incidents["motivation"] == "unknown"
    assert 0.07 <= unknown.mean() <= 0.13
    assert (incidents["motivation_confidence"].isna() == unknown).all()
    assert set(FRENCH_RAW) <= set(incidents["motivation_raw"].dropna())
    for column in ("perpetrator_type", "incident_type", "location_precision", "source"):
        assert incidents[column].nunique() >= 3
    assert (incidents["location_precision"] == "admin1").eq(incidents["admin2"].isna()).all()
    assert (incidents.loc[incidents["incident_type"] == "killing", "fatalities"] >= 1).all()
    assert incidents["victim_groups"].notna().mean() > 0.5


def test_incidents_carry_the_areas_and_office_holding_them(
    incidents: gpd.GeoDataFrame, geo: dict[str, gpd.GeoDataFrame], utm: Any
) -> None:
    admin = geo["admin_boundaries.geojson"]
    level2 = admin.loc[admin["level"] == "2", ["name", "geometry"]]
    level1 = admin.loc[admin["level"] == "1", ["name", "geometry"]]
    for column, areas in (("admin2", level2), ("admin1", level1)):
        rows = incidents[incidents[column].notna()]
        joined = gpd.sjoin(rows[[column, "geometry"]], areas, predicate="intersects")
        assert joined.index.nunique() == len(rows)
        assert (joined[column] == joined["name"]).groupby(level=0).any().all()
    presence = geo["mission_presence.geojson"]
    aor = presence.loc[presence["kind"] == "area_of_responsibility", ["field_office", "geometry"]]
    joined = gpd.sjoin(incidents[["field_office", "geometry"]], aor, predicate="intersects")
    assert (joined["field_office_left"] == joined["field_office_right"]).all()
    # where no office covers the ground, the nearest office is recorded
    uncovered = incidents.drop(index=joined.index.unique()).to_crs(utm)
    assert len(uncovered) > 0
    offices = presence[presence["kind"] == "field_office"].to_crs(utm)
    distances = np.stack([uncovered.distance(point) for point in offices.geometry], axis=1)
    nearest = offices["field_office"].to_numpy()[distances.argmin(axis=1)]
    assert (uncovered["field_office"].to_numpy() == nearest).all()


# --- political work and presence ------------------------------------------------------------
def test_presence_covers_all_but_the_gap_admin1(
    geo: dict[str, gpd.GeoDataFrame], planted: dict[str, Any], utm: Any
) -> None:
    presence = geo["mission_presence.geojson"].to_crs(utm)
    offices = presence[presence["kind"] == "field_office"]
    assert len(offices) == 4 and offices["field_office"].is_unique
    assert (presence["kind"] == "temporary_operating_base").sum() >= 2
    aor = presence[presence["kind"] == "area_of_responsibility"].set_index("field_office")
    assert set(aor.index) == set(offices["field_office"])
    for office in offices.itertuples():
        assert aor.loc[office.field_office].geometry.contains(office.geometry)
    admin = geo["admin_boundaries.geojson"].to_crs(utm).set_index("admin_id")
    gap_id = planted["protection_gap"]["admin_id"]
    gap = admin.loc[gap_id].geometry
    covered = admin[(admin["level"] == "1") & (admin.index != gap_id)].union_all()
    assert gap.intersection(aor.union_all()).area < 1e-6 * gap.area
    assert aor.union_all().symmetric_difference(covered).area < 1e-3 * covered.area


def test_processes_and_agreements_are_consistent(geo: dict[str, gpd.GeoDataFrame]) -> None:
    processes = geo["local_processes.geojson"]
    agreements = geo["local_agreements.geojson"]
    offices = set(geo["mission_presence.geojson"]["field_office"])
    assert 8 <= len(processes) <= 12 and 10 <= len(agreements) <= 14
    assert set(processes["field_office"]) <= offices and set(agreements["field_office"]) <= offices
    assert processes["linked_to_national"].nunique() == 2
    assert set(agreements["process_id"].dropna()) <= set(processes["process_id"])
    negotiating = agreements["status"] == "negotiating"
    assert (agreements["date_signed"].isna() == negotiating).all()
    ended = agreements["status"].isin(["violated", "lapsed"])
    assert (agreements["date_ended"].notna() == ended).all()
    assert set(agreements.geom_type) == {"Point", "Polygon", "LineString"}
    assert agreements["poc_language"].nunique() == 2


# --- the planted patterns -------------------------------------------------------------------
def test_revenge_falls_while_the_corridor_agreement_holds(
    incidents_m: gpd.GeoDataFrame,
    geo: dict[str, gpd.GeoDataFrame],
    planted: dict[str, Any],
    utm: Any,
) -> None:
    spec = planted["revenge_corridor"]
    agreement = geo["local_agreements.geojson"].set_index("agreement_id").loc[spec["agreement_id"]]
    assert (agreement["agreement_type"], agreement["status"]) == (
        "transhumance_corridor",
        "violated",
    )
    signed, violated = pd.Timestamp(spec["date_signed"]), pd.Timestamp(spec["date_violated"])
    assert (agreement["date_signed"], agreement["date_ended"]) == (signed, violated)
    assert agreement.geometry.equals_exact(shape(spec["geometry"]), 1e-5)
    corridor = in_metres(agreement.geometry, utm)
    revenge = incidents_m[incidents_m["motivation"] == "revenge"]
    near = revenge[revenge.distance(corridor) <= spec["buffer_km"] * KM]["day"]
    start, end, _ = period(planted)
    edges = [start, signed, violated, end + pd.Timedelta(days=1)]
    rates = [
        near.between(lo, hi, inclusive="left").sum() / (hi - lo).days * 30
        for lo, hi in pairwise(edges)
    ]
    before, in_force, after = rates
    assert before >= 8
    assert in_force <= 0.35 * before
    assert after >= 2.5 * in_force and after >= 0.6 * before


def test_extraction_clusters_at_the_mining_road_checkpoints(
    incidents_m: gpd.GeoDataFrame,
    geo: dict[str, gpd.GeoDataFrame],
    planted: dict[str, Any],
    utm: Any,
) -> None:
    spec = planted["extraction_checkpoints"]
    assert len(spec["checkpoints"]) == 5
    road = geo["basemap.geojson"].query("kind == 'mining_road'").to_crs(utm).geometry.iloc[0]
    radius = spec["radius_km"] * KM
    extraction = incidents_m[incidents_m["motivation"] == "extraction"]
    at_checkpoints = pd.Series(False, index=incidents_m.index)
    for checkpoint in spec["checkpoints"]:
        point = in_metres(Point(checkpoint["longitude"], checkpoint["latitude"]), utm)
        assert road.distance(point) < 10
        near = extraction[extraction.distance(point) <= radius]
        assert len(near) >= 0.9 * spec["incidents_per_checkpoint"]
        per_year = near["day"].dt.year.value_counts()
        assert set(per_year.index) == {2023, 2024, 2025} and per_year.min() >= 10
        at_checkpoints |= incidents_m.distance(point) <= radius
    assert (incidents_m.loc[at_checkpoints, "motivation"] == "extraction").mean() >= 0.8
    # five 2 km discs (~63 km2) hold a large part of the country's extraction
    assert (at_checkpoints & (incidents_m["motivation"] == "extraction")).sum() >= 0.3 * len(
        extraction
    )


def test_collateral_harm_during_the_operation(
    incidents_m: gpd.GeoDataFrame, planted: dict[str, Any], utm: Any
) -> None:
    spec = planted["collateral_operation"]
    area = in_metres(shape(spec["area"]), utm)
    start, end = pd.Timestamp(spec["start"]), pd.Timestamp(spec["end"])
    window_days = (end - start).days + 1
    inside = incidents_m.within(area)
    during = incidents_m["day"].between(start, end)
    collateral = incidents_m["motivation"] == "collateral"
    n_during = (inside & during & collateral).sum()
    n_outside_window = (inside & ~during & collateral).sum()
    other_days = period(planted)[2] - window_days
    assert n_during >= 100
    assert n_during / window_days >= 10 * max(n_outside_window, 1) / other_days
    assert collateral[inside & during].mean() >= 0.6
    assert (incidents_m.loc[inside & during & collateral, "admin1"] == spec["admin1"]).mean() > 0.8


def test_state_forces_dominate_one_admin1(
    incidents: gpd.GeoDataFrame, planted: dict[str, Any]
) -> None:
    name = planted["state_forces_admin1"]["name"]
    share = (incidents["perpetrator_type"] == "state_forces").groupby(incidents["admin1"]).mean()
    assert share[name] > 0.5
    assert (share.drop(name) < 0.3).all()


def test_violence_surges_before_the_planted_negotiation_round(
    incidents: gpd.GeoDataFrame, planted: dict[str, Any]
) -> None:
    spec = planted["surge_before_negotiation"]
    milestones = pd.read_csv(COMMITTED / "national_milestones.csv", parse_dates=["date"])
    rounds = milestones[milestones["kind"] == "negotiation_round"].set_index("milestone_id")
    assert rounds.loc[spec["milestone_id"], "date"] == pd.Timestamp(spec["date"])
    window = pd.Timedelta(days=spec["window_days"])

    def before(day: pd.Timestamp) -> int:
        return int(incidents["day"].between(day - window, day, inclusive="left").sum())

    start, end, n_days = period(planted)
    average = len(incidents) / n_days * spec["window_days"]
    blocks = incidents.groupby((incidents["day"] - start).dt.days // spec["window_days"]).size()
    surge = before(pd.Timestamp(spec["date"]))
    assert surge >= 1.5 * average
    assert surge >= 1.5 * blocks.iloc[:-1].median()  # the last block is short
    for other in rounds.drop(spec["milestone_id"])["date"]:
        assert before(other) <= 1.2 * average
    # no other 60-day stretch of the three years is as violent
    daily = incidents.groupby("day").size().reindex(pd.date_range(start, end), fill_value=0)
    busiest_end = daily.rolling(spec["window_days"]).sum().idxmax()
    assert abs((busiest_end - pd.Timestamp(spec["date"])).days) <= 7


def test_protection_gap_hot_spot(
    incidents_m: gpd.GeoDataFrame,
    geo: dict[str, gpd.GeoDataFrame],
    planted: dict[str, Any],
    utm: Any,
) -> None:
    spec = planted["protection_gap"]
    centre = in_metres(Point(spec["centre"]["longitude"], spec["centre"]["latitude"]), utm)
    minimum = spec["min_distance_km"] * KM
    radius = spec["radius_km"] * KM
    hot = incidents_m[incidents_m.distance(centre) <= radius]
    for name in ("local_processes.geojson", "local_agreements.geojson", "mission_presence.geojson"):
        features = geo[name].to_crs(utm)
        assert features.distance(centre).min() >= minimum, name
        assert features.distance(hot.union_all()).min() >= minimum, name
    admin = geo["admin_boundaries.geojson"].to_crs(utm).set_index("admin_id")
    assert admin.loc[spec["admin_id"]].geometry.contains(centre)
    land = geo["basemap.geojson"].query("kind == 'land'").to_crs(utm).union_all()
    background_density = len(incidents_m) / land.area
    assert len(hot) / (np.pi * radius**2) >= 10 * background_density
    assert len(hot) >= 150
    # busier than the same disc around any town, the capital included
    towns = geo["basemap.geojson"].query("kind in ['town', 'capital']").to_crs(utm)
    for town in towns.geometry:
        assert (incidents_m.distance(town) <= radius).sum() < len(hot)
