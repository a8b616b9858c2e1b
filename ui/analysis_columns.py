"""The joint analysis tables as a person reads them: headers and coded values in the
current language.

The tables keep their columns' identifiers and codes (the CSV downloads are data, read by
other tools); only what the page shows is translated: each column gets a readable label
through ``st.column_config`` and coded columns (motivation, perpetrator type...) show
their labels.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from analysis import columns as analysis_columns
from analysis.emerging import CATEGORY_LABELS
from languages import Labels, _
from schema.incidents import (
    INCIDENT_TYPE_LABELS,
    MOTIVATION_LABELS,
    PERPETRATOR_LABELS,
)
from schema.local_agreements import AGREEMENT_TYPE_LABELS, STATUS_LABELS
from schema.political_processes import MILESTONE_LABELS, PROCESS_STATUS_LABELS

VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "motivation": MOTIVATION_LABELS,
    "dominant_motivation": MOTIVATION_LABELS,
    "perpetrator_type": PERPETRATOR_LABELS,
    "top_perpetrator": PERPETRATOR_LABELS,
    "incident_type": INCIDENT_TYPE_LABELS,
    "agreement_type": AGREEMENT_TYPE_LABELS,
    # An agreement's or a local process's status: their codes do not overlap.
    "status": Labels({**STATUS_LABELS.english, **PROCESS_STATUS_LABELS.english}),
    "kind": MILESTONE_LABELS,
    "category": CATEGORY_LABELS,
}
"""Columns holding codes, shown by their labels (values with no label are shown as
they are: a process's status, a kind written out by the analysis)."""


def column_label(column: str) -> str | None:
    """``column``'s header in the current language (``analysis.columns``, which names
    every table's columns); ``None`` when it has none."""
    label = analysis_columns.column_label(column)
    return None if label == column else label


def _value_label(labels: Mapping[str, str]):
    # _() of a label: plain English labels and already translated ones both come out
    # in the current language.
    return lambda v: _(labels[v]) if isinstance(v, str) and v in labels else v


def shown(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, object]]:
    """The table as shown (coded values as labels) and its columns' configuration
    (labels), for ``st.dataframe``; the table itself is left as it is."""
    display = table.copy()
    for column, labels in VALUE_LABELS.items():
        if column in display.columns and not pd.api.types.is_numeric_dtype(display[column]):
            display[column] = display[column].astype(object).map(_value_label(labels))
    config: dict[str, object] = {}
    for column in display.columns:
        label = column_label(str(column))
        if label is not None:
            config[str(column)] = st.column_config.Column(label)
    return display, config


def show(table: pd.DataFrame) -> None:
    """``st.dataframe`` of ``table`` with its labels."""
    display, config = shown(table)
    st.dataframe(display, hide_index=True, width="stretch", column_config=config)
