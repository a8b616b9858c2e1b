"""A mission with incidents placed by hand in clumps, for the disclosure rules."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
from shapely.geometry import Point

from schema import incidents
from schema.mission import MissionData
from tests.tiny_mission import incident_rows, tiny_mission

NARRATIVE = "Survivor Amina K. seen at the well behind the school"


def clumped(clumps: list[tuple[float, float, int, str]], *, text: str = "") -> MissionData:
    """The tiny mission with ``n`` incidents at each ``(lon, lat, n, motivation)``,
    each within a few metres of the spot, every one carrying :data:`NARRATIVE`."""
    template = incident_rows(text)[0]
    rows = []
    for lon, lat, n, motivation in clumps:
        for i in range(n):
            rows.append(
                template
                | {
                    "incident_id": f"C-{len(rows) + 1}",
                    "motivation": motivation,
                    "narrative": f"{NARRATIVE} {len(rows) + 1}",
                    "perpetrator_name": "Commander Secret-Name",
                    "geometry": Point(lon + i * 1e-5, lat),
                }
            )
    frame = incidents.validate(gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326"))
    return dataclasses.replace(tiny_mission(text), incidents=frame)
