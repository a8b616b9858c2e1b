"""What the Coding page codes: the store's incidents in analysis, as the caller may see
them, loaded once per change (an import, a review, a recoding)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from access.roles import Caller
from access.session import Session
from schema.incidents import counted_once
from ui.data import store


@dataclass(frozen=True)
class ForFilters:
    """What the sidebar filters read of a mission (``ui.filters.show``): the incidents, and
    offices of the mission presence (none here: the incidents name theirs)."""

    incidents: pd.DataFrame
    mission_presence: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"field_office": pd.Series([], dtype="str")})
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _reports(location: str, fingerprint: tuple, role: str, office: str | None) -> pd.DataFrame:
    # As ui.data: what a caller sees depends on their role and office only.
    view = Session(store(), Caller(f"{role} view", role, office))
    frame = pd.DataFrame(view.layer("incidents"))
    return frame.drop(columns=[c for c in ("geometry",) if c in frame]).reset_index(drop=True)


def reports(session: Session) -> pd.DataFrame:
    """Every report in analysis (linked reports of one event included), restricted fields
    blanked where the caller may not read them; reloaded after any change to the store."""
    batches = store().batches("incidents")
    fingerprint = (
        tuple((b.batch_id, b.status, b.review) for b in batches),
        len(store().edits("incidents")),
    )
    caller = session.caller
    return _reports(store().location, fingerprint, caller.role, caller.office)


def events(reports: pd.DataFrame) -> pd.DataFrame:
    """Each event once (the report the analysis counts): what is coded."""
    return counted_once(reports).reset_index(drop=True)


def linked(reports: pd.DataFrame, incident: pd.Series) -> pd.DataFrame:
    """The other reports of ``incident``'s event (other sources), if it is linked."""
    group = incident.get("event_group")
    if "event_group" not in reports or group is None or pd.isna(group) or not str(group):
        return reports.iloc[:0]
    same = reports["event_group"].astype("string").eq(str(group)).fillna(False)
    other = reports["incident_id"].astype(str).ne(str(incident["incident_id"]))
    return reports[(same & other).to_numpy(dtype=bool)]
