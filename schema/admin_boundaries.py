"""Administrative boundaries: their fields and levels."""

from __future__ import annotations

import pandas as pd

from languages import N_, Labels
from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate

ADMIN_LEVELS = ("1", "2")

ADMIN_LEVEL_LABELS = Labels(
    {
        "1": N_("First level"),
        "2": N_("Second level"),
    }
)

SPEC = LayerSpec(
    name="admin_boundaries",
    fields=(
        Field(
            "admin_id",
            "text",
            required=True,
            unique=True,
            description=N_("P-code"),
            label=N_("Area ID"),
        ),
        Field("name", "text", required=True, label=N_("Name")),
        Field(
            "level",
            "code",
            required=True,
            codes=ADMIN_LEVELS,
            label=N_("Level"),
            code_labels=ADMIN_LEVEL_LABELS,
        ),
        Field(
            "parent_id",
            "text",
            description=N_("the admin1 P-code of an admin2 area"),
            label=N_("Parent area ID"),
        ),
    ),
    geometry_types=("Polygon", "MultiPolygon"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check admin boundaries against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)
