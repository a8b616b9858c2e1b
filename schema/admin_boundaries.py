"""Administrative boundaries: their fields and levels."""

from __future__ import annotations

import pandas as pd

from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate

ADMIN_LEVELS = ("1", "2")

SPEC = LayerSpec(
    name="admin_boundaries",
    fields=(
        Field("admin_id", "text", required=True, unique=True, description="P-code"),
        Field("name", "text", required=True),
        Field("level", "code", required=True, codes=ADMIN_LEVELS),
        Field("parent_id", "text", description="the admin1 P-code of an admin2 area"),
    ),
    geometry_types=("Polygon", "MultiPolygon"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check admin boundaries against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)
