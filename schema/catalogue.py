"""Which schema each importable layer is checked against."""

from __future__ import annotations

from languages import N_, Labels
from schema import (
    admin_boundaries,
    basemap,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from schema.fields import Field, LayerSpec

LAYER_SPECS: dict[str, LayerSpec] = {
    "incidents": incidents.SPEC,
    "national_milestones": political_processes.MILESTONES_SPEC,
    "local_processes": political_processes.LOCAL_PROCESSES_SPEC,
    "local_agreements": local_agreements.SPEC,
    "mission_presence": mission_presence.SPEC,
    "admin_boundaries": admin_boundaries.SPEC,
    "basemap": basemap.SPEC,
}

LAYER_LABELS = Labels(
    {
        "incidents": N_("Incidents"),
        "national_milestones": N_("National process milestones"),
        "local_processes": N_("Local political processes"),
        "local_agreements": N_("Local agreements"),
        "mission_presence": N_("Mission presence (offices, bases, areas)"),
        "admin_boundaries": N_("Administrative boundaries"),
        "basemap": N_("Basemap features (towns, roads, rivers)"),
    }
)


def id_field(spec: LayerSpec) -> Field | None:
    """The layer's id column (its first unique field), if it has one."""
    return next((f for f in spec.fields if f.unique), None)
