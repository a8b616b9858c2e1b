"""A hand-made mission small enough to reason about: 2 x 2 admin2 areas, 8 incidents.

``tiny_mission(text=...)`` puts the same string into every free-text field of every
layer, which is how the XSS tests load hostile input everywhere at once.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

from schema import (
    admin_boundaries,
    basemap,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from schema.mission import MissionData

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>\"'&"
CRS = "EPSG:4326"


def _gdf(rows: list[dict], crs: str = CRS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


def admin_rows(text: str) -> list[dict]:
    rows = [
        {
            "admin_id": "TT01",
            "name": f"West {text}",
            "level": "1",
            "parent_id": None,
            "geometry": box(1.0, -3.0, 2.0, -2.0),
        },
        {
            "admin_id": "TT02",
            "name": f"East {text}",
            "level": "1",
            "parent_id": None,
            "geometry": box(2.0, -3.0, 3.0, -2.0),
        },
    ]
    for i, (x, y) in enumerate([(1.0, -3.0), (1.0, -2.5), (2.0, -3.0), (2.0, -2.5)]):
        rows.append(
            {
                "admin_id": f"TT0{1 + i // 2}0{1 + i % 2}",
                "name": f"Area {i} {text}",
                "level": "2",
                "parent_id": f"TT0{1 + i // 2}",
                "geometry": box(x, y, x + 1.0, y + 0.5),
            }
        )
    return rows


def incident_rows(text: str) -> list[dict]:
    spec = [
        # date, x, y, motivation, perpetrator, type, fatalities, victims, admin1, office
        ("2024-01-05", 1.2, -2.8, "revenge", "community_militia", "killing", 2, "women", "W"),
        ("2024-01-20", 1.3, -2.7, "revenge", "community_militia", "injury", 0, "", "W"),
        (
            "2024-02-11",
            1.7,
            -2.2,
            "predation",
            "criminal",
            "looting_destruction",
            0,
            "children;displaced",
            "W",
        ),
        ("2024-03-02", 2.3, -2.9, "extraction", "non_state_armed_group", "threat", 0, "", "E"),
        ("2024-03-15", 2.4, -2.6, "collateral", "state_forces", "killing", 3, "elderly", "E"),
        ("2024-04-01", 2.8, -2.2, "political", "state_forces", "abduction", 0, "", "E"),
        (
            "2024-04-20",
            2.6,
            -2.4,
            "punitive",
            "non_state_armed_group",
            "sexual_violence",
            0,
            "women",
            "E",
        ),
        (
            "2024-05-30",
            1.5,
            -2.5,
            "unknown",
            "unidentified",
            "forced_displacement",
            0,
            "displaced",
            "W",
        ),
    ]
    rows = []
    for i, (date, x, y, motivation, perp, kind, dead, victims, side) in enumerate(spec):
        rows.append(
            {
                "incident_id": f"T-{i + 1}{text}",
                "date": date,
                "incident_type": kind,
                "motivation": motivation,
                "motivation_raw": f"{motivation} {text}",
                "motivation_confidence": None if motivation == "unknown" else "probable",
                "perpetrator_type": perp,
                "perpetrator_name": f"Group {text}",
                "fatalities": dead,
                "injured": 1,
                "abducted": 0,
                "victim_groups": victims or None,
                "location_precision": "exact",
                "admin1": f"{'West' if side == 'W' else 'East'} {text}",
                "admin2": f"Area {text}",
                "field_office": f"FO {side}{text}",
                "source": f"Test source {text}",
                "narrative": f"Narrative {text}",
                "geometry": Point(x, y),
            }
        )
    return rows


def tiny_mission(text: str = "") -> MissionData:
    """The tiny mission; ``text`` is appended to every free-text value."""
    milestones = pd.DataFrame(
        [
            {
                "milestone_id": "M1",
                "date": "2024-02-01",
                "kind": "negotiation_round",
                "title": f"Round one {text}",
                "description": f"Talks {text}",
            },
            {
                "milestone_id": "M2",
                "date": "2024-04-15",
                "kind": "signature",
                "title": f"Signature {text}",
                "description": None,
            },
        ]
    )
    processes = _gdf(
        [
            {
                "process_id": "P1",
                "name": f"Dialogue {text}",
                "process_type": "intercommunal_dialogue",
                "status": "ongoing",
                "field_office": f"FO W{text}",
                "start_date": "2023-11-01",
                "end_date": None,
                "linked_to_national": True,
                "parties": f"Herders {text}",
                "geometry": Point(1.25, -2.75),
            },
        ]
    )
    agreements = _gdf(
        [
            {
                "agreement_id": "A1",
                "name": f"Corridor {text}",
                "agreement_type": "transhumance_corridor",
                "status": "violated",
                "date_signed": "2024-01-10",
                "date_ended": "2024-04-01",
                "parties": f"Clans {text}",
                "mission_role": "facilitator",
                "field_office": f"FO W{text}",
                "process_id": "P1",
                "poc_language": True,
                "groups_protected": "women;children",
                "sgbv_provisions": False,
                "freedom_of_movement": True,
                "geometry": LineString([(1.1, -2.9), (1.9, -2.1)]),
            },
            {
                "agreement_id": "A2",
                "name": f"Weapon-free market {text}",
                "agreement_type": "weapon_free_zone",
                "status": "signed",
                "date_signed": "2024-02-01",
                "date_ended": None,
                "parties": None,
                "mission_role": "guarantor",
                "field_office": f"FO E{text}",
                "process_id": None,
                "poc_language": False,
                "groups_protected": None,
                "sgbv_provisions": False,
                "freedom_of_movement": False,
                "geometry": box(2.2, -2.8, 2.5, -2.5),
            },
            {
                "agreement_id": "A3",
                "name": f"Market access {text}",
                "agreement_type": "market_access",
                "status": "negotiating",
                "date_signed": None,
                "date_ended": None,
                "parties": None,
                "mission_role": "observer",
                "field_office": f"FO E{text}",
                "process_id": None,
                "poc_language": False,
                "groups_protected": None,
                "sgbv_provisions": False,
                "freedom_of_movement": True,
                "geometry": Point(2.7, -2.3),
            },
        ]
    )
    presence = _gdf(
        [
            {
                "presence_id": "FO-W-AOR",
                "name": f"West AOR {text}",
                "kind": "area_of_responsibility",
                "field_office": f"FO W{text}",
                "opened": None,
                "closed": None,
                "geometry": box(1.0, -3.0, 2.0, -2.0),
            },
            {
                "presence_id": "FO-W",
                "name": f"FO W{text}",
                "kind": "field_office",
                "field_office": f"FO W{text}",
                "opened": "2020-01-01",
                "closed": None,
                "geometry": Point(1.5, -2.5),
            },
            {
                "presence_id": "B-1",
                "name": f"Base {text}",
                "kind": "base",
                "field_office": f"FO W{text}",
                "opened": None,
                "closed": None,
                "geometry": Point(1.8, -2.8),
            },
            {
                "presence_id": "TOB-1",
                "name": f"TOB {text}",
                "kind": "temporary_operating_base",
                "field_office": f"FO E{text}",
                "opened": "2024-03-01",
                "closed": "2024-06-01",
                "geometry": Point(2.5, -2.5),
            },
        ]
    )
    base = _gdf(
        [
            {"name": f"Tinyland {text}", "kind": "land", "geometry": box(1.0, -3.0, 3.0, -2.0)},
            {"name": f"Capital {text}", "kind": "capital", "geometry": Point(2.0, -2.5)},
            {"name": f"Town {text}", "kind": "town", "geometry": Point(1.4, -2.3)},
            {"name": None, "kind": "road", "geometry": LineString([(1.4, -2.3), (2.0, -2.5)])},
            {"name": None, "kind": "river", "geometry": LineString([(1.0, -2.9), (3.0, -2.1)])},
        ]
    )
    return MissionData(
        incidents=incidents.validate(_gdf(incident_rows(text))),
        national_milestones=political_processes.validate_milestones(milestones),
        local_processes=political_processes.validate_local_processes(processes),
        local_agreements=local_agreements.validate(agreements),
        mission_presence=mission_presence.validate(presence),
        admin_boundaries=admin_boundaries.validate(_gdf(admin_rows(text))),
        basemap=basemap.validate(base),
        label=f"Tiny test mission {text}",
    )
