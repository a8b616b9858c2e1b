"""The knobs of the generator: projection, the country's shape and names, the period,
the sizes of the planted patterns and of the background.

Plain numbers, names and dates only; the weight tables that incident codes are drawn from
are in :mod:`sample_data.carana.tables`.
"""

from __future__ import annotations

from datetime import date

# --- projection and rounding -----------------------------------------------------------------
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
# fmt: off
ADMIN2_NAMES = (
    "Abourou", "Badinga", "Belomé", "Bissara", "Bokanji", "Dalessa", "Dimoura", "Essoka",
    "Fadama", "Gamboli", "Garoussa", "Hobali", "Ilenda", "Kaboula", "Kessara", "Kinomo",
    "Kourandi", "Lassiko", "Lemboura", "Likessa", "Mabounda", "Makoro", "Mandjali", "Missaba",
    "Mobassa", "Nakoudi", "Ndoubi", "Ngoreni", "Ouassika", "Ourandé", "Pobassi", "Saboulé",
    "Sakinda", "Talobo", "Tenkassa", "Yamessi", "Zangoura", "Zoubira",
)
# fmt: on
COMPASS = ("East", "North-East", "North", "North-West", "West", "South-West", "South", "South-East")
COMPASS_ABBR = ("E", "NE", "N", "NW", "W", "SW", "S", "SE")
SECTOR_ROLES = ("corridor", "mining", "operation", "state_forces")
"""Outer admin1 areas after the protection-gap one, counter-clockwise, each with one pattern."""

# --- time -----------------------------------------------------------------------------------
PERIOD_START = date(2023, 1, 1)
PERIOD_END = date(2025, 12, 31)

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
