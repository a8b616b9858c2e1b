"""Incidents: the fields, codes and labels of POC threats and violence against civilians."""

from __future__ import annotations

import pandas as pd

from languages import N_, Labels
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

MOTIVATION_LABELS = Labels(
    {
        "predation": N_("Predation"),
        "extraction": N_("Extraction"),
        "revenge": N_("Revenge"),
        "collateral": N_("Collateral harm"),
        "political": N_("Political"),
        "punitive": N_("Punitive"),
        "unknown": N_("Not yet assessed"),
    }
)

CONFIDENCES = ("confirmed", "probable", "possible")
"""How sure the motivation's coding is (``docs/codebook.md``)."""

CONFIDENCE_LABELS = Labels(
    {
        "confirmed": N_("Confirmed"),
        "probable": N_("Probable"),
        "possible": N_("Possible"),
    }
)

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

PERPETRATOR_LABELS = Labels(
    {
        "state_forces": N_("State forces"),
        "non_state_armed_group": N_("Non-state armed group"),
        "community_militia": N_("Community militia"),
        "criminal": N_("Criminal"),
        "allied_forces": N_("Forces allied to the state"),
        "un_mission": N_("UN mission"),
        "unidentified": N_("Unidentified"),
    }
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
"""``attack``: violence against civilians with no death reported and no other harm named
(the source does not say; an attack with no death is not an injury)."""

INCIDENT_TYPE_LABELS = Labels(
    {
        "killing": N_("Killing"),
        "injury": N_("Injury"),
        "abduction": N_("Abduction"),
        "sexual_violence": N_("Sexual violence (CRSV/SGBV)"),
        "looting_destruction": N_("Looting / destruction"),
        "forced_displacement": N_("Forced displacement"),
        "attack_on_idp_site": N_("Attack on a site of displaced people"),
        "threat": N_("Threat"),
        "attack": N_("Attack, no death reported"),
    }
)

VICTIM_GROUPS = ("women", "children", "elderly", "displaced", "disabled")

VICTIM_GROUP_LABELS = Labels(
    {
        "women": N_("Women"),
        "children": N_("Children"),
        "elderly": N_("Elderly"),
        "displaced": N_("Displaced people"),
        "disabled": N_("Persons with disabilities"),
    }
)

LOCATION_PRECISIONS = ("exact", "approximate", "admin2", "admin1", "country")
"""exact: the spot; approximate: within ~5 km; admin2/admin1: only the area is known;
country: only the country (such points are counted, never drawn as places)."""

LOCATION_PRECISION_LABELS = Labels(
    {
        "exact": N_("Exact spot"),
        "approximate": N_("Approximate (within about 5 km)"),
        "admin2": N_("Second-level area only"),
        "admin1": N_("First-level area only"),
        "country": N_("Country only"),
    }
)

MOTIVATION_ORIGINS = ("source", "analyst", "suggestion")
"""How an incident's motivation came to be coded: as the file sent it (empty means so too),
by an analyst, or by an analyst accepting pocmap's suggestion (kept apart, so the analysis
can leave suggestion-coded incidents out)."""

MOTIVATION_ORIGIN_LABELS = Labels(
    {
        "source": N_("As sent"),
        "analyst": N_("Coded by an analyst"),
        "suggestion": N_("Accepted suggestion"),
    }
)

DATE_PRECISIONS = ("day", "week", "month", "year")
"""How exactly the date is known: the day, or only the week, month or year it falls in
(the date given is then a day inside it, as the source placed it)."""

DATE_PRECISION_LABELS = Labels(
    {
        "day": N_("Day"),
        "week": N_("Week"),
        "month": N_("Month"),
        "year": N_("Year"),
    }
)

SPEC = LayerSpec(
    name="incidents",
    fields=(
        Field("incident_id", "text", required=True, unique=True, label=N_("Incident ID")),
        Field("date", "date", required=True, label=N_("Date")),
        Field(
            "incident_type",
            "code",
            required=True,
            codes=INCIDENT_TYPES,
            label=N_("Incident type"),
            code_labels=INCIDENT_TYPE_LABELS,
        ),
        Field(
            "motivation",
            "code",
            required=True,
            codes=MOTIVATIONS,
            label=N_("Motivation"),
            code_labels=MOTIVATION_LABELS,
        ),
        Field(
            "motivation_raw",
            "text",
            description=N_("the motivation as the source wrote it"),
            label=N_("Motivation as written"),
        ),
        Field(
            "motivation_origin",
            "code",
            codes=MOTIVATION_ORIGINS,
            description=N_(
                "how the motivation was coded: as sent, by an analyst, or by an analyst "
                "accepting a suggestion"
            ),
            derived=True,
            label=N_("Motivation coded by"),
            code_labels=MOTIVATION_ORIGIN_LABELS,
        ),
        Field(
            "motivation_confidence",
            "code",
            codes=CONFIDENCES,
            label=N_("Confidence"),
            code_labels=CONFIDENCE_LABELS,
        ),
        Field(
            "perpetrator_type",
            "code",
            required=True,
            codes=PERPETRATOR_TYPES,
            label=N_("Perpetrator type"),
            code_labels=PERPETRATOR_LABELS,
        ),
        Field("perpetrator_name", "text", label=N_("Perpetrator name")),
        Field("fatalities", "count", required=True, label=N_("Fatalities")),
        Field("injured", "count", label=N_("Injured")),
        Field("abducted", "count", label=N_("Abducted")),
        Field(
            "victim_groups",
            "codes",
            codes=VICTIM_GROUPS,
            label=N_("Victim groups"),
            code_labels=VICTIM_GROUP_LABELS,
        ),
        Field(
            "location_precision",
            "code",
            required=True,
            codes=LOCATION_PRECISIONS,
            label=N_("Location precision"),
            code_labels=LOCATION_PRECISION_LABELS,
        ),
        Field(
            "admin1",
            "text",
            description=N_("from the loaded boundaries where they cover the point"),
            label=N_("First-level area (admin1)"),
        ),
        Field(
            "admin2",
            "text",
            description=N_("from the loaded boundaries where they cover the point"),
            label=N_("Second-level area (admin2)"),
        ),
        Field(
            "field_office",
            "text",
            description=N_("the office whose area holds the point"),
            label=N_("Field office"),
        ),
        Field("source", "text", required=True, label=N_("Source")),
        Field(
            "event_type_raw",
            "text",
            description=N_("the source's own event type (ACLED's event and sub-event type)"),
            label=N_("Event type as written"),
        ),
        Field("narrative", "text", sensitive=True, label=N_("Narrative")),
        Field(
            "date_precision",
            "code",
            codes=DATE_PRECISIONS,
            description=N_("empty: the day"),
            label=N_("Date precision"),
            code_labels=DATE_PRECISION_LABELS,
        ),
        Field(
            "admin1_reported",
            "text",
            description=N_("admin1 as the source wrote it"),
            derived=True,
            label=N_("First-level area as reported"),
        ),
        Field(
            "admin2_reported",
            "text",
            description=N_("admin2 as the source wrote it"),
            derived=True,
            label=N_("Second-level area as reported"),
        ),
        Field(
            "place_note",
            "text",
            description=N_("where the point and the named places disagree"),
            derived=True,
            label=N_("Place note"),
        ),
        Field(
            "fatalities_low",
            "count",
            description=N_("the source's own low estimate (UCDP low)"),
            label=N_("Fatalities, low estimate"),
        ),
        Field(
            "fatalities_high",
            "count",
            description=N_("the source's own high estimate (UCDP high)"),
            label=N_("Fatalities, high estimate"),
        ),
        Field(
            "linked_fatalities_low",
            "count",
            description=N_("the lowest figure among the linked reports of this event"),
            derived=True,
            label=N_("Fatalities, lowest of the linked reports"),
        ),
        Field(
            "linked_fatalities_high",
            "count",
            description=N_("the highest figure among the linked reports of this event"),
            derived=True,
            label=N_("Fatalities, highest of the linked reports"),
        ),
        Field(
            "event_group",
            "text",
            description=N_("the linked event this report belongs to"),
            derived=True,
            label=N_("Same event"),
        ),
        Field(
            "counted",
            "flag",
            description=N_("false: another source's report of it is counted"),
            derived=True,
            label=N_("Counted"),
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
