"""Mission presence: its fields, codes and labels."""

from __future__ import annotations

import pandas as pd

from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate

PRESENCE_KINDS = (
    "area_of_responsibility",
    "field_office",
    "base",
    "temporary_operating_base",
)

PRESENCE_LABELS = {
    "area_of_responsibility": "Field office area of responsibility",
    "field_office": "Field office",
    "base": "Base",
    "temporary_operating_base": "Temporary operating base",
}

SPEC = LayerSpec(
    name="mission_presence",
    fields=(
        Field("presence_id", "text", required=True, unique=True),
        Field("name", "text", required=True),
        Field("kind", "code", required=True, codes=PRESENCE_KINDS),
        Field("field_office", "text", required=True),
        Field("opened", "date"),
        Field("closed", "date"),
    ),
    geometry_types=("Point", "Polygon", "MultiPolygon"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check mission presence against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)
