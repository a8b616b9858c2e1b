"""Political processes: the national milestones' and local processes' fields, codes and labels."""

from __future__ import annotations

import pandas as pd

from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate

MILESTONE_KINDS = (
    "pre_negotiation",
    "negotiation_round",
    "ceasefire",
    "signature",
    "implementation",
    "breakdown",
)

MILESTONE_LABELS = {
    "pre_negotiation": "Pre-negotiation",
    "negotiation_round": "Negotiation round",
    "ceasefire": "Cease-fire",
    "signature": "Signature",
    "implementation": "Implementation",
    "breakdown": "Breakdown",
}

PROCESS_TYPES = (
    "intercommunal_dialogue",
    "mediation",
    "local_peace_committee",
    "conflict_resolution_workshop",
)

PROCESS_TYPE_LABELS = {
    "intercommunal_dialogue": "Intercommunal dialogue",
    "mediation": "Mediation",
    "local_peace_committee": "Local peace committee",
    "conflict_resolution_workshop": "Conflict-resolution workshop",
}

PROCESS_STATUSES = ("planned", "ongoing", "stalled", "concluded")

MILESTONES_SPEC = LayerSpec(
    name="national_milestones",
    fields=(
        Field("milestone_id", "text", required=True, unique=True),
        Field("date", "date", required=True),
        Field("kind", "code", required=True, codes=MILESTONE_KINDS),
        Field("title", "text", required=True),
        Field("description", "text"),
    ),
)
"""The national process: a timeline, no geometry."""

LOCAL_PROCESSES_SPEC = LayerSpec(
    name="local_processes",
    fields=(
        Field("process_id", "text", required=True, unique=True),
        Field("name", "text", required=True),
        Field("process_type", "code", required=True, codes=PROCESS_TYPES),
        Field("status", "code", required=True, codes=PROCESS_STATUSES),
        Field("field_office", "text", required=True),
        Field("start_date", "date", required=True),
        Field("end_date", "date"),
        Field(
            "linked_to_national",
            "flag",
            required=True,
            description="whether the process feeds the national strategy",
        ),
        Field("parties", "text"),
    ),
    geometry_types=("Point",),
)


def validate_milestones(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check national milestones against :data:`MILESTONES_SPEC`."""
    return _validate(frame, MILESTONES_SPEC, source=source)


def validate_local_processes(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check local processes against :data:`LOCAL_PROCESSES_SPEC`."""
    return _validate(frame, LOCAL_PROCESSES_SPEC, source=source)
