"""Political work: the national milestones, local processes and local agreements.

Processes and agreements are laid out from templates, one row each, and placed at the
admin2 seats of the admin1 area their role points to.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from sample_data.carana.geography import Country
from sample_data.carana.geometry import to_wgs84
from sample_data.carana.presence import office_for
from sample_data.carana.settings import CORRIDOR_SIGNED, CORRIDOR_VIOLATED, KM

# fmt: off
MILESTONES = (
    ("2023-02-14", "pre_negotiation", "Exploratory contacts",
     "Envoys meet armed-group leaders separately to test willingness to talk."),
    ("2023-06-05", "pre_negotiation", "Agenda agreed",
     "Government and armed groups agree on the agenda and the facilitators."),
    ("2023-10-10", "negotiation_round", "First round of the Sorandi talks",
     "Security arrangements and the return of state authority."),
    ("2024-02-20", "negotiation_round", "Second round of the Sorandi talks",
     "Disarmament, demobilisation and reintegration."),
    ("2024-04-15", "ceasefire", "National cease-fire",
     "A countrywide cease-fire monitored by the mission."),
    ("2024-07-22", "negotiation_round", "Third round of the Sorandi talks",
     "Power-sharing and the electoral calendar."),
    ("2024-12-05", "signature", "Sorandi Political Agreement signed",
     "Signed by the government and four of six armed groups."),
    ("2025-03-01", "implementation", "Mixed security units launched",
     "First units mixing army and former combatants deployed."),
    ("2025-06-15", "implementation", "Prefects return",
     "Prefects redeployed to all admin1 capitals."),
    ("2025-10-20", "breakdown", "Armed group withdraws",
     "One signatory suspends its participation, citing army abuses."),
)
PROCESS_TEMPLATES = (
    # role, name, type, status, start, end, linked to national, parties
    ("corridor", "{place} transhumance dialogue", "intercommunal_dialogue", "stalled",
     "2023-06-01", None, True, "Wourou herders; Mbessa farmers; local authorities"),
    ("corridor", "{place} conflict-resolution workshops", "conflict_resolution_workshop",
     "stalled", "2024-09-02", None, False, "youth associations; women's associations"),
    ("mining", "{place} local peace committee", "local_peace_committee", "ongoing",
     "2023-03-10", None, False, "Lessi traders; Koura fishers; local authorities"),
    ("mining", "{place} mining-area mediation", "mediation", "ongoing", "2024-05-02", None,
     True, "Front uni de la Savane (FUS); mining cooperatives; prefect"),
    ("operation", "{place} conflict-resolution workshops", "conflict_resolution_workshop",
     "concluded", "2023-04-01", "2023-07-30", False, "Ngandi farmers; Tandjo herders"),
    ("operation", "{place} intercommunal dialogue", "intercommunal_dialogue", "ongoing",
     "2024-01-15", None, True, "Ngandi farmers; Tandjo herders; religious leaders"),
    ("state_forces", "{place} local peace committee", "local_peace_committee", "ongoing",
     "2023-02-01", None, False, "village chiefs; women's associations; gendarmerie"),
    ("state_forces", "{place} civil-military mediation", "mediation", "planned", "2026-01-20",
     None, True, "Carana Armed Forces (CAF); community leaders; prefect"),
    ("central", "{place} local peace committee", "local_peace_committee", "concluded",
     "2023-01-10", "2024-12-20", True, "neighbourhood chiefs; youth associations; mayor"),
    ("central", "{place} intercommunal dialogue", "intercommunal_dialogue", "ongoing",
     "2025-02-01", None, True, "Lessi traders; Wourou herders; religious leaders"),
)
AGREEMENT_TEMPLATES = (
    # role, name, type, status, signed, ended, shape, process (index), mission role,
    # poc_language, groups protected, sgbv provisions, freedom of movement
    ("corridor", "{place} transhumance corridor", "transhumance_corridor", "violated",
     CORRIDOR_SIGNED.isoformat(), CORRIDOR_VIOLATED.isoformat(), "corridor", 0, "facilitator",
     True, "women;children", False, True),
    ("operation", "{place} transhumance corridor", "transhumance_corridor", "implemented",
     "2024-06-10", None, "line", 5, "guarantor", True, None, False, True),
    ("mining", "{place} weapon-free zone", "weapon_free_zone", "implemented", "2023-05-02", None,
     "zone", 2, "guarantor", True, "women;children;elderly", True, True),
    ("central", "{place} weapon-free zone", "weapon_free_zone", "signed", "2025-04-12", None,
     "zone", 9, "facilitator", True, "children", False, True),
    ("state_forces", "{place} displacement-site weapon-free zone", "weapon_free_zone",
     "violated", "2023-08-01", "2024-10-03", "zone", 6, "observer", True,
     "displaced;women;children", True, True),
    ("corridor", "{place} farmer-herder agreement", "farmer_herder", "signed", "2023-09-18",
     None, "point", None, "none", False, None, False, False),
    ("operation", "{place} land-access agreement", "land_access", "negotiating", None, None,
     "point", 5, "technical_support", False, None, False, False),
    ("mining", "{place} market-access agreement", "market_access", "implemented", "2024-02-01",
     None, "point", 2, "facilitator", True, "women", False, True),
    ("state_forces", "{place} local cease-fire", "local_ceasefire", "lapsed", "2023-04-10",
     "2023-12-31", "point", None, "observer", True, None, False, True),
    ("central", "{place} local cease-fire", "local_ceasefire", "negotiating", None, None,
     "point", 9, "facilitator", False, None, False, False),
    ("state_forces", "{place} farmer-herder agreement", "farmer_herder", "signed", "2025-06-05",
     None, "point", 6, "technical_support", True, "women;elderly;disabled", True, False),
    ("operation", "{place} market-access agreement", "market_access", "violated", "2024-04-22",
     "2025-07-30", "point", None, "none", False, None, False, True),
)
# fmt: on
WEAPON_FREE_ZONE_RADIUS_KM = 8.0
PLACE_JITTER_KM = 3.0


def milestone_date(milestone_id: str) -> str:
    """The ISO date of a national milestone, from its id ``NM-xx``."""
    return MILESTONES[int(milestone_id.split("-")[1]) - 1][0]


class _Places:
    """Hands out admin2 seed points of a zone in turn, jittered so features do not stack."""

    def __init__(self, rng: np.random.Generator, country: Country) -> None:
        self.rng = rng
        self.country = country
        self.used: dict[int, int] = {}

    def next(self, zone: int) -> tuple[str, np.ndarray]:
        areas = self.country.admin[
            (self.country.admin["level"] == "2") & (self.country.admin["zone"] == zone)
        ]
        k = self.used.get(zone, 0)
        self.used[zone] = k + 1
        area = areas.iloc[k % len(areas)]
        point = area["seed"] + self.rng.normal(0.0, PLACE_JITTER_KM * KM, 2)
        if not area["geometry_m"].buffer(-KM).contains(Point(point)):
            point = area["seed"]
        return area["name"], point


def _end_names(country: Country, line: LineString) -> str:
    """``"A-B"``: the admin2 areas at both ends of a line."""
    level2 = country.admin[country.admin["level"] == "2"]
    names = []
    for x, y in (line.coords[0], line.coords[-1]):
        inside = level2[shapely.contains_xy(level2["geometry_m"].to_numpy(), x, y)]
        names.append(inside["name"].iloc[0])
    return "-".join(dict.fromkeys(names))


def _office_of(offices: pd.DataFrame, geom: BaseGeometry) -> str:
    point = to_wgs84(geom.representative_point())
    return str(office_for(offices, np.array([point.coords[0]]))[0])


def build_local_work(
    rng: np.random.Generator,
    country: Country,
    offices: pd.DataFrame,
    corridor: LineString,
    second_corridor: LineString,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Local processes and local agreements, as records for the writers.

    Parameters
    ----------
    rng : the run's only source of randomness (places are jittered).
    country : from :func:`~sample_data.carana.geography.build_country`.
    offices : from :func:`~sample_data.carana.presence.field_offices`.
    corridor, second_corridor : the lines of the two transhumance corridors.

    Returns
    -------
    The processes and the agreements; they sit only in covered admin1 areas.
    """
    places = _Places(rng, country)
    processes = _processes(places, country, offices)
    agreements = _agreements(places, country, offices, processes, corridor, second_corridor)
    return processes, agreements


def _processes(places: _Places, country: Country, offices: pd.DataFrame) -> list[dict[str, Any]]:
    roles = country.roles
    processes = []
    for k, (role, name, ptype, status, start, end, linked, parties) in enumerate(
        PROCESS_TEMPLATES, start=1
    ):
        place, point = places.next(roles[role])
        processes.append(
            {
                "process_id": f"LP-{k:02d}",
                "name": name.format(place=place),
                "process_type": ptype,
                "status": status,
                "field_office": _office_of(offices, Point(point)),
                "start_date": start,
                "end_date": end,
                "linked_to_national": linked,
                "parties": parties,
                "geometry": Point(point),
            }
        )
    return processes


def _agreements(
    places: _Places,
    country: Country,
    offices: pd.DataFrame,
    processes: list[dict[str, Any]],
    corridor: LineString,
    second_corridor: LineString,
) -> list[dict[str, Any]]:
    roles = country.roles
    zone_geom = country.admin[country.admin["level"] == "1"].set_index("zone")["geometry_m"]
    agreements = []
    for k, (
        role,
        name,
        atype,
        status,
        signed,
        ended,
        shape,
        process,
        mission_role,
        poc,
        groups,
        sgbv,
        movement,
    ) in enumerate(AGREEMENT_TEMPLATES, start=1):
        place, point = places.next(roles[role])
        if shape == "corridor":
            geom: BaseGeometry = corridor
        elif shape == "line":
            geom = second_corridor
        elif shape == "zone":
            geom = (
                Point(point)
                .buffer(WEAPON_FREE_ZONE_RADIUS_KM * KM, quad_segs=6)
                .intersection(zone_geom[roles[role]])
            )
        else:
            geom = Point(point)
        if shape in ("corridor", "line"):
            place = _end_names(country, geom)
        source = (
            processes[process]
            if process is not None
            else {"parties": "village chiefs of both communities", "process_id": None}
        )
        agreements.append(
            {
                "agreement_id": f"LA-{k:02d}",
                "name": name.format(place=place),
                "agreement_type": atype,
                "status": status,
                "date_signed": signed,
                "date_ended": ended,
                "parties": source["parties"],
                "mission_role": mission_role,
                "field_office": _office_of(offices, geom),
                "process_id": source["process_id"],
                "poc_language": poc,
                "groups_protected": groups,
                "sgbv_provisions": sgbv,
                "freedom_of_movement": movement,
                "geometry": geom,
            }
        )
    return agreements
