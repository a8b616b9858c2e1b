"""What the ``pocmap`` parser offers, spelled out here so that building it imports nothing.

``pocmap --help``, ``pocmap <command> --help`` and an argument error build the whole
parser; if the parser took its choices from the packages that define them, each of those
would load geopandas, pandera, folium or matplotlib first (about four seconds). So the
choices are copied here, and ``tests/cli/test_light_cli.py`` checks that each copy still
equals the value it copies: a new motivation code, layer or format fails that test until
it is added here too. A subcommand imports the real packages only when it runs.
"""

from __future__ import annotations

import languages

# Code lists of the incidents layer (the vocabulary; docs/codebook.md).
MOTIVATIONS = (
    "predation",
    "extraction",
    "revenge",
    "collateral",
    "political",
    "punitive",
    "unknown",
)
CONFIDENCES = ("confirmed", "probable", "possible")
MOTIVATION_ORIGINS = ("source", "analyst", "suggestion")
PERPETRATOR_TYPES = (
    "state_forces",
    "non_state_armed_group",
    "community_militia",
    "criminal",
    "allied_forces",
    "un_mission",
    "unidentified",
)
INCIDENT_TYPES = (
    "killing",
    "injury",
    "abduction",
    "sexual_violence",
    "looting_destruction",
    "forced_displacement",
    "attack_on_idp_site",
    "threat",
    "attack",
)
VICTIM_GROUPS = ("women", "children", "elderly", "displaced", "disabled")

# The layers a file may be imported into, the column profiles and the date orders.
LAYERS = (
    "incidents",
    "national_milestones",
    "local_processes",
    "local_agreements",
    "mission_presence",
    "admin_boundaries",
    "basemap",
)
PROFILES = ("native", "acled", "ucdp", "cod_ab", "kobo", "hxl", "custom")
DATE_ORDERS = ("day_first", "month_first")

# The joint analysis: cell shapes and time slices.
SHAPES = ("hexagon", "square")
STEPS = ("M", "Q", "Y")
# Gi*'s inference: analytic z-scores or conditional permutations (analysis.hotspots).
INFERENCES = ("analytic", "permutation")
DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 12345

# Files that leave the analysis cell: what the incidents may show, and the formats.
LEVELS = ("points", "cells", "shareable")
DEFAULT_LEVEL = "shareable"
MIN_PRECISION_KM = 1.0
EXPORT_FORMATS = ("gpkg", "geojson", "csv", "html")
BRIEFING_FORMATS = ("png", "pdf")
DEFAULT_TITLE = languages.N_("Protection of civilians and political processes")
