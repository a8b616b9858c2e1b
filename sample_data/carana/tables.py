"""The tables incident codes are drawn from: perpetrators, motivations, types, victims,
precision, confidence, sources, raw wording, names, narrative phrases and the profile of
each planted pattern.

Importing the module checks every table against the codes the layers accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sample_data.carana.settings import STATE_FORCES_SHARE
from schema.incidents import (
    CONFIDENCES,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    MOTIVATIONS,
    PERPETRATOR_TYPES,
    VICTIM_GROUPS,
)

# --- incident attributes --------------------------------------------------------------------
PERPETRATOR_WEIGHTS = {
    "state_forces": 0.10,
    "non_state_armed_group": 0.38,
    "community_militia": 0.22,
    "criminal": 0.15,
    "unidentified": 0.15,
}
STATE_ADMIN1_PERPETRATOR_WEIGHTS = {
    "state_forces": STATE_FORCES_SHARE,
    "non_state_armed_group": 0.15,
    "community_militia": 0.08,
    "criminal": 0.07,
    "unidentified": 0.08,
}
MOTIVATION_GIVEN_PERPETRATOR = {
    "state_forces": {
        "predation": 0.15,
        "extraction": 0.15,
        "revenge": 0.02,
        "collateral": 0.2,
        "political": 0.18,
        "punitive": 0.3,
    },
    "non_state_armed_group": {
        "predation": 0.3,
        "extraction": 0.2,
        "revenge": 0.08,
        "collateral": 0.1,
        "political": 0.12,
        "punitive": 0.2,
    },
    "community_militia": {
        "predation": 0.15,
        "extraction": 0.03,
        "revenge": 0.55,
        "collateral": 0.02,
        "political": 0.05,
        "punitive": 0.2,
    },
    "criminal": {"predation": 0.75, "extraction": 0.2, "revenge": 0.03, "punitive": 0.02},
    "unidentified": {
        "predation": 0.35,
        "extraction": 0.1,
        "revenge": 0.2,
        "collateral": 0.1,
        "political": 0.1,
        "punitive": 0.15,
    },
}
TYPE_GIVEN_MOTIVATION = {
    "predation": {
        "looting_destruction": 0.45,
        "killing": 0.12,
        "injury": 0.13,
        "abduction": 0.1,
        "sexual_violence": 0.08,
        "threat": 0.12,
    },
    "extraction": {"threat": 0.4, "looting_destruction": 0.3, "abduction": 0.15, "injury": 0.15},
    "revenge": {
        "killing": 0.3,
        "injury": 0.2,
        "forced_displacement": 0.2,
        "looting_destruction": 0.2,
        "sexual_violence": 0.1,
    },
    "collateral": {
        "killing": 0.35,
        "injury": 0.4,
        "forced_displacement": 0.2,
        "attack_on_idp_site": 0.05,
    },
    "political": {"threat": 0.45, "abduction": 0.25, "killing": 0.15, "injury": 0.15},
    "punitive": {
        "killing": 0.25,
        "forced_displacement": 0.2,
        "looting_destruction": 0.2,
        "sexual_violence": 0.15,
        "attack_on_idp_site": 0.1,
        "injury": 0.1,
    },
    "unknown": dict.fromkeys(INCIDENT_TYPES[:8], 1.0),  # the codes the sample was made with
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
VICTIM_GROUP_PROBABILITIES = {
    "women": 0.3,
    "children": 0.25,
    "elderly": 0.1,
    "displaced": 0.12,
    "disabled": 0.03,
}
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
    "Human Rights Division (synthetic)": 0.35,
    "JOC (synthetic)": 0.25,
    "Partner NGO (synthetic)": 0.2,
    "UNPOL (synthetic)": 0.1,
    "Civil Affairs community alert network (synthetic)": 0.1,
}
GAP_SOURCES = {"Partner NGO (synthetic)": 0.7, "Human Rights Division (synthetic)": 0.3}
RAW_MOTIVATION = {
    # code: (as written in English, as written in French)
    "predation": (
        ("predation", "Predation", "looting for gain", "cattle theft"),
        ("prédation", "Prédation", "pillage", "vol de bétail"),
    ),
    "extraction": (
        ("extraction", "illegal taxation", "extortion"),
        ("extorsion", "taxation illégale", "racket"),
    ),
    "revenge": (
        ("revenge", "Revenge", "reprisal", "retaliation"),
        ("représailles", "Représailles", "vengeance"),
    ),
    "collateral": (
        ("collateral", "collateral damage", "crossfire"),
        ("dommages collatéraux", "tirs croisés"),
    ),
    "political": (("political", "political intimidation"), ("politique", "intimidation politique")),
    "punitive": (("punitive", "collective punishment"), ("punition collective", "punitif")),
    "unknown": (("unknown", "to be assessed"), ("inconnu", "à déterminer")),
}
RAW_MISSING_SHARE = 0.06
STATE_FORCE_NAMES = ("Carana Armed Forces (CAF)", "National Gendarmerie", "Presidential Guard")
ARMED_GROUP_NAMES = (
    "Brigades de l'Ouassa (BO)",
    "Front uni de la Savane (FUS)",
    "Mouvement pour la renaissance du Nord (MRN)",
    "Armée de libération de Tessi (ALT)",
    "Rassemblement des forces de l'Est (RFE)",
    "Union des combattants du fleuve (UCF)",
)  # one per admin1 zone (central first): each region has its dominant group
TYPE_PHRASES = {
    "killing": "Civilians killed",
    "injury": "Civilians injured",
    "abduction": "Civilians abducted",
    "sexual_violence": "Sexual violence reported",
    "looting_destruction": "Homes looted and burned",
    "forced_displacement": "Families forced to flee",
    "attack_on_idp_site": "Attack on a displacement site",
    "threat": "Threats against residents",
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
    "surge": Profile(
        {
            "political": 0.35,
            "punitive": 0.25,
            "predation": 0.15,
            "extraction": 0.1,
            "revenge": 0.1,
            "collateral": 0.05,
        },
        None,
        0.12,
        BACKGROUND_PRECISION,
        BACKGROUND_CONFIDENCE,
        SOURCES,
    ),
    "revenge_corridor": Profile(
        {"revenge": 1.0},
        {"community_militia": 0.7, "non_state_armed_group": 0.1, "unidentified": 0.2},
        0.0,
        PATTERN_PRECISION,
        PATTERN_CONFIDENCE,
        SOURCES,
    ),
    "extraction_checkpoints": Profile(
        {"extraction": 1.0},
        {"non_state_armed_group": 0.8, "criminal": 0.1, "state_forces": 0.1},
        0.0,
        PATTERN_PRECISION,
        PATTERN_CONFIDENCE,
        SOURCES,
    ),
    "collateral_operation": Profile(
        {"collateral": 1.0},
        {"state_forces": 0.45, "non_state_armed_group": 0.4, "unidentified": 0.15},
        0.0,
        PATTERN_PRECISION,
        PATTERN_CONFIDENCE,
        SOURCES,
    ),
    "protection_gap": Profile(
        {"predation": 0.45, "punitive": 0.35, "revenge": 0.1, "political": 0.1},
        {"non_state_armed_group": 0.75, "community_militia": 0.15, "unidentified": 0.1},
        0.2,
        PATTERN_PRECISION,
        BACKGROUND_CONFIDENCE,
        GAP_SOURCES,
    ),
}


def _check_tables() -> None:
    """Fail at import if a weight table names a code the layers do not know."""
    checks: list[tuple[Any, tuple[str, ...]]] = [
        (PERPETRATOR_WEIGHTS, PERPETRATOR_TYPES),
        (STATE_ADMIN1_PERPETRATOR_WEIGHTS, PERPETRATOR_TYPES),
        (MOTIVATION_GIVEN_PERPETRATOR, PERPETRATOR_TYPES),
        *((table, MOTIVATIONS) for table in MOTIVATION_GIVEN_PERPETRATOR.values()),
        (TYPE_GIVEN_MOTIVATION, MOTIVATIONS),
        *((table, INCIDENT_TYPES) for table in TYPE_GIVEN_MOTIVATION.values()),
        (COUNT_RULES, INCIDENT_TYPES),
        (VICTIM_GROUP_OVERRIDES, INCIDENT_TYPES),
        (VICTIM_GROUP_PROBABILITIES, VICTIM_GROUPS),
        (RAW_MOTIVATION, MOTIVATIONS),
    ]
    for profile in PROFILES.values():
        checks += [
            (profile.motivations or {}, MOTIVATIONS),
            (profile.perpetrators or {}, PERPETRATOR_TYPES),
            (profile.precision, LOCATION_PRECISIONS),
            (profile.confidence, CONFIDENCES),
        ]
    for table, codes in checks:
        if unknown := set(table) - set(codes):
            raise ValueError(f"unknown codes {sorted(unknown)}; the layers accept {codes}")


_check_tables()
