"""Everything placed on the map besides incidents (:func:`build_features`): the sites of the
planted patterns, the local processes and agreements, and the mission's presence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from sample_data.carana.geography import Country
from sample_data.carana.geometry import grid_inside
from sample_data.carana.lines import lay_corridor
from sample_data.carana.political import build_local_work
from sample_data.carana.presence import field_offices, presence_records
from sample_data.carana.settings import CHECKPOINT_FRACTIONS, KM, OPERATION_RADIUS_KM


@dataclass
class Features:
    """Everything placed on the map besides incidents (metric geometries)."""

    offices: pd.DataFrame  # name, abbr, role, zones, town, x, y, aor (WGS84), opened, ...
    presence: list[dict[str, Any]]
    processes: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    corridor: LineString
    operation_area: BaseGeometry
    checkpoints: np.ndarray


def build_features(rng: np.random.Generator, country: Country) -> Features:
    """Place field offices, bases, local processes, local agreements and pattern sites.

    Parameters
    ----------
    rng : the run's only source of randomness.
    country : from :func:`~sample_data.carana.geography.build_country`.

    Returns
    -------
    The :class:`Features`; processes and agreements sit only in covered admin1 areas.
    """
    roles = country.roles
    offices = field_offices(country)
    zone_geom = country.admin[country.admin["level"] == "1"].set_index("zone")["geometry_m"]
    towns = country.towns[["x", "y"]].to_numpy()
    corridor = lay_corridor(
        rng,
        country.outline,
        roles["corridor"],
        zone_geom[roles["corridor"]],
        towns,
        (0.5, 0.92),
        3.0,
    )
    second_corridor = lay_corridor(
        rng,
        country.outline,
        roles["operation"],
        zone_geom[roles["operation"]],
        towns,
        (0.5, 0.8),
        2.0,
    )
    operation_zone = zone_geom[roles["operation"]].intersection(country.land_m)
    candidates = grid_inside(operation_zone, 3 * KM)
    depth = shapely.distance(shapely.points(candidates), operation_zone.boundary)
    op_centre = candidates[int(np.argmax(depth))]
    operation_area = (
        Point(op_centre).buffer(OPERATION_RADIUS_KM * KM, quad_segs=8).intersection(country.land_m)
    )
    checkpoints = np.array(
        [
            country.mining_road.interpolate(f, normalized=True).coords[0]
            for f in CHECKPOINT_FRACTIONS
        ]
    )
    processes, agreements = build_local_work(rng, country, offices, corridor, second_corridor)
    presence = presence_records(rng, country, offices, op_centre, corridor)
    return Features(offices, presence, processes, agreements, corridor, operation_area, checkpoints)
