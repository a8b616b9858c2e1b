"""The incident desk's table and its CSV: the selected incidents as people read them, and
which rows' restricted fields the person may read.

Restricted fields (``access.session.RESTRICTED``: narrative, perpetrator name, motivation as
written) are read only where ``Session.may("view_restricted", office)`` says so for the
office that sent the row's batch; a folder of files (``POCMAP_DATA_DIR``) has no batches,
so there only a role that may read every office's (analysts) reads them. The data a page
loads is already blanked by the session for its role; these checks hold on their own too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from access.session import RESTRICTED
from analysis.joint import table_csv
from languages import N_, Labels, _
from schema.incidents import (
    CONFIDENCE_LABELS,
    INCIDENT_TYPE_LABELS,
    MOTIVATION_LABELS,
    PERPETRATOR_LABELS,
)

TABLE_ROWS = 10_000
"""At most this many rows are drawn in the table (the newest); the CSV holds them all."""

HEADINGS = Labels(
    {
        "incident_id": N_("Incident"),
        "date": N_("Date"),
        "place": N_("Place"),
        "incident_type": N_("Incident type"),
        "motivation": N_("Motivation"),
        "motivation_confidence": N_("Confidence"),
        "perpetrator_type": N_("Perpetrator type"),
        "fatalities": N_("Fatalities"),
        "source": N_("Source"),
        "batch_id": N_("Batch"),
    }
)
"""The table's columns and their headings (the frame keeps the ids)."""

CSV_COLUMNS = (
    "incident_id", "date", "date_precision", "incident_type", "event_type_raw", "motivation",
    "motivation_confidence", "motivation_origin", "motivation_raw", "perpetrator_type",
    "perpetrator_name", "fatalities", "injured", "abducted", "victim_groups",
    "location_precision", "longitude", "latitude", "admin1", "admin2", "field_office",
    "source", "narrative", "event_group", "counted", "batch_id",
)  # fmt: skip
"""The CSV's columns: the data's identifiers and codes, as an export holds them."""

_CODED: dict[str, Mapping[str, str]] = {
    "incident_type": INCIDENT_TYPE_LABELS,
    "motivation": MOTIVATION_LABELS,
    "motivation_confidence": CONFIDENCE_LABELS,
    "perpetrator_type": PERPETRATOR_LABELS,
}


def restricted_readable(
    incidents: pd.DataFrame, may: Any, offices: Mapping[int, str | None]
) -> np.ndarray:
    """Per incident, whether its restricted fields may be read: ``may(office)`` for the
    office of its batch (``offices``: batch number to office), ``may(None)`` without
    batches (a folder of files). A batch not listed is not readable."""
    if "batch_id" not in incidents.columns:
        return np.full(len(incidents), bool(may(None)))
    # Asked once per batch, then per row by number: quick at a million rows.
    readable = [batch for batch, office in offices.items() if may(office)]
    numbers = pd.to_numeric(incidents["batch_id"], errors="coerce").to_numpy(dtype=float)
    return np.isin(numbers, np.asarray(readable, dtype=float))


def gated(incidents: pd.DataFrame, readable: np.ndarray) -> pd.DataFrame:
    """``incidents`` with every restricted field empty on the rows not ``readable``."""
    shown = incidents.copy()
    for column in RESTRICTED["incidents"]:
        if column in shown.columns:
            shown[column] = shown[column].astype(object).where(readable, None)
    return shown


def table(incidents: pd.DataFrame) -> pd.DataFrame:
    """The table people read: newest first, at most :data:`TABLE_ROWS`, coded values as
    their labels in the current language, the place as ``admin2, admin1``."""
    newest = incidents.sort_values(["date", "incident_id"], ascending=[False, True])
    newest = newest.iloc[:TABLE_ROWS]
    shown = pd.DataFrame(index=newest.index)
    shown["incident_id"] = newest["incident_id"].astype(str).to_numpy()
    shown["date"] = pd.to_datetime(newest["date"]).to_numpy()
    places = [newest[c].astype(object) for c in ("admin2", "admin1") if c in newest.columns]
    shown["place"] = [
        ", ".join(str(v) for v in pair if isinstance(v, str) and v)
        for pair in zip(*places, strict=True)
    ]
    for column, labels in _CODED.items():
        shown[column] = (
            newest[column]
            .astype(object)
            .map(
                lambda v, labels=labels: _(labels[v]) if isinstance(v, str) and v in labels else ""
            )
        )
    shown["fatalities"] = pd.to_numeric(newest["fatalities"], errors="coerce").to_numpy()
    shown["source"] = newest["source"].astype(object).where(newest["source"].notna(), "")
    if "batch_id" in newest.columns:
        shown["batch_id"] = pd.to_numeric(newest["batch_id"], errors="coerce").astype("Int64")
    return shown.reset_index(drop=True)


def column_config(columns: Any) -> dict[str, Any]:
    """Each column's heading in the person's language (dates written as ISO days)."""
    config: dict[str, Any] = {
        str(c): st.column_config.Column(_(HEADINGS[str(c)])) for c in columns if c in HEADINGS
    }
    if "date" in config:
        config["date"] = st.column_config.DateColumn(_(HEADINGS["date"]), format="YYYY-MM-DD")
    return config


def csv(incidents: pd.DataFrame, readable: np.ndarray) -> bytes:
    """The selected incidents as CSV (:data:`CSV_COLUMNS`), restricted fields empty where
    not ``readable``."""
    plain = gated(incidents, readable)
    if "geometry" in plain.columns:
        places = plain.geometry
        has = ~(places.isna() | places.is_empty).to_numpy()
        xs, ys = np.full(len(plain), np.nan), np.full(len(plain), np.nan)
        xs[has], ys[has] = places[has].x.to_numpy(), places[has].y.to_numpy()
        plain["longitude"], plain["latitude"] = xs.round(5), ys.round(5)
    plain = pd.DataFrame(plain[[c for c in CSV_COLUMNS if c in plain.columns]])
    plain["date"] = pd.to_datetime(plain["date"]).dt.strftime("%Y-%m-%d")
    return table_csv(plain)
