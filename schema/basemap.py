"""The offline basemap's features: their fields and kinds."""

from __future__ import annotations

import pandas as pd

from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate

FEATURE_KINDS = ("land", "capital", "town", "road", "mining_road", "river")

SPEC = LayerSpec(
    name="basemap",
    fields=(
        Field("name", "text"),
        Field("kind", "code", required=True, codes=FEATURE_KINDS),
    ),
    geometry_types=("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check basemap features against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)
