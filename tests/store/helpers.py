"""Small builders shared by the store tests (and the child processes they start)."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd

from schema.catalogue import LAYER_SPECS, id_field
from store import NewBatch

REPORT = pd.DataFrame(
    [
        {
            "row": 3,
            "column": "fatalities",
            "value": "-1",
            "problem": "is negative",
            "expected": "a whole number, 0 or more",
            "outcome": "rejected",
        },
        {
            "row": "all",
            "column": "narrative",
            "value": None,
            "problem": "column is missing",
            "expected": "any text",
            "outcome": "accepted_with_warning",
        },
    ]
)


def new_batch(
    layer: str,
    rows: pd.DataFrame,
    original: bytes,
    *,
    office: str = "Kalondo office",
    rejected: int = 0,
) -> NewBatch:
    """A batch whose accounting adds up for ``rows``."""
    return NewBatch(
        layer=layer,
        office=office,
        uploader="a.officer",
        source_name=f"{layer}-{office}.csv".replace(" ", "_"),
        source_sha256=hashlib.sha256(original).hexdigest(),
        source_format="csv",
        profile="native",
        mapping={"date": "Date de l'incident"},
        rows_read=len(rows) + rejected,
        accepted=len(rows),
        accepted_with_warning=0,
        rejected=rejected,
        notes=["encoding: utf-8", "délimiteur: ;"],
    )


def id_column(layer: str) -> str | None:
    field = id_field(LAYER_SPECS[layer])
    return field.name if field else None


def incidents(n: int, prefix: str, *, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` valid incidents with ids ``{prefix}-0..n-1``, typed as validation types them,
    indexed by their (spreadsheet) row number and with a ``source_record`` column."""
    rng = np.random.default_rng(seed)
    ids = [f"{prefix}-{i}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "incident_id": pd.array(ids, dtype="str"),
            "date": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n), "D"),
            "incident_type": pd.array(["killing"] * n, dtype="str"),
            "motivation": pd.array(["revenge"] * n, dtype="str"),
            "motivation_raw": pd.array(["représailles"] * n, dtype="str"),
            "motivation_confidence": pd.array(["probable"] * n, dtype="str"),
            "perpetrator_type": pd.array(["community_militia"] * n, dtype="str"),
            "perpetrator_name": pd.array([None] * n, dtype="str"),
            "fatalities": pd.array(rng.integers(0, 5, n), dtype="Int64"),
            "injured": pd.array([None] * n, dtype="Int64"),
            "abducted": pd.array([0] * n, dtype="Int64"),
            "victim_groups": pd.array(["women;children"] * n, dtype="str"),
            "location_precision": pd.array(["exact"] * n, dtype="str"),
            "admin1": pd.array(["Kalondo"] * n, dtype="str"),
            "admin2": pd.array([None] * n, dtype="str"),
            "field_office": pd.array([prefix] * n, dtype="str"),
            "source": pd.array(["HRD"] * n, dtype="str"),
            "narrative": pd.array(["[SYNTHETIC]"] * n, dtype="str"),
        },
        index=pd.RangeIndex(2, n + 2),
    )
    frame["source_record"] = [json.dumps({"id": i, "geo_precision": 1}) for i in ids]
    points = gpd.points_from_xy(rng.uniform(1, 3, n), rng.uniform(-3, -2, n), crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=points)


def snapshot(path: str) -> dict[str, str]:
    """Every table's content, hashed: equal snapshots mean an unchanged store."""
    with sqlite3.connect(path) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        digests = {}
        for table in tables:
            digest = hashlib.sha256()
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
            digests[table] = digest.hexdigest()
    return digests
