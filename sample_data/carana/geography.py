"""Carana's geography: admin areas, towns, the pattern roles of the admin1 areas, roads,
the mining road and the river (:func:`build_country`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from sample_data.carana.geometry import grid_inside, to_wgs84
from sample_data.carana.lines import lay_mining_road, lay_river, lay_roads
from sample_data.carana.outline import Outline, draw_outline
from sample_data.carana.settings import (
    ADMIN1_NAMES,
    ADMIN2_NAMES,
    ADMIN2_PER_ADMIN1,
    CAPITAL_NAME,
    GAP_COAST_MARGIN_KM,
    GAP_MIN_DISTANCE_KM,
    GAP_RADIUS_KM,
    GRID_DEGREES,
    KM,
    MIN_SEED_SEPARATION_KM,
    MIN_TOWN_SEPARATION_KM,
    N_SECTORS,
    N_TOWNS,
    SECTOR_ROLES,
)


@dataclass
class Country:
    """Carana's geography, in metres (``*_m``) and in rounded WGS84."""

    outline: Outline
    land_m: BaseGeometry
    land: BaseGeometry
    admin: pd.DataFrame  # admin_id, name, level, parent_id, zone, geometry, geometry_m, seed
    towns: pd.DataFrame  # name, x, y, zone, capital (the first town of each zone is its main one)
    roles: dict[str, int]  # pattern role -> zone
    roads: list[tuple[str, LineString]]
    mining_road: LineString
    mine: np.ndarray
    river: LineString
    hot_spot: np.ndarray
    hot_spot_distance: float

    def admin1(self, zone: int) -> pd.Series:
        """The admin1 row of a zone."""
        rows = self.admin[(self.admin["level"] == "1") & (self.admin["zone"] == zone)]
        return rows.iloc[0]

    def main_town(self, zone: int) -> pd.Series:
        """The first town of a zone (the capital for the central zone)."""
        return self.towns[self.towns["zone"] == zone].iloc[0]


def _admin2_seeds(rng: np.random.Generator, outline: Outline) -> tuple[np.ndarray, np.ndarray]:
    """Seed points of the admin2 cells, :data:`ADMIN2_PER_ADMIN1` per zone, kept apart."""
    points: list[np.ndarray] = []
    zones: list[int] = []
    separation = MIN_SEED_SEPARATION_KM * KM
    for zone in range(N_SECTORS + 1):
        placed = tries = 0
        while placed < ADMIN2_PER_ADMIN1:
            candidate = outline.draw(rng, zone, 1)[0]
            tries += 1
            if tries % 500 == 0:  # an unlucky small zone: accept closer seeds than planned
                separation *= 0.9
            if points and np.min(np.hypot(*(np.array(points) - candidate).T)) < separation:
                continue
            points.append(candidate)
            zones.append(zone)
            placed += 1
    return np.array(points), np.array(zones)


def _voronoi_cells(seeds: np.ndarray, land: BaseGeometry) -> list[BaseGeometry]:
    """Voronoi cells of the seeds clipped to the land, in seed order, on a 1 m grid."""
    diagram = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=land.buffer(50 * KM))
    cells = list(diagram.geoms)
    tree = shapely.STRtree(cells)
    clipped = []
    for x, y in seeds:
        cell = cells[tree.query(Point(x, y), predicate="within")[0]]
        clipped.append(shapely.intersection(cell, land, grid_size=1.0))
    return clipped


def _choose_towns(
    rng: np.random.Generator, outline: Outline, seeds: np.ndarray, zones: np.ndarray
) -> list[int]:
    """Seed indices of the towns: each zone's main town first (zone order), then others."""
    chosen = []
    for zone in range(N_SECTORS + 1):
        target = outline.centre if zone == 0 else outline.at(outline.sector_mid(zone), 0.65)[0]
        members = np.flatnonzero(zones == zone)
        chosen.append(int(members[np.argmin(np.hypot(*(seeds[members] - target).T))]))
    order = rng.permutation(len(seeds))
    for separation in (MIN_TOWN_SEPARATION_KM * KM, 0.75 * MIN_TOWN_SEPARATION_KM * KM):
        for idx in order:
            if (
                len(chosen) < N_TOWNS
                and idx not in chosen
                and (np.min(np.hypot(*(seeds[chosen] - seeds[idx]).T)) >= separation)
            ):
                chosen.append(int(idx))
    return chosen


def _admin_table(
    seeds: np.ndarray, zones: np.ndarray, cells: list[BaseGeometry], capital: int
) -> pd.DataFrame:
    """Admin1 and admin2 rows with P-codes, names and geometries in both CRSs."""
    admin2_wgs = [to_wgs84(cell) for cell in cells]
    admin1 = []
    for zone in range(N_SECTORS + 1):
        members = np.flatnonzero(zones == zone)
        geom = shapely.union_all([admin2_wgs[i] for i in members], grid_size=GRID_DEGREES)
        geom_m = shapely.union_all([cells[i] for i in members], grid_size=1.0)
        admin1.append({"zone": zone, "geometry": geom, "geometry_m": geom_m})

    def north_west_first(geom: BaseGeometry) -> tuple[float, float]:
        return (-round(geom.centroid.y, 3), round(geom.centroid.x, 3))

    admin1.sort(key=lambda row: north_west_first(row["geometry"]))
    rows = []
    names = iter(ADMIN2_NAMES)
    for i, area in enumerate(admin1, start=1):
        pcode = f"CR{i:02d}"
        rows.append(
            {
                "admin_id": pcode,
                "name": ADMIN1_NAMES[i - 1],
                "level": "1",
                "parent_id": None,
                "seed": None,
                **area,
            }
        )
        in_zone = sorted(
            np.flatnonzero(zones == area["zone"]), key=lambda j: north_west_first(admin2_wgs[j])
        )
        for k, j in enumerate(in_zone, start=1):
            rows.append(
                {
                    "admin_id": f"{pcode}{k:02d}",
                    "name": CAPITAL_NAME if j == capital else next(names),
                    "level": "2",
                    "parent_id": pcode,
                    "seed": seeds[j],
                    "zone": area["zone"],
                    "geometry": admin2_wgs[j],
                    "geometry_m": cells[j],
                    "seed_index": j,
                }
            )
    return pd.DataFrame(rows)


def _pick_roles(
    admin: pd.DataFrame, land_m: BaseGeometry
) -> tuple[dict[str, int], np.ndarray, float]:
    """Make the remotest outer admin1 the protection gap; give the others a pattern each.

    Returns the roles, the hot spot (the gap's point farthest from every other admin1,
    :data:`GAP_COAST_MARGIN_KM` inland) and its distance to the other admin1 areas.
    """
    level1 = admin[admin["level"] == "1"].set_index("zone")["geometry_m"]
    inland = land_m.buffer(-GAP_COAST_MARGIN_KM * KM)
    best: tuple[float, int, np.ndarray] | None = None
    for zone in range(1, N_SECTORS + 1):
        others = shapely.union_all(level1.drop(zone).to_numpy())
        points = grid_inside(level1[zone].intersection(inland), 2 * KM)
        distances = shapely.distance(shapely.points(points), others)
        if best is None or distances.max() > best[0]:
            best = (float(distances.max()), zone, points[int(np.argmax(distances))])
    assert best is not None
    distance, gap, hot_spot = best
    if distance < (GAP_MIN_DISTANCE_KM + GAP_RADIUS_KM) * KM:
        raise ValueError(f"no admin1 is remote enough for the protection gap ({distance:.0f} m)")
    roles = {"gap": gap, "central": 0}
    for i, role in enumerate(SECTOR_ROLES, start=1):
        roles[role] = (gap - 1 + i) % N_SECTORS + 1  # counter-clockwise after the gap
    return roles, hot_spot, distance


def build_country(rng: np.random.Generator) -> Country:
    """Draw Carana: coast, admin areas, towns, roads, river and the pattern roles.

    Parameters
    ----------
    rng : the run's only source of randomness.

    Returns
    -------
    The :class:`Country`.
    """
    outline = draw_outline(rng)
    coast = outline.polygon()
    seeds, zones = _admin2_seeds(rng, outline)
    cells = _voronoi_cells(seeds, coast)
    town_idx = _choose_towns(rng, outline, seeds, zones)
    admin = _admin_table(seeds, zones, cells, capital=town_idx[0])
    level1 = admin[admin["level"] == "1"]
    land = shapely.union_all(level1["geometry"].to_numpy(), grid_size=GRID_DEGREES)
    land_m = shapely.union_all(level1["geometry_m"].to_numpy(), grid_size=1.0)
    level2 = admin[admin["level"] == "2"]
    name_of = dict(zip(level2["seed_index"].astype(int), level2["name"], strict=True))
    towns = pd.DataFrame(
        {
            "name": [name_of[i] for i in town_idx],
            "x": seeds[town_idx, 0],
            "y": seeds[town_idx, 1],
            "zone": zones[town_idx],
            "capital": [i == town_idx[0] for i in town_idx],
        }
    )
    roles, hot_spot, distance = _pick_roles(admin, land_m)
    inland = land_m.buffer(-1 * KM)
    roads = lay_roads(rng, towns, inland)
    mining = roles["mining"]
    zone_m = level1.set_index("zone")["geometry_m"][mining]
    start = towns[towns["zone"] == mining][["x", "y"]].to_numpy()[0]
    mining_road, mine = lay_mining_road(rng, outline, mining, start, zone_m, inland)
    return Country(
        outline,
        land_m,
        land,
        admin,
        towns,
        roles,
        roads,
        mining_road,
        mine,
        lay_river(rng, outline, land_m),
        hot_spot,
        distance,
    )
