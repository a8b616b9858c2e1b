"""Mission presence: its fields, codes and labels."""

from __future__ import annotations

import pandas as pd

from languages import N_, Labels
from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate

PRESENCE_KINDS = (
    "area_of_responsibility",
    "field_office",
    "base",
    "temporary_operating_base",
)

PRESENCE_LABELS = Labels(
    {
        "area_of_responsibility": N_("Field office area of responsibility"),
        "field_office": N_("Field office"),
        "base": N_("Base"),
        "temporary_operating_base": N_("Temporary operating base"),
    }
)

SPEC = LayerSpec(
    name="mission_presence",
    fields=(
        Field("presence_id", "text", required=True, unique=True, label=N_("Presence ID")),
        Field("name", "text", required=True, label=N_("Name")),
        Field(
            "kind",
            "code",
            required=True,
            codes=PRESENCE_KINDS,
            label=N_("Presence kind"),
            code_labels=PRESENCE_LABELS,
        ),
        Field("field_office", "text", required=True, label=N_("Field office")),
        Field("opened", "date", label=N_("Date opened")),
        Field("closed", "date", label=N_("Date closed")),
    ),
    geometry_types=("Point", "Polygon", "MultiPolygon"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check mission presence against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)
