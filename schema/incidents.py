"""Incidents: the fields, codes and labels of POC threats and violence against civilians."""

from __future__ import annotations

import pandas as pd

from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate

MOTIVATIONS = (
    "predation",
    "extraction",
    "revenge",
    "collateral",
    "political",
    "punitive",
    "unknown",
)
"""Why the violence happened: the analyst's judgement (``docs/codebook.md``)."""

MOTIVATION_LABELS = {
    "predation": "Predation",
    "extraction": "Extraction",
    "revenge": "Revenge",
    "collateral": "Collateral harm",
    "political": "Political",
    "punitive": "Punitive",
    "unknown": "Not yet assessed",
}

CONFIDENCES = ("confirmed", "probable", "possible")

PERPETRATOR_TYPES = (
    "state_forces",
    "non_state_armed_group",
    "community_militia",
    "criminal",
    "unidentified",
)

PERPETRATOR_LABELS = {
    "state_forces": "State forces",
    "non_state_armed_group": "Non-state armed group",
    "community_militia": "Community militia",
    "criminal": "Criminal",
    "unidentified": "Unidentified",
}

INCIDENT_TYPES = (
    "killing",
    "injury",
    "abduction",
    "sexual_violence",
    "looting_destruction",
    "forced_displacement",
    "attack_on_idp_site",
    "threat",
)

INCIDENT_TYPE_LABELS = {
    "killing": "Killing",
    "injury": "Injury",
    "abduction": "Abduction",
    "sexual_violence": "Sexual violence (CRSV/SGBV)",
    "looting_destruction": "Looting / destruction",
    "forced_displacement": "Forced displacement",
    "attack_on_idp_site": "Attack on a site of displaced people",
    "threat": "Threat",
}

VICTIM_GROUPS = ("women", "children", "elderly", "displaced", "disabled")

VICTIM_GROUP_LABELS = {
    "women": "Women",
    "children": "Children",
    "elderly": "Elderly",
    "displaced": "Displaced people",
    "disabled": "Persons with disabilities",
}

LOCATION_PRECISIONS = ("exact", "approximate", "admin2", "admin1")
"""exact: the spot; approximate: within ~5 km; admin2/admin1: only the area is known."""

SPEC = LayerSpec(
    name="incidents",
    fields=(
        Field("incident_id", "text", required=True, unique=True),
        Field("date", "date", required=True),
        Field("incident_type", "code", required=True, codes=INCIDENT_TYPES),
        Field("motivation", "code", required=True, codes=MOTIVATIONS),
        Field("motivation_raw", "text", description="the motivation as the source wrote it"),
        Field("motivation_confidence", "code", codes=CONFIDENCES),
        Field("perpetrator_type", "code", required=True, codes=PERPETRATOR_TYPES),
        Field("perpetrator_name", "text"),
        Field("fatalities", "count", required=True),
        Field("injured", "count"),
        Field("abducted", "count"),
        Field("victim_groups", "codes", codes=VICTIM_GROUPS),
        Field("location_precision", "code", required=True, codes=LOCATION_PRECISIONS),
        Field("admin1", "text"),
        Field("admin2", "text"),
        Field("field_office", "text"),
        Field("source", "text", required=True),
        Field("narrative", "text", sensitive=True),
    ),
    geometry_types=("Point",),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check incidents against :data:`SPEC`; see :func:`schema.fields.validate`."""
    return _validate(frame, SPEC, source=source)
