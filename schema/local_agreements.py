"""Local agreements: their fields, codes and labels."""

from __future__ import annotations

import pandas as pd

from languages import N_, Labels
from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate
from schema.incidents import VICTIM_GROUP_LABELS, VICTIM_GROUPS

AGREEMENT_TYPES = (
    "farmer_herder",
    "transhumance_corridor",
    "weapon_free_zone",
    "land_access",
    "market_access",
    "local_ceasefire",
)

AGREEMENT_TYPE_LABELS = Labels(
    {
        "farmer_herder": N_("Farmer-herder agreement"),
        "transhumance_corridor": N_("Transhumance corridor"),
        "weapon_free_zone": N_("Weapon-free zone"),
        "land_access": N_("Land-access agreement"),
        "market_access": N_("Market-access agreement"),
        "local_ceasefire": N_("Local cease-fire"),
    }
)

AGREEMENT_STATUSES = ("negotiating", "signed", "implemented", "violated", "lapsed")

STATUS_LABELS = Labels(
    {
        "negotiating": N_("Being negotiated"),
        "signed": N_("Signed"),
        "implemented": N_("Being implemented"),
        "violated": N_("Violated"),
        "lapsed": N_("Lapsed"),
    }
)

MISSION_ROLES = ("facilitator", "guarantor", "observer", "technical_support", "none")

MISSION_ROLE_LABELS = Labels(
    {
        "facilitator": N_("Facilitator"),
        "guarantor": N_("Guarantor"),
        "observer": N_("Observer"),
        "technical_support": N_("Technical support"),
        "none": N_("No role"),
    }
)

POC_PROVISIONS = ("poc_language", "sgbv_provisions", "freedom_of_movement")
"""Yes/no POC provisions coded as PA-X does; ``groups_protected`` lists the groups."""

POC_PROVISION_LABELS = Labels(
    {
        "poc_language": N_("POC language"),
        "sgbv_provisions": N_("Sexual-violence provisions"),
        "freedom_of_movement": N_("Freedom of movement"),
    }
)

SPEC = LayerSpec(
    name="local_agreements",
    fields=(
        Field("agreement_id", "text", required=True, unique=True, label=N_("Agreement ID")),
        Field("name", "text", required=True, label=N_("Name")),
        Field(
            "agreement_type",
            "code",
            required=True,
            codes=AGREEMENT_TYPES,
            label=N_("Agreement type"),
            code_labels=AGREEMENT_TYPE_LABELS,
        ),
        Field(
            "status",
            "code",
            required=True,
            codes=AGREEMENT_STATUSES,
            label=N_("Status"),
            code_labels=STATUS_LABELS,
        ),
        Field("date_signed", "date", label=N_("Date signed")),
        Field(
            "date_ended",
            "date",
            description=N_("when it was violated or lapsed"),
            label=N_("Date ended"),
        ),
        Field("parties", "text", label=N_("Parties")),
        Field(
            "mission_role",
            "code",
            required=True,
            codes=MISSION_ROLES,
            label=N_("Mission role"),
            code_labels=MISSION_ROLE_LABELS,
        ),
        Field("field_office", "text", required=True, label=N_("Field office")),
        Field(
            "process_id",
            "text",
            description=N_("the local process that produced it"),
            label=N_("Local process ID"),
        ),
        Field("poc_language", "flag", required=True, label=N_("POC language")),
        Field(
            "groups_protected",
            "codes",
            codes=VICTIM_GROUPS,
            label=N_("Groups protected"),
            code_labels=VICTIM_GROUP_LABELS,
        ),
        Field(
            "sgbv_provisions",
            "flag",
            required=True,
            label=N_("Sexual-violence provisions"),
        ),
        Field(
            "freedom_of_movement",
            "flag",
            required=True,
            label=N_("Freedom of movement"),
        ),
    ),
    geometry_types=("Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check local agreements against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)
