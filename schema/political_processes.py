"""Political processes: the national milestones' and local processes' fields, codes and labels."""

from __future__ import annotations

import pandas as pd

from languages import N_, Labels
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

MILESTONE_LABELS = Labels(
    {
        "pre_negotiation": N_("Pre-negotiation"),
        "negotiation_round": N_("Negotiation round"),
        "ceasefire": N_("Cease-fire"),
        "signature": N_("Signature"),
        "implementation": N_("Implementation"),
        "breakdown": N_("Breakdown"),
    }
)

PROCESS_TYPES = (
    "intercommunal_dialogue",
    "mediation",
    "local_peace_committee",
    "conflict_resolution_workshop",
)

PROCESS_TYPE_LABELS = Labels(
    {
        "intercommunal_dialogue": N_("Intercommunal dialogue"),
        "mediation": N_("Mediation"),
        "local_peace_committee": N_("Local peace committee"),
        "conflict_resolution_workshop": N_("Conflict-resolution workshop"),
    }
)

PROCESS_STATUSES = ("planned", "ongoing", "stalled", "concluded")

PROCESS_STATUS_LABELS = Labels(
    {
        "planned": N_("Planned"),
        "ongoing": N_("Ongoing"),
        "stalled": N_("Stalled"),
        "concluded": N_("Concluded"),
    }
)

MILESTONES_SPEC = LayerSpec(
    name="national_milestones",
    fields=(
        Field("milestone_id", "text", required=True, unique=True, label=N_("Milestone ID")),
        Field("date", "date", required=True, label=N_("Date")),
        Field(
            "kind",
            "code",
            required=True,
            codes=MILESTONE_KINDS,
            label=N_("Milestone kind"),
            code_labels=MILESTONE_LABELS,
        ),
        Field("title", "text", required=True, label=N_("Title")),
        Field("description", "text", label=N_("Description")),
    ),
)
"""The national process: a timeline, no geometry."""

LOCAL_PROCESSES_SPEC = LayerSpec(
    name="local_processes",
    fields=(
        Field("process_id", "text", required=True, unique=True, label=N_("Process ID")),
        Field("name", "text", required=True, label=N_("Name")),
        Field(
            "process_type",
            "code",
            required=True,
            codes=PROCESS_TYPES,
            label=N_("Process type"),
            code_labels=PROCESS_TYPE_LABELS,
        ),
        Field(
            "status",
            "code",
            required=True,
            codes=PROCESS_STATUSES,
            label=N_("Status"),
            code_labels=PROCESS_STATUS_LABELS,
        ),
        Field("field_office", "text", required=True, label=N_("Field office")),
        Field("start_date", "date", required=True, label=N_("Start date")),
        Field("end_date", "date", label=N_("End date")),
        Field(
            "linked_to_national",
            "flag",
            required=True,
            description=N_("whether the process feeds the national strategy"),
            label=N_("Linked to the national process"),
        ),
        Field("parties", "text", label=N_("Parties")),
    ),
    geometry_types=("Point",),
)


def validate_milestones(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check national milestones against :data:`MILESTONES_SPEC`."""
    return _validate(frame, MILESTONES_SPEC, source=source)


def validate_local_processes(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check local processes against :data:`LOCAL_PROCESSES_SPEC`."""
    return _validate(frame, LOCAL_PROCESSES_SPEC, source=source)
