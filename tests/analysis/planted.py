"""The sample's planted patterns (``sample_data/planted_patterns.json``) as shapes to test with."""

from __future__ import annotations

import json

from shapely.geometry import MultiPoint, Point, shape

from schema.mission import SAMPLE_DIR

PLANTED = json.loads((SAMPLE_DIR / "planted_patterns.json").read_text(encoding="utf-8"))


def planted_sites() -> dict[str, object]:
    """Each planted place, in WGS84 degrees (a point, line or polygon)."""
    checkpoints = PLANTED["extraction_checkpoints"]["checkpoints"]
    gap = PLANTED["protection_gap"]["centre"]
    return {
        "revenge corridor": shape(PLANTED["revenge_corridor"]["geometry"]),
        "checkpoints": MultiPoint([(c["longitude"], c["latitude"]) for c in checkpoints]),
        "operation": shape(PLANTED["collateral_operation"]["area"]),
        "protection gap": Point(gap["longitude"], gap["latitude"]),
    }


def town_points(data) -> dict[str, Point]:
    """The capital and the towns of the sample's basemap."""
    base = data.basemap
    places = base[base.geom_type == "Point"]
    return dict(zip(places["name"], places.geometry, strict=True))
