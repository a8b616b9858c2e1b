"""What the French briefing and map tests leave out of their English check: the data
as it was written, and, until they are translated, the labels of the vocabulary
(``schema``) and the analysis' words, which other parts of pocmap translate.

A label map is left out only while it is a plain dict: once the vocabulary's labels are
``Labels`` (translated on each lookup), nothing of it is left out and the check covers
its words too.
"""

from __future__ import annotations

import pandas as pd

from languages import catalogue
from schema import incidents, local_agreements, mission_presence, political_processes
from schema.mission import MissionData

_VOCABULARY = (
    incidents.MOTIVATION_LABELS,
    incidents.PERPETRATOR_LABELS,
    incidents.INCIDENT_TYPE_LABELS,
    incidents.VICTIM_GROUP_LABELS,
    local_agreements.AGREEMENT_TYPE_LABELS,
    local_agreements.POC_PROVISION_LABELS,
    local_agreements.STATUS_LABELS,
    mission_presence.PRESENCE_LABELS,
    political_processes.MILESTONE_LABELS,
    political_processes.PROCESS_TYPE_LABELS,
)
# The escalation flags of the analysis, as analysis.escalation writes them.
_ANALYSIS = ("escalation before", "escalation after")


def not_yet_translated() -> list[str]:
    """The vocabulary's English labels while it is not translated (its label maps are
    still plain dicts, not ``Labels``), and the analysis' words the French catalogue does
    not translate yet; as written, and lower-cased as a legend writes a status."""
    french = catalogue("fr")
    pending = [
        label
        for labels in _VOCABULARY
        if not hasattr(labels, "english")  # a Labels translates on each lookup
        for label in labels.values()
    ] + [w for w in _ANALYSIS if french.gettext(w) == w]
    return pending + [w.lower() for w in pending]


def data_values(data: MissionData) -> list[str]:
    """Every name and text of ``data`` a briefing or a map shows as it was written:
    places, offices, sources, agreement and process names, milestone titles, the label."""
    values: list[str] = [data.label or ""]
    columns = {
        "incidents": (data.incidents, ("source", "field_office", "admin1", "admin2")),
        "basemap": (data.basemap, ("name",)),
        "admin": (data.admin_boundaries, ("name", "admin_id")),
        "presence": (data.mission_presence, ("name", "field_office")),
        "agreements": (data.local_agreements, ("name", "field_office", "parties")),
        "processes": (data.local_processes, ("name", "field_office", "parties")),
        "milestones": (data.national_milestones, ("title",)),
    }
    for frame, names in columns.values():
        for name in names:
            if name in frame:
                values += [str(v) for v in pd.unique(frame[name].dropna())]
    return values
