"""Lines across the land: main roads, the mining road, transhumance corridors, the river."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from sample_data.carana.outline import Outline
from sample_data.carana.settings import (
    CORRIDOR_TOWN_CLEARANCE_KM,
    KM,
    MAX_ROAD_KM,
    MINE_DISTANCE_KM,
    N_EXTRA_ROADS,
    N_SECTORS,
)


def _wiggly_line(
    rng: np.random.Generator, start: np.ndarray, end: np.ndarray, n_inner: int, jitter_share: float
) -> LineString:
    """A line from ``start`` to ``end`` whose inner vertices wander sideways, like a track."""
    t = np.linspace(0.0, 1.0, n_inner + 2)
    points = start + t[:, None] * (end - start)
    length = float(np.hypot(*(end - start)))
    normal = np.array([start[1] - end[1], end[0] - start[0]]) / length
    offsets = rng.normal(0.0, jitter_share * length, n_inner + 2)
    offsets[[0, -1]] = 0.0
    return LineString(points + offsets[:, None] * normal)


def _longest_line(geom: BaseGeometry) -> LineString:
    parts = getattr(geom, "geoms", [geom])
    return max(parts, key=lambda part: part.length)


def lay_roads(
    rng: np.random.Generator, towns: pd.DataFrame, inland: BaseGeometry
) -> list[tuple[str, LineString]]:
    """Main roads: a minimum spanning tree over the towns plus a few loops, all on land."""
    xy = towns[["x", "y"]].to_numpy()
    candidates = []
    for i in range(len(xy)):
        for j in range(i + 1, len(xy)):
            length = float(np.hypot(*(xy[j] - xy[i])))
            line = _wiggly_line(rng, xy[i], xy[j], 2, 0.05)
            if length <= MAX_ROAD_KM * KM and inland.contains(line):
                candidates.append((length, i, j, line))
    candidates.sort(key=lambda c: c[:3])
    parent = list(range(len(xy)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    tree: list[tuple[int, int, LineString]] = []
    extra: list[tuple[int, int, LineString]] = []
    for length, i, j, line in candidates:
        if root(i) != root(j):
            parent[root(i)] = root(j)
            tree.append((i, j, line))
        elif len(extra) < N_EXTRA_ROADS and length > 60 * KM:  # a loop, not a shortcut
            extra.append((i, j, line))
    names = towns["name"].tolist()
    return [
        (f"RN{k} {names[i]}-{names[j]}", line)
        for k, (i, j, line) in enumerate(tree + extra, start=1)
    ]


def lay_mining_road(
    rng: np.random.Generator,
    outline: Outline,
    zone: int,
    start: np.ndarray,
    zone_m: BaseGeometry,
    inland: BaseGeometry,
) -> tuple[LineString, np.ndarray]:
    """A track from the mining zone's main town to a mine deep in the same zone."""
    low, high = (d * KM for d in MINE_DISTANCE_KM)
    for mine in outline.draw(rng, zone, 2000):
        if low <= np.hypot(*(mine - start)) <= high and zone_m.contains(Point(mine)):
            road = _wiggly_line(rng, start, mine, 5, 0.04)
            if inland.contains(road):
                return road, mine
    raise ValueError("could not lay a mining road inside the mining zone")


def lay_corridor(
    rng: np.random.Generator,
    outline: Outline,
    zone: int,
    zone_m: BaseGeometry,
    towns: np.ndarray,
    rho: tuple[float, float],
    margin_km: float,
) -> LineString:
    """A transhumance corridor running outwards across a sector, inside it, avoiding towns.

    Herds are kept away from towns, and a corridor through a town would mix the town's
    own violence into the corridor's.
    """
    half = np.pi / N_SECTORS
    # a narrow sector may not fit the preferred corridor: relax the town clearance, then margin
    for relax in (1.0, 0.5, 0.0):
        inside = zone_m.buffer(-margin_km * KM * max(relax, 0.5))
        for _ in range(300):
            a0 = outline.sector_mid(zone) + rng.choice([-1, 1]) * rng.uniform(0.0, 0.7) * half
            a1 = a0 + rng.uniform(-0.3, 0.3) * half
            start = outline.at(a0, rho[0] + rng.uniform(0.0, 0.15))[0]
            end = outline.at(a1, rho[1] - rng.uniform(0.0, 0.05))[0]
            line = _wiggly_line(rng, start, end, 6, 0.03)
            clearance = shapely.distance(shapely.points(towns), line).min()
            if inside.contains(line) and clearance >= relax * CORRIDOR_TOWN_CLEARANCE_KM * KM:
                return line
    raise ValueError(f"could not lay a corridor inside zone {zone}")


def lay_river(rng: np.random.Generator, outline: Outline, land_m: BaseGeometry) -> LineString:
    theta = rng.uniform(0.0, 2 * np.pi)
    start, mouth = outline.at(theta, 0.15)[0], outline.at(theta + 0.5, 1.3)[0]
    return _longest_line(_wiggly_line(rng, start, mouth, 12, 0.03).intersection(land_m))
