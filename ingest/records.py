"""Each row as the sender wrote it, kept beside the row in the store (nothing is lost)."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry


def _plain_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, BaseGeometry):
        return value.wkt
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def source_records(records: pd.DataFrame) -> pd.Series:
    """One JSON object per row: every column as read (geometry as WKT), in file order."""
    columns = [str(c) for c in records.columns]
    return pd.Series(
        [
            json.dumps(
                {c: _plain_value(v) for c, v in zip(columns, row, strict=True)},
                ensure_ascii=False,
            )
            for row in records.itertuples(index=False, name=None)
        ],
        index=records.index,
        dtype=object,
    )
