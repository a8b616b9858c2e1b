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
    "allied_forces",
    "un_mission",
    "unidentified",
)
"""Who did it. ``allied_forces``: foreign or private forces fighting beside the host state
(bilateral forces, private military companies), counted beside state forces in the friction
view; ``un_mission``: the peacekeeping mission itself, kept apart."""

PERPETRATOR_LABELS = {
    "state_forces": "State forces",
    "non_state_armed_group": "Non-state armed group",
    "community_militia": "Community militia",
    "criminal": "Criminal",
    "allied_forces": "Forces allied to the state",
    "un_mission": "UN mission",
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
    "attack",
)
"""``attack``: violence against civilians with no death reported and no other harm named
(the source does not say; an attack with no death is not an injury)."""

INCIDENT_TYPE_LABELS = {
    "killing": "Killing",
    "injury": "Injury",
    "abduction": "Abduction",
    "sexual_violence": "Sexual violence (CRSV/SGBV)",
    "looting_destruction": "Looting / destruction",
    "forced_displacement": "Forced displacement",
    "attack_on_idp_site": "Attack on a site of displaced people",
    "threat": "Threat",
    "attack": "Attack, no death reported",
}

VICTIM_GROUPS = ("women", "children", "elderly", "displaced", "disabled")

VICTIM_GROUP_LABELS = {
    "women": "Women",
    "children": "Children",
    "elderly": "Elderly",
    "displaced": "Displaced people",
    "disabled": "Persons with disabilities",
}

LOCATION_PRECISIONS = ("exact", "approximate", "admin2", "admin1", "country")
"""exact: the spot; approximate: within ~5 km; admin2/admin1: only the area is known;
country: only the country (such points are counted, never drawn as places)."""

DATE_PRECISIONS = ("day", "week", "month", "year")
"""How exactly the date is known: the day, or only the week, month or year it falls in
(the date given is then a day inside it, as the source placed it)."""

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
        Field(
            "admin1", "text", description="from the loaded boundaries where they cover the point"
        ),
        Field(
            "admin2", "text", description="from the loaded boundaries where they cover the point"
        ),
        Field("field_office", "text", description="the office whose area holds the point"),
        Field("source", "text", required=True),
        Field("narrative", "text", sensitive=True),
        Field("date_precision", "code", codes=DATE_PRECISIONS, description="empty: the day"),
        Field("admin1_reported", "text", description="admin1 as the source wrote it", derived=True),
        Field("admin2_reported", "text", description="admin2 as the source wrote it", derived=True),
        Field(
            "place_note",
            "text",
            description="where the point and the named places disagree",
            derived=True,
        ),
        Field("fatalities_low", "count", description="the source's own low estimate (UCDP low)"),
        Field("fatalities_high", "count", description="the source's own high estimate (UCDP high)"),
        Field(
            "linked_fatalities_low",
            "count",
            description="the lowest figure among the linked reports of this event",
            derived=True,
        ),
        Field(
            "linked_fatalities_high",
            "count",
            description="the highest figure among the linked reports of this event",
            derived=True,
        ),
        Field(
            "event_group",
            "text",
            description="the linked event this report belongs to",
            derived=True,
        ),
        Field(
            "counted",
            "flag",
            description="false: another source's report of it is counted",
            derived=True,
        ),
    ),
    geometry_types=("Point",),
)


def counted_once(frame: pd.DataFrame) -> pd.DataFrame:
    """Each event once: without the reports whose event another source's report stands
    for (``counted`` false, set when reports are linked; empty means counted)."""
    if "counted" not in frame.columns:
        return frame
    hidden = frame["counted"].astype("boolean").eq(False).fillna(False).to_numpy(dtype=bool)
    return frame[~hidden] if hidden.any() else frame


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check incidents against :data:`SPEC`; see :func:`schema.fields.validate`."""
    return _validate(frame, SPEC, source=source)
