"""The mission's presence: field offices, their areas of responsibility, bases and
temporary operating bases, and the rule that gives every point its field office.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

from sample_data.carana.geography import Country
from sample_data.carana.geometry import lonlat_of, metric_of
from sample_data.carana.settings import (
    COMPASS,
    COMPASS_ABBR,
    GRID_DEGREES,
    KM,
    OPERATION_END,
    OPERATION_NAME,
    OPERATION_START,
    SECTOR_ROLES,
)

OFFICE_OPENED = ("2019-05-01", "2019-05-01", "2020-02-15", "2021-07-01")
FRENCH_SHARE_BY_OFFICE = (0.2, 0.65, 0.3, 0.15)  # in SECTOR_ROLES order


def field_offices(country: Country) -> pd.DataFrame:
    """Four field offices, one per patterned sector; the central admin1 joins the last one."""
    rows = []
    for k, role in enumerate(SECTOR_ROLES):
        zone = country.roles[role]
        zones = [zone, 0] if role == SECTOR_ROLES[-1] else [zone]
        direction = round(country.outline.sector_mid(zone) / (np.pi / 4)) % 8
        town = country.main_town(zone)
        rows.append(
            {
                "name": f"Field Office {COMPASS[direction]}",
                "abbr": COMPASS_ABBR[direction],
                "role": role,
                "zones": zones,
                "town": town["name"],
                "x": town["x"],
                "y": town["y"],
                "aor": shapely.union_all(
                    [country.admin1(z)["geometry"] for z in zones], grid_size=GRID_DEGREES
                ),
                "opened": OFFICE_OPENED[k],
                "french_share": FRENCH_SHARE_BY_OFFICE[k],
            }
        )
    return pd.DataFrame(rows)


def office_for(offices: pd.DataFrame, lonlat: np.ndarray) -> np.ndarray:
    """The office whose area of responsibility holds each point, else the nearest office.

    Parameters
    ----------
    offices : the table from :func:`field_offices`.
    lonlat : ``(n, 2)`` WGS84 coordinates.

    Returns
    -------
    Office names, one per point.
    """
    points = shapely.points(lonlat)
    result = np.empty(len(lonlat), dtype=object)
    assigned = np.zeros(len(lonlat), dtype=bool)
    for office in offices.itertuples():
        inside = shapely.intersects(office.aor, points) & ~assigned
        result[inside] = office.name
        assigned |= inside
    uncovered = np.flatnonzero(~assigned)
    if len(uncovered):
        xy = metric_of(lonlat[uncovered])
        office_xy = offices[["x", "y"]].to_numpy()
        nearest = np.argmin(
            np.hypot(
                xy[:, None, 0] - office_xy[None, :, 0], xy[:, None, 1] - office_xy[None, :, 1]
            ),
            axis=1,
        )
        result[uncovered] = offices["name"].to_numpy()[nearest]
    return result


def presence_records(
    rng: np.random.Generator,
    country: Country,
    offices: pd.DataFrame,
    op_centre: np.ndarray,
    corridor: LineString,
) -> list[dict[str, Any]]:
    """Areas of responsibility, field offices, bases and two temporary operating bases."""
    rows: list[dict[str, Any]] = []
    n_bases = 0
    for office in offices.itertuples():
        common = {"field_office": office.name, "opened": office.opened, "closed": None}
        rows.append(
            {
                "presence_id": f"AOR-{office.abbr}",
                "name": f"AOR {office.name}",
                "kind": "area_of_responsibility",
                **common,
                "geometry_wgs": office.aor,
            }
        )
        town_xy = np.array([office.x, office.y])
        rows.append(
            {
                "presence_id": f"FO-{office.abbr}",
                "name": f"{office.name} ({office.town})",
                "kind": "field_office",
                **common,
                "geometry": Point(town_xy),
            }
        )
        n_bases += 1
        rows.append(
            {
                "presence_id": f"BASE-{n_bases:02d}",
                "name": f"{office.town} battalion base",
                "kind": "base",
                **common,
                "geometry": Point(town_xy),
            }
        )
        # a company base at the admin2 seat farthest from the office: presence spreads out
        # office.zones is a list; pandas-stubs types every cell of a row as a scalar.
        in_zones = country.admin["zone"].isin(office.zones)  # type: ignore[arg-type]
        areas = country.admin[(country.admin["level"] == "2") & in_zones]
        far = areas.iloc[int(np.argmax([np.hypot(*(s - town_xy)) for s in areas["seed"]]))]
        n_bases += 1
        rows.append(
            {
                "presence_id": f"BASE-{n_bases:02d}",
                "name": f"{far['name']} company base",
                "kind": "base",
                **common,
                "geometry": Point(far["seed"]),
            }
        )
    tobs = (
        (
            op_centre + rng.normal(0.0, 3 * KM, 2),
            f"{OPERATION_NAME} forward base",
            (OPERATION_START - timedelta(days=10)).isoformat(),
            (OPERATION_END + timedelta(days=30)).isoformat(),
        ),
        (
            np.array(corridor.interpolate(0.5, normalized=True).coords[0]),
            "Corridor monitoring base",
            "2025-03-01",
            None,
        ),
    )
    for k, (xy, name, opened, closed) in enumerate(tobs, start=1):
        lonlat = lonlat_of(np.array([xy]))
        rows.append(
            {
                "presence_id": f"TOB-{k:02d}",
                "name": name,
                "kind": "temporary_operating_base",
                "field_office": str(office_for(offices, lonlat)[0]),
                "opened": opened,
                "closed": closed,
                "geometry": Point(xy),
            }
        )
    return rows
