"""Local agreements: their fields, codes and labels."""

from __future__ import annotations

import pandas as pd

from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate
from schema.incidents import VICTIM_GROUPS

AGREEMENT_TYPES = (
    "farmer_herder",
    "transhumance_corridor",
    "weapon_free_zone",
    "land_access",
    "market_access",
    "local_ceasefire",
)

AGREEMENT_TYPE_LABELS = {
    "farmer_herder": "Farmer-herder agreement",
    "transhumance_corridor": "Transhumance corridor",
    "weapon_free_zone": "Weapon-free zone",
    "land_access": "Land-access agreement",
    "market_access": "Market-access agreement",
    "local_ceasefire": "Local cease-fire",
}

AGREEMENT_STATUSES = ("negotiating", "signed", "implemented", "violated", "lapsed")

MISSION_ROLES = ("facilitator", "guarantor", "observer", "technical_support", "none")

POC_PROVISIONS = ("poc_language", "sgbv_provisions", "freedom_of_movement")
"""Yes/no POC provisions coded as PA-X does; ``groups_protected`` lists the groups."""

POC_PROVISION_LABELS = {
    "poc_language": "POC language",
    "sgbv_provisions": "Sexual-violence provisions",
    "freedom_of_movement": "Freedom of movement",
}

SPEC = LayerSpec(
    name="local_agreements",
    fields=(
        Field("agreement_id", "text", required=True, unique=True),
        Field("name", "text", required=True),
        Field("agreement_type", "code", required=True, codes=AGREEMENT_TYPES),
        Field("status", "code", required=True, codes=AGREEMENT_STATUSES),
        Field("date_signed", "date"),
        Field("date_ended", "date", description="when it was violated or lapsed"),
        Field("parties", "text"),
        Field("mission_role", "code", required=True, codes=MISSION_ROLES),
        Field("field_office", "text", required=True),
        Field("process_id", "text", description="the local process that produced it"),
        Field("poc_language", "flag", required=True),
        Field("groups_protected", "codes", codes=VICTIM_GROUPS),
        Field("sgbv_provisions", "flag", required=True),
        Field("freedom_of_movement", "flag", required=True),
    ),
    geometry_types=("Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check local agreements against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)


STATUS_LABELS = {
    "negotiating": "Being negotiated",
    "signed": "Signed",
    "implemented": "Being implemented",
    "violated": "Violated",
    "lapsed": "Lapsed",
}
