"""The offline basemap's features: their fields and kinds."""

from __future__ import annotations

import pandas as pd

from languages import N_, Labels
from schema.fields import Field, LayerSpec
from schema.fields import validate as _validate

FEATURE_KINDS = ("land", "capital", "town", "road", "mining_road", "river")

FEATURE_KIND_LABELS = Labels(
    {
        "land": N_("Land"),
        "capital": N_("Capital"),
        "town": N_("Town"),
        "road": N_("Road"),
        "mining_road": N_("Mining road"),
        "river": N_("River"),
    }
)

SPEC = LayerSpec(
    name="basemap",
    fields=(
        Field("name", "text", label=N_("Name")),
        Field(
            "kind",
            "code",
            required=True,
            codes=FEATURE_KINDS,
            label=N_("Feature kind"),
            code_labels=FEATURE_KIND_LABELS,
        ),
    ),
    geometry_types=("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"),
)


def validate(frame: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Check basemap features against :data:`SPEC`."""
    return _validate(frame, SPEC, source=source)
