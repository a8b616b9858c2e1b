"""Generate the seeded synthetic sample data set for the fictional country Carana.

``python -m sample_data.generate [--out DIR] [--seed N]`` writes every layer of the joint
map plus ``planted_patterns.json``, the ground truth of six patterns planted in the
incidents for the analysis to find (``sample_data/README.md`` tells them in words).
Everything is drawn from one ``numpy.random.default_rng(seed)`` and written by
deterministic writers, so two runs with one seed give byte-identical files.

Geometry is built in metres (UTM zone 31S) and written in WGS84 longitude/latitude
rounded to 5 decimals (about 1 m). Carana is placed over open ocean in the Gulf of Guinea
and every feature a person can see says it is synthetic.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, mapping
from shapely.geometry.base import BaseGeometry

from layers.admin_boundaries import SPEC as ADMIN_SPEC
from layers.basemap import SPEC as BASEMAP_SPEC
from layers.incidents import (
    CONFIDENCES,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    MOTIVATIONS,
    PERPETRATOR_TYPES,
    VICTIM_GROUPS,
)
from layers.incidents import SPEC as INCIDENT_SPEC
from layers.local_agreements import SPEC as AGREEMENT_SPEC
from layers.mission_presence import SPEC as PRESENCE_SPEC
from layers.political_processes import LOCAL_PROCESSES_SPEC, MILESTONES_SPEC

# --- run and output -------------------------------------------------------------------------
SEED = 2022
OUT_DIR = Path(__file__).resolve().parent
FILES = {
    "admin": "admin_boundaries.geojson",
    "basemap": "basemap.geojson",
    "presence": "mission_presence.geojson",
    "milestones": "national_milestones.csv",
    "processes": "local_processes.geojson",
    "agreements": "local_agreements.geojson",
    "incidents": "incidents.csv",
    "patterns": "planted_patterns.json",
}
WGS84 = "EPSG:4326"
METRIC_CRS = "EPSG:32731"  # UTM 31S: the whole box lies in 0-6 E, south of the equator
DECIMALS = 5
GRID_DEGREES = 1e-5
KM = 1000.0

# --- geography ------------------------------------------------------------------------------
LON_RANGE = (0.5, 5.0)
LAT_RANGE = (-5.8, -1.8)  # open ocean; Annobon (5.63 E, 1.43 S) lies outside the box
CENTRE_LONLAT = (2.75, -3.8)
SEMI_AXES_KM = (185.0, 160.0)
N_HARMONICS = 20
WOBBLE_LIMITS = (0.75, 1.22)  # keeps the coast inside the box whatever the seed
N_OUTLINE_VERTICES = 180
COAST_SIMPLIFY_M = 400.0
LAND_MARGIN_M = 200.0  # incidents stay this far inland so rounding never puts them at sea
N_SECTORS = 5  # outer admin1 areas; a sixth, central one holds the capital
CENTRAL_RHO = 0.42  # the central admin1 spans this share of every radius
MAX_SEED_RHO = 0.9
ADMIN2_PER_ADMIN1 = 6
MIN_SEED_SEPARATION_KM = 32.0
N_TOWNS = 14  # the capital and 13 towns
MIN_TOWN_SEPARATION_KM = 55.0
MAX_ROAD_KM = 170.0
N_EXTRA_ROADS = 3  # loops on top of the spanning tree
MINE_DISTANCE_KM = (60.0, 100.0)

COUNTRY_NAME = "Carana (synthetic)"
CAPITAL_NAME = "Sorandi"
RIVER_NAME = "Ouassa river"
MINE_NAME = "Mont Wali gold mine"
ADMIN1_NAMES = ("Bessiri", "Kalondo", "Nyaré", "Oubandi", "Tassanga", "Zamoro")
ADMIN2_NAMES = (
    "Abourou", "Badinga", "Belomé", "Bissara", "Bokanji", "Dalessa", "Dimoura", "Essoka",
    "Fadama", "Gamboli", "Garoussa", "Hobali", "Ilenda", "Kaboula", "Kessara", "Kinomo",
    "Kourandi", "Lassiko", "Lemboura", "Likessa", "Mabounda", "Makoro", "Mandjali", "Missaba",
    "Mobassa", "Nakoudi", "Ndoubi", "Ngoreni", "Ouassika", "Ourandé", "Pobassi", "Saboulé",
    "Sakinda", "Talobo", "Tenkassa", "Yamessi", "Zangoura", "Zoubira",
)
COMPASS = ("East", "North-East", "North", "North-West", "West", "South-West", "South",
           "South-East")
COMPASS_ABBR = ("E", "NE", "N", "NW", "W", "SW", "S", "SE")
SECTOR_ROLES = ("corridor", "mining", "operation", "state_forces")
"""Outer admin1 areas after the protection-gap one, counter-clockwise, each with one pattern."""

# --- time -----------------------------------------------------------------------------------
PERIOD_START = date(2023, 1, 1)
PERIOD_END = date(2025, 12, 31)
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

# --- planted patterns -----------------------------------------------------------------------
CORRIDOR_SIGNED = date(2024, 3, 15)
CORRIDOR_VIOLATED = date(2025, 2, 10)
CORRIDOR_RATES_PER_30_DAYS = (12.0, 3.0, 12.0)  # before signature, in force, after violation
CORRIDOR_SIGMA_KM = 1.5
CORRIDOR_MAX_KM = 4.0
CORRIDOR_BUFFER_KM = 5.0  # the distance the tests and the analysis count "near" at
CORRIDOR_TOWN_CLEARANCE_KM = 12.0
CHECKPOINT_FRACTIONS = (0.12, 0.3, 0.5, 0.7, 0.88)
INCIDENTS_PER_CHECKPOINT = 60
CHECKPOINT_SIGMA_KM = 0.6
CHECKPOINT_RADIUS_KM = 2.0
OPERATION_NAME = "Operation Harmattan Shield"
OPERATION_START = date(2024, 9, 2)
OPERATION_END = date(2024, 11, 20)
OPERATION_RADIUS_KM = 20.0
OPERATION_SIGMA_KM = 9.0
N_OPERATION = 170
STATE_FORCES_SHARE = 0.62
SURGE_MILESTONE_ID = "NM-06"
SURGE_DAYS = 60
SURGE_MULTIPLIER = 2.0
GAP_RADIUS_KM = 8.0
GAP_SIGMA_KM = 3.5
GAP_COAST_MARGIN_KM = 12.0
GAP_MIN_DISTANCE_KM = 40.0
N_GAP = 180

# --- background -----------------------------------------------------------------------------
N_BACKGROUND = 3750
BACKGROUND_MIX = {"town": 0.35, "road": 0.15, "anywhere": 0.50}
TOWN_SIGMA_KM = 12.0
ROAD_SIGMA_KM = 3.0
CAPITAL_WEIGHT = 3.0

# --- incident attributes --------------------------------------------------------------------
PERPETRATOR_WEIGHTS = {
    "state_forces": 0.10, "non_state_armed_group": 0.38, "community_militia": 0.22,
    "criminal": 0.15, "unidentified": 0.15,
}
STATE_ADMIN1_PERPETRATOR_WEIGHTS = {
    "state_forces": STATE_FORCES_SHARE, "non_state_armed_group": 0.15,
    "community_militia": 0.08, "criminal": 0.07, "unidentified": 0.08,
}
MOTIVATION_GIVEN_PERPETRATOR = {
    "state_forces": {"predation": 0.15, "extraction": 0.15, "revenge": 0.02, "collateral": 0.2,
                     "political": 0.18, "punitive": 0.3},
    "non_state_armed_group": {"predation": 0.3, "extraction": 0.2, "revenge": 0.08,
                              "collateral": 0.1, "political": 0.12, "punitive": 0.2},
    "community_militia": {"predation": 0.15, "extraction": 0.03, "revenge": 0.55,
                          "collateral": 0.02, "political": 0.05, "punitive": 0.2},
    "criminal": {"predation": 0.75, "extraction": 0.2, "revenge": 0.03, "punitive": 0.02},
    "unidentified": {"predation": 0.35, "extraction": 0.1, "revenge": 0.2, "collateral": 0.1,
                     "political": 0.1, "punitive": 0.15},
}
TYPE_GIVEN_MOTIVATION = {
    "predation": {"looting_destruction": 0.45, "killing": 0.12, "injury": 0.13, "abduction": 0.1,
                  "sexual_violence": 0.08, "threat": 0.12},
    "extraction": {"threat": 0.4, "looting_destruction": 0.3, "abduction": 0.15, "injury": 0.15},
    "revenge": {"killing": 0.3, "injury": 0.2, "forced_displacement": 0.2,
                "looting_destruction": 0.2, "sexual_violence": 0.1},
    "collateral": {"killing": 0.35, "injury": 0.4, "forced_displacement": 0.2,
                   "attack_on_idp_site": 0.05},
    "political": {"threat": 0.45, "abduction": 0.25, "killing": 0.15, "injury": 0.15},
    "punitive": {"killing": 0.25, "forced_displacement": 0.2, "looting_destruction": 0.2,
                 "sexual_violence": 0.15, "attack_on_idp_site": 0.1, "injury": 0.1},
    "unknown": dict.fromkeys(INCIDENT_TYPES, 1.0),
}
COUNT_RULES = {
    # type: (minimum, Poisson mean) for fatalities, injured, abducted
    "killing": ((1, 1.0), (0, 1.0), (0, 0.0)),
    "injury": ((0, 0.0), (1, 1.5), (0, 0.0)),
    "abduction": ((0, 0.0), (0, 0.2), (1, 1.5)),
    "sexual_violence": ((0, 0.0), (0, 0.3), (0, 0.2)),
    "looting_destruction": ((0, 0.05), (0, 0.3), (0, 0.0)),
    "forced_displacement": ((0, 0.2), (0, 0.4), (0, 0.0)),
    "attack_on_idp_site": ((0, 1.5), (0, 2.5), (0, 0.2)),
    "threat": ((0, 0.0), (0, 0.0), (0, 0.0)),
}
COLLATERAL_COUNT_FACTOR = 1.8  # fighting with heavy weapons harms more people per incident
VICTIM_GROUP_PROBABILITIES = {"women": 0.3, "children": 0.25, "elderly": 0.1, "displaced": 0.12,
                              "disabled": 0.03}
VICTIM_GROUP_OVERRIDES = {
    "sexual_violence": {"women": 0.95, "children": 0.3},
    "forced_displacement": {"displaced": 0.9},
    "attack_on_idp_site": {"displaced": 1.0, "children": 0.5},
}
BACKGROUND_PRECISION = {"exact": 0.55, "approximate": 0.32, "admin2": 0.09, "admin1": 0.04}
PATTERN_PRECISION = {"exact": 0.7, "approximate": 0.3}
BACKGROUND_CONFIDENCE = {"confirmed": 0.25, "probable": 0.45, "possible": 0.3}
PATTERN_CONFIDENCE = {"confirmed": 0.45, "probable": 0.4, "possible": 0.15}
SOURCES = {
    "Human Rights Division (synthetic)": 0.35, "JOC (synthetic)": 0.25,
    "Partner NGO (synthetic)": 0.2, "UNPOL (synthetic)": 0.1,
    "Civil Affairs community alert network (synthetic)": 0.1,
}
GAP_SOURCES = {"Partner NGO (synthetic)": 0.7, "Human Rights Division (synthetic)": 0.3}
RAW_MOTIVATION = {
    # code: (as written in English, as written in French)
    "predation": (("predation", "Predation", "looting for gain", "cattle theft"),
                  ("prédation", "Prédation", "pillage", "vol de bétail")),
    "extraction": (("extraction", "illegal taxation", "extortion"),
                   ("extorsion", "taxation illégale", "racket")),
    "revenge": (("revenge", "Revenge", "reprisal", "retaliation"),
                ("représailles", "Représailles", "vengeance")),
    "collateral": (("collateral", "collateral damage", "crossfire"),
                   ("dommages collatéraux", "tirs croisés")),
    "political": (("political", "political intimidation"),
                  ("politique", "intimidation politique")),
    "punitive": (("punitive", "collective punishment"), ("punition collective", "punitif")),
    "unknown": (("unknown", "to be assessed"), ("inconnu", "à déterminer")),
}
RAW_MISSING_SHARE = 0.06
FRENCH_SHARE_BY_OFFICE = (0.2, 0.65, 0.3, 0.15)  # in SECTOR_ROLES order
STATE_FORCE_NAMES = ("Carana Armed Forces (CAF)", "National Gendarmerie", "Presidential Guard")
ARMED_GROUP_NAMES = (
    "Brigades de l'Ouassa (BO)", "Front uni de la Savane (FUS)",
    "Mouvement pour la renaissance du Nord (MRN)", "Armée de libération de Tessi (ALT)",
    "Rassemblement des forces de l'Est (RFE)", "Union des combattants du fleuve (UCF)",
)  # one per admin1 zone (central first): each region has its dominant group
TYPE_PHRASES = {
    "killing": "Civilians killed", "injury": "Civilians injured",
    "abduction": "Civilians abducted", "sexual_violence": "Sexual violence reported",
    "looting_destruction": "Homes looted and burned",
    "forced_displacement": "Families forced to flee",
    "attack_on_idp_site": "Attack on a displacement site", "threat": "Threats against residents",
}
MOTIVE_PHRASES = {
    "predation": "assailants took cattle, goods and money",
    "extraction": "linked to an illegal levy",
    "revenge": "described as reprisal for an earlier attack",
    "collateral": "civilians caught in fighting between armed actors",
    "political": "victims linked to a local political figure",
    "punitive": "village accused of supporting a rival group",
    "unknown": "motive not yet assessed",
}


@dataclass(frozen=True)
class Profile:
    """How one group of incidents draws its codes (``None``: the background rules)."""

    motivations: dict[str, float] | None
    perpetrators: dict[str, float] | None
    unknown_share: float
    precision: dict[str, float]
    confidence: dict[str, float]
    sources: dict[str, float]


PROFILES = {
    "background": Profile(None, None, 0.12, BACKGROUND_PRECISION, BACKGROUND_CONFIDENCE, SOURCES),
    # armed groups ratchet up pressure before talks: more political and punitive violence
    "surge": Profile({"political": 0.35, "punitive": 0.25, "predation": 0.15, "extraction": 0.1,
                      "revenge": 0.1, "collateral": 0.05}, None, 0.12, BACKGROUND_PRECISION,
                     BACKGROUND_CONFIDENCE, SOURCES),
    "revenge_corridor": Profile({"revenge": 1.0}, {"community_militia": 0.7,
                                "non_state_armed_group": 0.1, "unidentified": 0.2}, 0.0,
                                PATTERN_PRECISION, PATTERN_CONFIDENCE, SOURCES),
    "extraction_checkpoints": Profile({"extraction": 1.0}, {"non_state_armed_group": 0.8,
                                      "criminal": 0.1, "state_forces": 0.1}, 0.0,
                                      PATTERN_PRECISION, PATTERN_CONFIDENCE, SOURCES),
    "collateral_operation": Profile({"collateral": 1.0}, {"state_forces": 0.45,
                                    "non_state_armed_group": 0.4, "unidentified": 0.15}, 0.0,
                                    PATTERN_PRECISION, PATTERN_CONFIDENCE, SOURCES),
    "protection_gap": Profile({"predation": 0.45, "punitive": 0.35, "revenge": 0.1,
                               "political": 0.1}, {"non_state_armed_group": 0.75,
                              "community_militia": 0.15, "unidentified": 0.1}, 0.2,
                              PATTERN_PRECISION, BACKGROUND_CONFIDENCE, GAP_SOURCES),
}

# --- political work and presence ------------------------------------------------------------
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
WEAPON_FREE_ZONE_RADIUS_KM = 8.0
PLACE_JITTER_KM = 3.0
OFFICE_OPENED = ("2019-05-01", "2019-05-01", "2020-02-15", "2021-07-01")


def _check_tables() -> None:
    """Fail at import if a weight table names a code the layers do not know."""
    checks: list[tuple[Any, tuple[str, ...]]] = [
        (PERPETRATOR_WEIGHTS, PERPETRATOR_TYPES),
        (STATE_ADMIN1_PERPETRATOR_WEIGHTS, PERPETRATOR_TYPES),
        (MOTIVATION_GIVEN_PERPETRATOR, PERPETRATOR_TYPES),
        *((table, MOTIVATIONS) for table in MOTIVATION_GIVEN_PERPETRATOR.values()),
        (TYPE_GIVEN_MOTIVATION, MOTIVATIONS),
        *((table, INCIDENT_TYPES) for table in TYPE_GIVEN_MOTIVATION.values()),
        (COUNT_RULES, INCIDENT_TYPES), (VICTIM_GROUP_OVERRIDES, INCIDENT_TYPES),
        (VICTIM_GROUP_PROBABILITIES, VICTIM_GROUPS), (RAW_MOTIVATION, MOTIVATIONS),
    ]
    for profile in PROFILES.values():
        checks += [(profile.motivations or {}, MOTIVATIONS),
                   (profile.perpetrators or {}, PERPETRATOR_TYPES),
                   (profile.precision, LOCATION_PRECISIONS), (profile.confidence, CONFIDENCES)]
    for table, codes in checks:
        if unknown := set(table) - set(codes):
            raise ValueError(f"unknown codes {sorted(unknown)}; the layers accept {codes}")


_check_tables()

_TO_WGS84 = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)
_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)


# === geometry helpers ========================================================================
def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Project a metric geometry to WGS84 and snap it to the 5-decimal grid.

    Parameters
    ----------
    geom : a geometry in :data:`METRIC_CRS`.

    Returns
    -------
    The geometry in longitude/latitude; shared vertices stay shared, so tilings stay tilings.
    """
    projected = shapely.transform(
        geom, lambda xy: np.column_stack(_TO_WGS84.transform(xy[:, 0], xy[:, 1]))
    )
    return shapely.set_precision(projected, GRID_DEGREES)


def lonlat_of(xy: np.ndarray) -> np.ndarray:
    """Metric ``(n, 2)`` coordinates to longitude/latitude rounded to :data:`DECIMALS`."""
    lon, lat = _TO_WGS84.transform(xy[:, 0], xy[:, 1])
    return np.round(np.column_stack([lon, lat]), DECIMALS)


def metric_of(lonlat: np.ndarray) -> np.ndarray:
    """Longitude/latitude ``(n, 2)`` coordinates to metric ones."""
    x, y = _TO_METRIC.transform(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([x, y])


def _wiggly_line(rng: np.random.Generator, start: np.ndarray, end: np.ndarray, n_inner: int,
                 jitter_share: float) -> LineString:
    """A line from ``start`` to ``end`` whose inner vertices wander sideways, like a track."""
    t = np.linspace(0.0, 1.0, n_inner + 2)
    points = start + t[:, None] * (end - start)
    length = float(np.hypot(*(end - start)))
    normal = np.array([start[1] - end[1], end[0] - start[0]]) / length
    offsets = rng.normal(0.0, jitter_share * length, n_inner + 2)
    offsets[[0, -1]] = 0.0
    return LineString(points + offsets[:, None] * normal)


def _grid_inside(geom: BaseGeometry, step: float) -> np.ndarray:
    """Points of a regular grid that fall inside ``geom``, as an ``(n, 2)`` array."""
    minx, miny, maxx, maxy = geom.bounds
    xs, ys = np.meshgrid(np.arange(minx, maxx, step), np.arange(miny, maxy, step))
    points = np.column_stack([xs.ravel(), ys.ravel()])
    return points[shapely.contains_xy(geom, points[:, 0], points[:, 1])]


def _longest_line(geom: BaseGeometry) -> LineString:
    parts = getattr(geom, "geoms", [geom])
    return max(parts, key=lambda part: part.length)


# === the country =============================================================================
@dataclass(frozen=True)
class Outline:
    """A star-shaped coast: an ellipse whose radius wobbles with a few harmonics.

    Zones split the country for the admin1 areas: zone 0 is the centre (radius share below
    :data:`CENTRAL_RHO`), zones 1..N_SECTORS are angular sectors beyond it.
    """

    centre: np.ndarray
    amplitudes: np.ndarray
    phases: np.ndarray
    sector_start: float

    def radius(self, theta: np.ndarray) -> np.ndarray:
        """Distance from the centre to the coast at each angle, in metres."""
        theta = np.atleast_1d(np.asarray(theta, dtype=float))
        a, b = (axis * KM for axis in SEMI_AXES_KM)
        ellipse = a * b / np.hypot(b * np.cos(theta), a * np.sin(theta))
        k = np.arange(2, 2 + len(self.amplitudes))[:, None]
        wobble = 1 + np.sum(self.amplitudes[:, None] * np.cos(k * theta + self.phases[:, None]),
                            axis=0)
        return ellipse * np.clip(wobble, *WOBBLE_LIMITS)

    def at(self, theta: np.ndarray, rho: np.ndarray) -> np.ndarray:
        """Points at angles ``theta`` and radius shares ``rho``, as an ``(n, 2)`` array."""
        theta = np.atleast_1d(np.asarray(theta, dtype=float))
        r = np.atleast_1d(rho) * self.radius(theta)
        return self.centre + np.column_stack([r * np.cos(theta), r * np.sin(theta)])

    def sector_mid(self, zone: int) -> float:
        """The middle angle of an outer zone."""
        return self.sector_start + (zone - 0.5) * 2 * np.pi / N_SECTORS

    def draw(self, rng: np.random.Generator, zone: int, n: int) -> np.ndarray:
        """``n`` random points inside ``zone`` (away from the coast)."""
        u = rng.uniform(size=n)
        if zone == 0:
            theta = rng.uniform(0.0, 2 * np.pi, n)
            return self.at(theta, CENTRAL_RHO * np.sqrt(u))
        width = 2 * np.pi / N_SECTORS
        theta = self.sector_start + (zone - 1 + rng.uniform(size=n)) * width
        rho = np.sqrt(CENTRAL_RHO**2 + u * (MAX_SEED_RHO**2 - CENTRAL_RHO**2))
        return self.at(theta, rho)

    def polygon(self) -> BaseGeometry:
        """The coast as a polygon in metres."""
        theta = np.linspace(0.0, 2 * np.pi, N_OUTLINE_VERTICES, endpoint=False)
        return shapely.Polygon(self.at(theta, 1.0)).simplify(COAST_SIMPLIFY_M)


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


def _draw_outline(rng: np.random.Generator) -> Outline:
    k = np.arange(2, 2 + N_HARMONICS)
    centre = metric_of(np.array([CENTRE_LONLAT]))[0]
    return Outline(
        centre=centre,
        amplitudes=rng.uniform(0.3, 1.0, N_HARMONICS) * 0.25 / k**1.4,
        phases=rng.uniform(0.0, 2 * np.pi, N_HARMONICS),
        sector_start=float(rng.uniform(0.0, 2 * np.pi)),
    )


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


def _choose_towns(rng: np.random.Generator, outline: Outline, seeds: np.ndarray,
                  zones: np.ndarray) -> list[int]:
    """Seed indices of the towns: each zone's main town first (zone order), then others."""
    chosen = []
    for zone in range(N_SECTORS + 1):
        target = outline.centre if zone == 0 else outline.at(outline.sector_mid(zone), 0.65)[0]
        members = np.flatnonzero(zones == zone)
        chosen.append(int(members[np.argmin(np.hypot(*(seeds[members] - target).T))]))
    order = rng.permutation(len(seeds))
    for separation in (MIN_TOWN_SEPARATION_KM * KM, 0.75 * MIN_TOWN_SEPARATION_KM * KM):
        for idx in order:
            if len(chosen) < N_TOWNS and idx not in chosen and (
                np.min(np.hypot(*(seeds[chosen] - seeds[idx]).T)) >= separation
            ):
                chosen.append(int(idx))
    return chosen


def _admin_table(seeds: np.ndarray, zones: np.ndarray, cells: list[BaseGeometry],
                 capital: int) -> pd.DataFrame:
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
        rows.append({"admin_id": pcode, "name": ADMIN1_NAMES[i - 1], "level": "1",
                     "parent_id": None, "seed": None, **area})
        members = sorted(np.flatnonzero(zones == area["zone"]),
                         key=lambda j: north_west_first(admin2_wgs[j]))
        for k, j in enumerate(members, start=1):
            rows.append({"admin_id": f"{pcode}{k:02d}",
                         "name": CAPITAL_NAME if j == capital else next(names), "level": "2",
                         "parent_id": pcode, "seed": seeds[j], "zone": area["zone"],
                         "geometry": admin2_wgs[j], "geometry_m": cells[j], "seed_index": j})
    return pd.DataFrame(rows)


def _pick_roles(admin: pd.DataFrame, land_m: BaseGeometry) -> tuple[dict[str, int], np.ndarray,
                                                                       float]:
    """Make the remotest outer admin1 the protection gap; give the others a pattern each.

    Returns the roles, the hot spot (the gap's point farthest from every other admin1,
    :data:`GAP_COAST_MARGIN_KM` inland) and its distance to the other admin1 areas.
    """
    level1 = admin[admin["level"] == "1"].set_index("zone")["geometry_m"]
    inland = land_m.buffer(-GAP_COAST_MARGIN_KM * KM)
    best: tuple[float, int, np.ndarray] | None = None
    for zone in range(1, N_SECTORS + 1):
        others = shapely.union_all(level1.drop(zone).to_numpy())
        points = _grid_inside(level1[zone].intersection(inland), 2 * KM)
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


def _roads(rng: np.random.Generator, towns: pd.DataFrame,
           inland: BaseGeometry) -> list[tuple[str, LineString]]:
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

    tree, extra = [], []
    for length, i, j, line in candidates:
        if root(i) != root(j):
            parent[root(i)] = root(j)
            tree.append((i, j, line))
        elif len(extra) < N_EXTRA_ROADS and length > 60 * KM:  # a loop, not a shortcut
            extra.append((i, j, line))
    names = towns["name"].tolist()
    return [(f"RN{k} {names[i]}-{names[j]}", line)
            for k, (i, j, line) in enumerate(tree + extra, start=1)]


def _mining_road(rng: np.random.Generator, outline: Outline, zone: int, start: np.ndarray,
                 zone_m: BaseGeometry, inland: BaseGeometry) -> tuple[LineString, np.ndarray]:
    """A track from the mining zone's main town to a mine deep in the same zone."""
    low, high = (d * KM for d in MINE_DISTANCE_KM)
    for mine in outline.draw(rng, zone, 2000):
        if low <= np.hypot(*(mine - start)) <= high and zone_m.contains(Point(mine)):
            road = _wiggly_line(rng, start, mine, 5, 0.04)
            if inland.contains(road):
                return road, mine
    raise ValueError("could not lay a mining road inside the mining zone")


def _corridor_line(rng: np.random.Generator, outline: Outline, zone: int,
                   zone_m: BaseGeometry, towns: np.ndarray, rho: tuple[float, float],
                   margin_km: float) -> LineString:
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


def _river(rng: np.random.Generator, outline: Outline, land_m: BaseGeometry) -> LineString:
    theta = rng.uniform(0.0, 2 * np.pi)
    start, mouth = outline.at(theta, 0.15)[0], outline.at(theta + 0.5, 1.3)[0]
    return _longest_line(_wiggly_line(rng, start, mouth, 12, 0.03).intersection(land_m))


def build_country(rng: np.random.Generator) -> Country:
    """Draw Carana: coast, admin areas, towns, roads, river and the pattern roles.

    Parameters
    ----------
    rng : the run's only source of randomness.

    Returns
    -------
    The :class:`Country`.
    """
    outline = _draw_outline(rng)
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
    towns = pd.DataFrame({
        "name": [name_of[i] for i in town_idx], "x": seeds[town_idx, 0],
        "y": seeds[town_idx, 1], "zone": zones[town_idx],
        "capital": [i == town_idx[0] for i in town_idx],
    })
    roles, hot_spot, distance = _pick_roles(admin, land_m)
    inland = land_m.buffer(-1 * KM)
    roads = _roads(rng, towns, inland)
    mining = roles["mining"]
    zone_m = level1.set_index("zone")["geometry_m"][mining]
    start = towns[towns["zone"] == mining][["x", "y"]].to_numpy()[0]
    mining_road, mine = _mining_road(rng, outline, mining, start, zone_m, inland)
    return Country(outline, land_m, land, admin, towns, roles, roads, mining_road, mine,
                   _river(rng, outline, land_m), hot_spot, distance)


# === political work, agreements and presence =================================================
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


def _offices(country: Country) -> pd.DataFrame:
    """Four field offices, one per patterned sector; the central admin1 joins the last one."""
    rows = []
    for k, role in enumerate(SECTOR_ROLES):
        zone = country.roles[role]
        zones = [zone, 0] if role == SECTOR_ROLES[-1] else [zone]
        direction = round(country.outline.sector_mid(zone) / (np.pi / 4)) % 8
        town = country.main_town(zone)
        rows.append({
            "name": f"Field Office {COMPASS[direction]}", "abbr": COMPASS_ABBR[direction],
            "role": role, "zones": zones, "town": town["name"], "x": town["x"], "y": town["y"],
            "aor": shapely.union_all([country.admin1(z)["geometry"] for z in zones],
                                     grid_size=GRID_DEGREES),
            "opened": OFFICE_OPENED[k], "french_share": FRENCH_SHARE_BY_OFFICE[k],
        })
    return pd.DataFrame(rows)


def office_for(offices: pd.DataFrame, lonlat: np.ndarray) -> np.ndarray:
    """The office whose area of responsibility holds each point, else the nearest office.

    Parameters
    ----------
    offices : the table from :func:`_offices`.
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
        nearest = np.argmin(np.hypot(xy[:, None, 0] - office_xy[None, :, 0],
                                     xy[:, None, 1] - office_xy[None, :, 1]), axis=1)
        result[uncovered] = offices["name"].to_numpy()[nearest]
    return result


class _Places:
    """Hands out admin2 seed points of a zone in turn, jittered so features do not stack."""

    def __init__(self, rng: np.random.Generator, country: Country) -> None:
        self.rng = rng
        self.country = country
        self.used: dict[int, int] = {}

    def next(self, zone: int) -> tuple[str, np.ndarray]:
        areas = self.country.admin[(self.country.admin["level"] == "2")
                                   & (self.country.admin["zone"] == zone)]
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


def build_features(rng: np.random.Generator, country: Country) -> Features:
    """Place field offices, bases, local processes, local agreements and pattern sites.

    Parameters
    ----------
    rng : the run's only source of randomness.
    country : from :func:`build_country`.

    Returns
    -------
    The :class:`Features`; processes and agreements sit only in covered admin1 areas.
    """
    roles = country.roles
    offices = _offices(country)
    places = _Places(rng, country)
    zone_geom = country.admin[country.admin["level"] == "1"].set_index("zone")["geometry_m"]
    towns = country.towns[["x", "y"]].to_numpy()
    corridor = _corridor_line(rng, country.outline, roles["corridor"],
                              zone_geom[roles["corridor"]], towns, (0.5, 0.92), 3.0)
    second_corridor = _corridor_line(rng, country.outline, roles["operation"],
                                     zone_geom[roles["operation"]], towns, (0.5, 0.8), 2.0)
    operation_zone = zone_geom[roles["operation"]].intersection(country.land_m)
    candidates = _grid_inside(operation_zone, 3 * KM)
    depth = shapely.distance(shapely.points(candidates), operation_zone.boundary)
    op_centre = candidates[int(np.argmax(depth))]
    operation_area = Point(op_centre).buffer(OPERATION_RADIUS_KM * KM, quad_segs=8).intersection(
        country.land_m)
    checkpoints = np.array([country.mining_road.interpolate(f, normalized=True).coords[0]
                            for f in CHECKPOINT_FRACTIONS])

    def office_of(geom: BaseGeometry) -> str:
        point = to_wgs84(geom.representative_point())
        return str(office_for(offices, np.array([point.coords[0]]))[0])

    processes = []
    for k, (role, name, ptype, status, start, end, linked, parties) in enumerate(
            PROCESS_TEMPLATES, start=1):
        place, point = places.next(roles[role])
        processes.append({
            "process_id": f"LP-{k:02d}", "name": name.format(place=place), "process_type": ptype,
            "status": status, "field_office": office_of(Point(point)), "start_date": start,
            "end_date": end, "linked_to_national": linked, "parties": parties,
            "geometry": Point(point),
        })

    agreements = []
    for k, (role, name, atype, status, signed, ended, shape, process, mission_role, poc, groups,
            sgbv, movement) in enumerate(AGREEMENT_TEMPLATES, start=1):
        place, point = places.next(roles[role])
        if shape == "corridor":
            geom: BaseGeometry = corridor
        elif shape == "line":
            geom = second_corridor
        elif shape == "zone":
            geom = Point(point).buffer(WEAPON_FREE_ZONE_RADIUS_KM * KM, quad_segs=6).intersection(
                zone_geom[roles[role]])
        else:
            geom = Point(point)
        if shape in ("corridor", "line"):
            place = _end_names(country, geom)
        source = processes[process] if process is not None else {
            "parties": "village chiefs of both communities", "process_id": None}
        agreements.append({
            "agreement_id": f"LA-{k:02d}", "name": name.format(place=place),
            "agreement_type": atype, "status": status, "date_signed": signed,
            "date_ended": ended, "parties": source["parties"], "mission_role": mission_role,
            "field_office": office_of(geom), "process_id": source["process_id"],
            "poc_language": poc, "groups_protected": groups, "sgbv_provisions": sgbv,
            "freedom_of_movement": movement, "geometry": geom,
        })

    presence = _presence(rng, country, offices, op_centre, corridor)
    return Features(offices, presence, processes, agreements, corridor, operation_area,
                    checkpoints)


def _presence(rng: np.random.Generator, country: Country, offices: pd.DataFrame,
              op_centre: np.ndarray, corridor: LineString) -> list[dict[str, Any]]:
    """Areas of responsibility, field offices, bases and two temporary operating bases."""
    rows: list[dict[str, Any]] = []
    n_bases = 0
    for office in offices.itertuples():
        common = {"field_office": office.name, "opened": office.opened, "closed": None}
        rows.append({"presence_id": f"AOR-{office.abbr}", "name": f"AOR {office.name}",
                     "kind": "area_of_responsibility", **common, "geometry_wgs": office.aor})
        town_xy = np.array([office.x, office.y])
        rows.append({"presence_id": f"FO-{office.abbr}", "name": f"{office.name} ({office.town})",
                     "kind": "field_office", **common, "geometry": Point(town_xy)})
        n_bases += 1
        rows.append({"presence_id": f"BASE-{n_bases:02d}", "name": f"{office.town} battalion base",
                     "kind": "base", **common, "geometry": Point(town_xy)})
        # a company base at the admin2 seat farthest from the office: presence spreads out
        areas = country.admin[(country.admin["level"] == "2")
                              & country.admin["zone"].isin(office.zones)]
        far = areas.iloc[int(np.argmax([np.hypot(*(s - town_xy)) for s in areas["seed"]]))]
        n_bases += 1
        rows.append({"presence_id": f"BASE-{n_bases:02d}", "name": f"{far['name']} company base",
                     "kind": "base", **common, "geometry": Point(far["seed"])})
    tobs = (
        (op_centre + rng.normal(0.0, 3 * KM, 2), f"{OPERATION_NAME} forward base",
         (OPERATION_START - timedelta(days=10)).isoformat(),
         (OPERATION_END + timedelta(days=30)).isoformat()),
        (np.array(corridor.interpolate(0.5, normalized=True).coords[0]),
         "Corridor monitoring base", "2025-03-01", None),
    )
    for k, (xy, name, opened, closed) in enumerate(tobs, start=1):
        lonlat = lonlat_of(np.array([xy]))
        rows.append({"presence_id": f"TOB-{k:02d}", "name": name,
                     "kind": "temporary_operating_base",
                     "field_office": str(office_for(offices, lonlat)[0]), "opened": opened,
                     "closed": closed, "geometry": Point(xy)})
    return rows


# === incidents ===============================================================================
def _sample(rng: np.random.Generator, n: int, draw: Callable[[int], np.ndarray],
            accept: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``n`` points from ``draw`` that pass ``accept`` (rejection sampling)."""
    kept = np.empty((0, 2))
    while len(kept) < n:
        batch = draw(max(2 * (n - len(kept)), 16))
        kept = np.vstack([kept, batch[accept(batch)]])
    return kept[:n]


def _near(rng: np.random.Generator, centres: np.ndarray, weights: np.ndarray,
          sigma_km: float) -> Callable[[int], np.ndarray]:
    def draw(n: int) -> np.ndarray:
        idx = rng.choice(len(centres), size=n, p=weights / weights.sum())
        return centres[idx] + rng.normal(0.0, sigma_km * KM, (n, 2))
    return draw


def _along(rng: np.random.Generator, lines: Sequence[LineString],
           sigma_km: float) -> Callable[[int], np.ndarray]:
    lengths = np.array([line.length for line in lines])
    geoms = np.empty(len(lines), dtype=object)
    geoms[:] = list(lines)

    def draw(n: int) -> np.ndarray:
        idx = rng.choice(len(lines), size=n, p=lengths / lengths.sum())
        where = shapely.line_interpolate_point(geoms[idx],
                                               rng.uniform(size=n), normalized=True)
        return shapely.get_coordinates(where) + rng.normal(0.0, sigma_km * KM, (n, 2))
    return draw


def _group(xy: np.ndarray, days: np.ndarray, pattern: str, detail: Any = None) -> pd.DataFrame:
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "day": days, "pattern": pattern,
                         "detail": detail})


def _day(d: date) -> int:
    return (d - PERIOD_START).days


def _locate_incidents(rng: np.random.Generator, country: Country,
                      features: Features) -> pd.DataFrame:
    """Where and when every incident happened, with the pattern it belongs to."""
    inland = country.land_m.buffer(-LAND_MARGIN_M)

    def on_land(xy: np.ndarray) -> np.ndarray:
        return shapely.contains_xy(inland, xy[:, 0], xy[:, 1])

    def within(centre: np.ndarray, radius_km: float) -> Callable[[np.ndarray], np.ndarray]:
        return lambda xy: on_land(xy) & (np.hypot(*(xy - centre).T) <= radius_km * KM)

    n_days = _day(PERIOD_END) + 1
    groups = []
    # background: near towns, along roads and anywhere, in fixed proportions
    towns = country.towns
    weights = np.where(towns["capital"], CAPITAL_WEIGHT, 1.0)
    minx, miny, maxx, maxy = country.land_m.bounds
    draws = {
        "town": _near(rng, towns[["x", "y"]].to_numpy(), weights, TOWN_SIGMA_KM),
        "road": _along(rng, [line for _, line in country.roads], ROAD_SIGMA_KM),
        "anywhere": lambda n: np.column_stack([rng.uniform(minx, maxx, n),
                                               rng.uniform(miny, maxy, n)]),
    }
    for kind, share in BACKGROUND_MIX.items():
        n = round(N_BACKGROUND * share)
        xy = _sample(rng, n, draws[kind], on_land)
        groups.append(_group(xy, rng.integers(0, n_days, n), "background"))
    # 5: the surge before the planted negotiation round doubles the background rate
    milestone = _day(date.fromisoformat(_milestone_date(SURGE_MILESTONE_ID)))
    n_surge = round(N_BACKGROUND / n_days * SURGE_DAYS * (SURGE_MULTIPLIER - 1))
    mix = rng.choice(list(BACKGROUND_MIX), size=n_surge, p=list(BACKGROUND_MIX.values()))
    for kind in BACKGROUND_MIX:
        n = int(np.sum(mix == kind))
        xy = _sample(rng, n, draws[kind], on_land)
        groups.append(_group(xy, rng.integers(milestone - SURGE_DAYS, milestone, n), "surge"))
    # 1: revenge along the corridor, falling while the agreement holds
    corridor = features.corridor

    def near_corridor(xy: np.ndarray) -> np.ndarray:
        return on_land(xy) & (shapely.distance(shapely.points(xy), corridor)
                              <= CORRIDOR_MAX_KM * KM)

    bounds = (0, _day(CORRIDOR_SIGNED), _day(CORRIDOR_VIOLATED), n_days)
    for (lo, hi), rate in zip(pairwise(bounds), CORRIDOR_RATES_PER_30_DAYS, strict=True):
        n = round(rate * (hi - lo) / 30)
        xy = _sample(rng, n, _along(rng, [corridor], CORRIDOR_SIGMA_KM), near_corridor)
        groups.append(_group(xy, rng.integers(lo, hi, n), "revenge_corridor"))
    # 2: extraction at the checkpoints of the mining road, all period long
    for k, checkpoint in enumerate(features.checkpoints, start=1):
        xy = _sample(rng, INCIDENTS_PER_CHECKPOINT,
                     _near(rng, checkpoint[None, :], np.ones(1), CHECKPOINT_SIGMA_KM),
                     within(checkpoint, CHECKPOINT_RADIUS_KM))
        groups.append(_group(xy, rng.integers(0, n_days, INCIDENTS_PER_CHECKPOINT),
                             "extraction_checkpoints", f"CP{k}"))
    # 3: collateral harm in the operation's area and window
    area = features.operation_area
    centre = np.array(area.centroid.coords[0])
    xy = _sample(rng, N_OPERATION, _near(rng, centre[None, :], np.ones(1), OPERATION_SIGMA_KM),
                 lambda xy: on_land(xy) & shapely.contains_xy(area, xy[:, 0], xy[:, 1]))
    groups.append(_group(xy, rng.integers(_day(OPERATION_START), _day(OPERATION_END) + 1,
                                          N_OPERATION), "collateral_operation"))
    # 6: the hot spot nobody works on
    xy = _sample(rng, N_GAP, _near(rng, country.hot_spot[None, :], np.ones(1), GAP_SIGMA_KM),
                 within(country.hot_spot, GAP_RADIUS_KM))
    groups.append(_group(xy, rng.integers(0, n_days, N_GAP), "protection_gap"))
    return pd.concat(groups, ignore_index=True)


def _milestone_date(milestone_id: str) -> str:
    return MILESTONES[int(milestone_id.split("-")[1]) - 1][0]


def _draw_codes(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return rng.choice(np.array(keys, dtype=object), size=n, p=p / p.sum())


def _draw_conditional(rng: np.random.Generator, given: np.ndarray, order: Sequence[str],
                      table: dict[str, dict[str, float]]) -> np.ndarray:
    """One code per row drawn from ``table[given value]``, subsets in a fixed order."""
    out = np.empty(len(given), dtype=object)
    for value in order:
        rows = np.flatnonzero(given == value)
        if len(rows):
            out[rows] = _draw_codes(rng, table[value], len(rows))
    return out


def _join_admin(country: Country, lonlat: np.ndarray) -> np.ndarray:
    """Row position in ``country.admin`` of the admin2 area holding each point."""
    level2 = country.admin[country.admin["level"] == "2"]
    tree = shapely.STRtree(level2["geometry"].to_numpy())
    points, areas = tree.query(shapely.points(lonlat), predicate="intersects")
    first = pd.Series(areas).groupby(points).min()  # a point on a shared edge: lowest P-code
    if len(first) != len(lonlat):
        raise ValueError("an incident fell outside every admin2 area")
    return level2.index.to_numpy()[first.sort_index().to_numpy()]


def _place_and_code(rng: np.random.Generator, country: Country, offices: pd.DataFrame,
                    located: pd.DataFrame) -> pd.DataFrame:
    """Coordinates, admin areas, precision, perpetrators and motivations of every incident."""
    frame = located.copy()
    lonlat = lonlat_of(frame[["x", "y"]].to_numpy())
    admin = country.admin
    area_rows = _join_admin(country, lonlat)
    frame["admin2"] = admin.loc[area_rows, "name"].to_numpy()
    frame["zone"] = admin.loc[area_rows, "zone"].to_numpy()
    level1 = admin[admin["level"] == "1"].set_index("zone")
    frame["admin1"] = frame["zone"].map(level1["name"])
    frame["location_precision"] = None
    for pattern, profile in PROFILES.items():
        rows = np.flatnonzero(frame["pattern"] == pattern)
        frame.loc[rows, "location_precision"] = _draw_codes(rng, profile.precision, len(rows))
    # a vague location is reported at the seat of the area it names
    seats = admin.loc[area_rows, "seed"].to_numpy()
    vague2 = np.flatnonzero(frame["location_precision"] == "admin2")
    if len(vague2):
        lonlat[vague2] = lonlat_of(np.stack(seats[vague2]))
    vague1 = np.flatnonzero(frame["location_precision"] == "admin1")
    main_towns = country.towns.drop_duplicates("zone").set_index("zone")
    if len(vague1):
        towns_xy = main_towns.loc[frame["zone"].to_numpy()[vague1], ["x", "y"]].to_numpy()
        lonlat[vague1] = lonlat_of(towns_xy)
    frame.loc[vague1, "admin2"] = None
    frame["longitude"], frame["latitude"] = lonlat[:, 0], lonlat[:, 1]
    frame["field_office"] = office_for(offices, lonlat)

    frame["perpetrator_type"] = None
    frame["motivation"] = None
    state_zone = country.roles["state_forces"]
    for pattern, profile in PROFILES.items():
        rows = np.flatnonzero(frame["pattern"] == pattern)
        if profile.perpetrators is None:
            in_state = frame["zone"].to_numpy()[rows] == state_zone
            for mask, weights in ((in_state, STATE_ADMIN1_PERPETRATOR_WEIGHTS),
                                  (~in_state, PERPETRATOR_WEIGHTS)):
                frame.loc[rows[mask], "perpetrator_type"] = _draw_codes(rng, weights, mask.sum())
        else:
            frame.loc[rows, "perpetrator_type"] = _draw_codes(rng, profile.perpetrators,
                                                              len(rows))
        if profile.motivations is None:
            motivation = _draw_conditional(rng, frame["perpetrator_type"].to_numpy()[rows],
                                           PERPETRATOR_TYPES, MOTIVATION_GIVEN_PERPETRATOR)
        else:
            motivation = _draw_codes(rng, profile.motivations, len(rows))
        motivation[rng.uniform(size=len(rows)) < profile.unknown_share] = "unknown"
        frame.loc[rows, "motivation"] = motivation
        frame.loc[rows, "motivation_confidence"] = np.where(
            motivation == "unknown", None, _draw_codes(rng, profile.confidence, len(rows)))
        frame.loc[rows, "source"] = _draw_codes(rng, profile.sources, len(rows))
    return frame


def _describe(rng: np.random.Generator, offices: pd.DataFrame, frame: pd.DataFrame,
              corridor_name: str) -> pd.DataFrame:
    """Incident types, victims, raw motivations, perpetrator names and narratives."""
    n = len(frame)
    motivation = frame["motivation"].to_numpy()
    itype = _draw_conditional(rng, motivation, MOTIVATIONS, TYPE_GIVEN_MOTIVATION)
    frame["incident_type"] = itype
    factor = np.where(motivation == "collateral", COLLATERAL_COUNT_FACTOR, 1.0)
    for position, column in enumerate(("fatalities", "injured", "abducted")):
        minimum = np.array([COUNT_RULES[t][position][0] for t in itype])
        mean = np.array([COUNT_RULES[t][position][1] for t in itype]) * factor
        frame[column] = minimum + rng.poisson(mean)
    probabilities = np.array([[VICTIM_GROUP_OVERRIDES.get(t, {}).get(g, p)
                               for g, p in VICTIM_GROUP_PROBABILITIES.items()] for t in itype])
    hit = rng.uniform(size=probabilities.shape) < probabilities
    groups = [";".join(g for g, h in zip(VICTIM_GROUPS, row, strict=True) if h) for row in hit]
    frame["victim_groups"] = [g or None for g in groups]

    french = rng.uniform(size=n) < frame["field_office"].map(
        offices.set_index("name")["french_share"]).to_numpy()
    pick = rng.uniform(size=n)
    raw = []
    for code, fr, u in zip(motivation, french, pick, strict=True):
        variants = RAW_MOTIVATION[code][int(fr)]
        raw.append(variants[int(u * len(variants))])
    frame["motivation_raw"] = np.where(rng.uniform(size=n) < RAW_MISSING_SHARE, None, raw)

    frame["perpetrator_name"] = _perpetrator_names(rng, frame)
    place = frame["admin2"].fillna(frame["admin1"]).to_numpy()
    where = np.array([f"near {p}" for p in place], dtype=object)
    pattern = frame["pattern"].to_numpy()
    where[pattern == "revenge_corridor"] = f"along the {corridor_name}"
    at_cp = pattern == "extraction_checkpoints"
    where[at_cp] = [f"at checkpoint {d} on the road to {MINE_NAME}" for d in frame["detail"][at_cp]]
    at_op = pattern == "collateral_operation"
    where[at_op] = [f"near {p} during {OPERATION_NAME}" for p in place[at_op]]
    frame["narrative"] = [f"[SYNTHETIC] {TYPE_PHRASES[t]} {w}; {MOTIVE_PHRASES[m]}."
                          for t, w, m in zip(itype, where, motivation, strict=True)]
    return frame


def _perpetrator_names(rng: np.random.Generator, frame: pd.DataFrame) -> list[str | None]:
    """A plausible name for most perpetrators; unidentified ones stay unnamed."""
    u, pick = rng.uniform(size=len(frame)), rng.uniform(size=len(frame))
    names: list[str | None] = []
    for kind, zone, admin2, admin1, a, b in zip(
            frame["perpetrator_type"], frame["zone"], frame["admin2"], frame["admin1"], u, pick,
            strict=True):
        if kind == "state_forces":
            names.append(STATE_FORCE_NAMES[int(b * len(STATE_FORCE_NAMES))] if a < 0.9 else None)
        elif kind == "non_state_armed_group":
            local = ARMED_GROUP_NAMES[zone]  # each region has its dominant group
            other = ARMED_GROUP_NAMES[int(b * len(ARMED_GROUP_NAMES))]
            names.append(local if a < 0.75 else other if a < 0.9 else None)
        elif kind == "community_militia":
            place = admin1 if pd.isna(admin2) else admin2
            names.append(f"{place} self-defence group" if a < 0.6 else None)
        elif kind == "criminal":
            names.append("Highway bandits" if a < 0.4 else None)
        else:
            names.append(None)
    return names


def build_incidents(rng: np.random.Generator, country: Country,
                    features: Features) -> pd.DataFrame:
    """About 5,000 incidents: background plus the six planted patterns.

    Parameters
    ----------
    rng : the run's only source of randomness.
    country, features : from :func:`build_country` and :func:`build_features`.

    Returns
    -------
    One row per incident with the incidents SPEC columns, ``longitude``, ``latitude`` and
    ``pattern`` (the planted pattern it belongs to, or ``background``), sorted by date.
    """
    located = _locate_incidents(rng, country, features)
    frame = _place_and_code(rng, country, features.offices, located)
    frame = _describe(rng, features.offices, frame, features.agreements[0]["name"])
    frame["date"] = [(PERIOD_START + timedelta(days=int(d))).isoformat() for d in frame["day"]]
    frame = frame.sort_values(["date", "longitude", "latitude", "pattern"], kind="stable")
    frame["incident_id"] = [f"INC-{i:06d}" for i in range(1, len(frame) + 1)]
    return frame.reset_index(drop=True)


# === writers =================================================================================
def _round_coordinates(coords: Any) -> Any:
    if len(coords) and isinstance(coords[0], float | int):
        return [round(float(v), DECIMALS) for v in coords]
    return [_round_coordinates(part) for part in coords]


def _json_value(value: Any) -> Any:
    """Missing values (None, NaN, NA) as JSON null; numpy scalars as Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """A GeoJSON geometry with coordinates rounded to :data:`DECIMALS`.

    Exterior rings run counter-clockwise, as RFC 7946 asks.
    """
    mapped = mapping(shapely.orient_polygons(geom))
    return {"type": mapped["type"], "coordinates": _round_coordinates(mapped["coordinates"])}


def write_geojson(path: Path, name: str, columns: Sequence[str],
                  records: Sequence[dict[str, Any]]) -> None:
    """Write WGS84 features, one per line, properties in ``columns`` order.

    Parameters
    ----------
    path : the file to write.
    name : the collection's name.
    columns : the property names (a layer SPEC's columns).
    records : dicts with those keys plus ``geometry_wgs`` (already WGS84) or ``geometry``
        (metric, projected here).
    """
    lines = []
    for record in records:
        geom = record["geometry_wgs"] if "geometry_wgs" in record else to_wgs84(record["geometry"])
        properties = {c: _json_value(record[c]) for c in columns}
        feature = {"type": "Feature", "properties": properties,
                   "geometry": geojson_geometry(geom)}
        lines.append(json.dumps(feature, ensure_ascii=False))
    header = json.dumps({"type": "FeatureCollection", "name": name})[:-1]
    path.write_text(header + ', "features": [\n' + ",\n".join(lines) + "\n]}\n",
                    encoding="utf-8")


def pretty_json(value: Any, depth: int = 0) -> str:
    """JSON with one key per line but lists of plain values (ids, coordinates) on one line."""
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {pretty_json(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        items = [pad + pretty_json(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    return json.dumps(value, ensure_ascii=False)


def _basemap_records(country: Country) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {"name": COUNTRY_NAME, "kind": "land", "geometry_wgs": country.land}]
    for town in country.towns.itertuples():
        records.append({"name": town.name, "kind": "capital" if town.capital else "town",
                        "geometry": Point(town.x, town.y)})
    records += [{"name": name, "kind": "road", "geometry": line} for name, line in country.roads]
    records.append({"name": f"Mining road to {MINE_NAME}", "kind": "mining_road",
                    "geometry": country.mining_road})
    records.append({"name": RIVER_NAME, "kind": "river", "geometry": country.river})
    return records


def _point_json(xy: np.ndarray) -> dict[str, float]:
    lon, lat = lonlat_of(np.array([xy]))[0]
    return {"longitude": float(lon), "latitude": float(lat)}


def _planted(country: Country, features: Features, incidents: pd.DataFrame,
             seed: int) -> dict[str, Any]:
    """The ground truth of every planted pattern, for tests and analysis checks."""
    ids = incidents.groupby("pattern")["incident_id"].apply(list)
    corridor = features.agreements[0]
    state = country.admin1(country.roles["state_forces"])
    gap = country.admin1(country.roles["gap"])
    surge_date = date.fromisoformat(_milestone_date(SURGE_MILESTONE_ID))
    return {
        "seed": seed,
        "crs": WGS84,
        "period": {"start": PERIOD_START.isoformat(), "end": PERIOD_END.isoformat()},
        "field_office_rule": "field_office is the office whose area of responsibility holds "
                             "the incident; in the uncovered admin1 it is the nearest office",
        "revenge_corridor": {
            "agreement_id": corridor["agreement_id"], "name": corridor["name"],
            "admin1": country.admin1(country.roles["corridor"])["name"],
            "geometry": geojson_geometry(to_wgs84(features.corridor)),
            "date_signed": CORRIDOR_SIGNED.isoformat(),
            "date_violated": CORRIDOR_VIOLATED.isoformat(),
            "buffer_km": CORRIDOR_BUFFER_KM, "max_offset_km": CORRIDOR_MAX_KM,
            "planted_rate_per_30_days": dict(zip(("before_signature", "in_force",
                                                  "after_violation"),
                                                 CORRIDOR_RATES_PER_30_DAYS, strict=True)),
            "incident_ids": ids["revenge_corridor"],
        },
        "extraction_checkpoints": {
            "mining_road": f"Mining road to {MINE_NAME}",
            "admin1": country.admin1(country.roles["mining"])["name"],
            "mine": {"name": MINE_NAME, **_point_json(country.mine)},
            "checkpoints": [{"checkpoint_id": f"CP{k}", **_point_json(xy)}
                            for k, xy in enumerate(features.checkpoints, start=1)],
            "radius_km": CHECKPOINT_RADIUS_KM,
            "incidents_per_checkpoint": INCIDENTS_PER_CHECKPOINT,
            "incident_ids": ids["extraction_checkpoints"],
        },
        "collateral_operation": {
            "name": OPERATION_NAME,
            "admin1": country.admin1(country.roles["operation"])["name"],
            "area": geojson_geometry(to_wgs84(features.operation_area)),
            "start": OPERATION_START.isoformat(), "end": OPERATION_END.isoformat(),
            "incident_ids": ids["collateral_operation"],
        },
        "state_forces_admin1": {
            "admin_id": state["admin_id"], "name": state["name"],
            "planted_background_share": STATE_FORCES_SHARE,
        },
        "surge_before_negotiation": {
            "milestone_id": SURGE_MILESTONE_ID, "date": surge_date.isoformat(),
            "window_start": (surge_date - timedelta(days=SURGE_DAYS)).isoformat(),
            "window_days": SURGE_DAYS, "rate_multiplier": SURGE_MULTIPLIER,
            "incident_ids": ids["surge"],
        },
        "protection_gap": {
            "admin_id": gap["admin_id"], "name": gap["name"],
            "centre": _point_json(country.hot_spot), "radius_km": GAP_RADIUS_KM,
            "min_distance_km": GAP_MIN_DISTANCE_KM,
            "distance_to_covered_admin1_km": round(country.hot_spot_distance / KM, 1),
            "incident_ids": ids["protection_gap"],
        },
    }


def write_all(out: Path, country: Country, features: Features, incidents: pd.DataFrame,
              seed: int) -> list[Path]:
    """Write every output file into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {key: out / name for key, name in FILES.items()}
    admin_records = country.admin.assign(geometry_wgs=country.admin["geometry"]).to_dict("records")
    write_geojson(paths["admin"], "admin_boundaries", ADMIN_SPEC.columns, admin_records)
    write_geojson(paths["basemap"], "basemap", BASEMAP_SPEC.columns, _basemap_records(country))
    write_geojson(paths["presence"], "mission_presence", PRESENCE_SPEC.columns, features.presence)
    write_geojson(paths["processes"], "local_processes", LOCAL_PROCESSES_SPEC.columns,
                  features.processes)
    write_geojson(paths["agreements"], "local_agreements", AGREEMENT_SPEC.columns,
                  features.agreements)
    milestones = pd.DataFrame(
        [(f"NM-{k:02d}", *row) for k, row in enumerate(MILESTONES, start=1)],
        columns=MILESTONES_SPEC.columns)
    milestones.to_csv(paths["milestones"], index=False, lineterminator="\n")
    incidents[[*INCIDENT_SPEC.columns, "longitude", "latitude"]].to_csv(
        paths["incidents"], index=False, lineterminator="\n")
    planted = _planted(country, features, incidents, seed)
    paths["patterns"].write_text(pretty_json(planted) + "\n", encoding="utf-8")
    return list(paths.values())


def generate(out: Path = OUT_DIR, seed: int = SEED) -> list[Path]:
    """Generate the whole sample data set.

    Parameters
    ----------
    out : the folder to write into (created if missing).
    seed : the seed of the one random generator.

    Returns
    -------
    The paths written.
    """
    rng = np.random.default_rng(seed)
    country = build_country(rng)
    features = build_features(rng, country)
    incidents = build_incidents(rng, country, features)
    return write_all(Path(out), country, features, incidents, seed)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``python -m sample_data.generate [--out DIR] [--seed N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder to write into")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed")
    args = parser.parse_args(argv)
    for path in generate(args.out, args.seed):
        print(path)


if __name__ == "__main__":
    main()
