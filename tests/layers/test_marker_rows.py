"""Marker rows computed once per distinct value equal the rows computed per incident."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from layers.escaping import escape
from layers.incidents import marker_rows
from schema.fields import split_codes
from schema.incidents import (
    CONFIDENCES,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    MOTIVATIONS,
    PERPETRATOR_TYPES,
    VICTIM_GROUP_LABELS,
)
from schema.mission import load_sample
from tests.tiny_mission import XSS, tiny_mission


def _per_incident(incidents) -> list[list]:
    """The straightforward rows: every value converted for every incident."""

    def index(series, codes):
        positions = pd.Categorical(series, categories=list(codes)).codes
        return [None if p < 0 else int(p) for p in positions]

    def count(series):
        return [None if pd.isna(v) else int(v) for v in series]

    motivation = index(incidents["motivation"], MOTIVATIONS)
    columns = [
        [escape(v) for v in incidents["incident_id"]],
        [escape(d) for d in incidents["date"]],
        index(incidents["incident_type"], INCIDENT_TYPES),
        motivation,
        index(incidents["motivation_confidence"], CONFIDENCES),
        index(incidents["perpetrator_type"], PERPETRATOR_TYPES),
        count(incidents["fatalities"]),
        count(incidents["injured"]),
        count(incidents["abducted"]),
        [
            escape(", ".join(VICTIM_GROUP_LABELS.get(g, g) for g in split_codes(v)))
            for v in incidents["victim_groups"]
        ],
        index(incidents["location_precision"], LOCATION_PRECISIONS),
        [
            escape(", ".join(str(v) for v in (a2, a1) if isinstance(v, str) and v))
            for a2, a1 in zip(incidents["admin2"], incidents["admin1"], strict=True)
        ],
        [escape(v) for v in incidents["field_office"]],
        [escape(v) for v in incidents["source"]],
    ]
    lat = np.round(incidents.geometry.y.to_numpy(), 5).tolist()
    lon = np.round(incidents.geometry.x.to_numpy(), 5).tolist()
    colour = [len(MOTIVATIONS) - 1 if m is None else m for m in motivation]
    return [list(row) for row in zip(lat, lon, colour, *columns, strict=True)]


@pytest.mark.parametrize("which", ["sample", "hostile", "gaps"])
def test_rows_equal_the_per_incident_rows(which):
    if which == "sample":
        incidents = load_sample().incidents
    else:
        incidents = tiny_mission(XSS).incidents.copy()
    if which == "gaps":  # missing values in every column the rows read
        first = incidents.index[0]
        for column in ("admin2", "admin1", "field_office", "victim_groups", "injured"):
            incidents.loc[first, column] = None
        incidents.loc[incidents.index[1], "admin1"] = None
        incidents = dataclasses.replace(tiny_mission(), incidents=incidents).incidents
    assert marker_rows(incidents) == _per_incident(incidents)
