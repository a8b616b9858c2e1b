"""One incident as an analyst reads it: what happened, its coding and where the coding came
from, its source and batch, the other sources' reports of the same event, its coding history.

Restricted fields (narrative, perpetrator name, motivation as written) are shown only when
the session may read them for the office that sent the incident's batch
(:func:`ui.incident_table.restricted_readable`); otherwise the panel says they are
restricted and shows nothing of them. Every value from the data is markdown-escaped.
Other pages link here with :func:`link` (the address ``?incident=<id>``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from access.roles import Caller
from access.session import WITHHELD, Session
from languages import N_, Labels, _, format_date, format_number
from schema.incidents import (
    CONFIDENCE_LABELS,
    DATE_PRECISION_LABELS,
    INCIDENT_TYPE_LABELS,
    LOCATION_PRECISION_LABELS,
    MOTIVATION_LABELS,
    MOTIVATION_ORIGIN_LABELS,
    PERPETRATOR_LABELS,
    VICTIM_GROUP_LABELS,
)
from schema.mission import MissionData
from ui import incident_table, language
from ui.data import data_folder, store
from ui.text import md

PAGE = "ui/pages/incidents.py"
"""The incident desk, as app.py registers it (relative to the app's folder)."""
ADDRESS = "incidents"
"""The incident desk's path in the app (``ui/pages/incidents.py``)."""
QUERY = "incident"
"""The address parameter naming the incident shown: ``?incident=<id>``."""
DAY = "dd MMM y"
LINKED_HEADINGS = Labels(
    {
        "incident_id": N_("Report"),
        "source": N_("Source"),
        "date": N_("Date"),
        "fatalities": N_("Fatalities"),
        "counted": N_("Counted"),
    }
)
LINK_STATUS_LABELS = Labels(
    {
        "linked": N_("linked by pocmap"),
        "queued": N_("waiting for an analyst"),
        "confirmed": N_("confirmed by an analyst"),
        "split": N_("split by an analyst"),
    }
)


def link(incident_id: str, *, label: str | None = None) -> None:
    """A link to ``incident_id`` in the incident desk (same browser session). A page run on
    its own (no app around it, as in tests) gets a plain link to the address instead."""
    label = label or _("Open {incident} in the incident desk", incident=md(incident_id))
    try:
        st.page_link(PAGE, label=label, query_params={QUERY: incident_id})
    except StreamlitAPIException:
        from urllib.parse import urlencode

        # The desk's address beside the page (its file name is its path in the app).
        address = f"{ADDRESS}?{urlencode({QUERY: incident_id})}"
        st.markdown(f"[{label}]({address})")


# --- the reports of linked events ---------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _linked_reports(location: str, fingerprint: tuple, role: str, office: str | None) -> Any:
    # Every report with an event group, the ones not counted included (the map's data
    # leaves those out): as the caller's role and office see them.
    view = Session(store(), Caller(f"{role} view", role, office))
    layer = view.layer("incidents")
    return layer[layer["event_group"].notna()] if "event_group" in layer else layer.iloc[:0]


def linked_reports(session: Session, data: MissionData) -> pd.DataFrame:
    """Every report that belongs to a linked event, as this session may see them."""
    if data_folder() is not None:
        incidents = data.incidents
        return (
            incidents[incidents["event_group"].notna()]
            if "event_group" in incidents
            else (incidents.iloc[:0])
        )
    everything = store()
    fingerprint = (
        tuple((b.batch_id, b.status, b.review) for b in everything.batches()),
        tuple(everything.links()[["link_id", "status"]].itertuples(index=False, name=None)),
        len(everything.edits()),  # a recoded report not counted reads as recoded
    )
    caller = session.caller
    return _linked_reports(everything.location, fingerprint, caller.role, caller.office)


def find(incident_id: str, data: MissionData, linked: pd.DataFrame) -> pd.Series | None:
    """The incident ``incident_id`` among the data's and the linked reports (``None``)."""
    for frame in (data.incidents, linked):
        rows = frame[frame["incident_id"].astype(str) == incident_id]
        if len(rows):
            return rows.iloc[0]
    return None


# --- the panel ----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _label(value: Any, labels: Any) -> str:
    text = _text(value)
    if text is None:
        return _("not given")
    return _(labels[text]) if text in labels else md(text)


def _line(name: str, value: str) -> None:
    st.markdown(_("**{name}**: {value}", name=name, value=value))


def show(session: Session, data: MissionData, incident_id: str) -> None:
    """The detail panel of ``incident_id`` (an error naming it when the data lack it)."""
    linked = linked_reports(session, data)
    row = find(incident_id, data, linked)
    if row is None:
        st.error(
            _(
                "No incident {incident} in the data you may see: check the id in the address "
                "(?incident=...), or pick one in the table.",
                incident=md(incident_id),
            )
        )
        return
    batches = {b.batch_id: b for b in session.batches("incidents")}
    number = row.get("batch_id")
    batch = batches.get(int(number)) if number is not None and not pd.isna(number) else None
    offices = {b: batches[b].office for b in batches}
    frame = row.to_frame().T
    readable = bool(
        incident_table.restricted_readable(
            frame, lambda o: session.may("view_restricted", o), offices
        )[0]
    )
    st.subheader(_("Incident {incident}", incident=md(incident_id)))
    what, coding = st.columns(2)
    with what:
        day = pd.Timestamp(row["date"])
        precision = _text(row.get("date_precision"))
        when = format_date(day, DAY)
        if precision and precision != "day":
            when = _(
                "{day} (known to the {precision})",
                day=when,
                precision=_label(precision, DATE_PRECISION_LABELS).lower(),
            )
        _line(_("Date"), when)
        place = ", ".join(md(v) for v in (_text(row.get("admin2")), _text(row.get("admin1"))) if v)
        _line(_("Place"), place or _("not given"))
        _line(
            _("Location precision"),
            _label(row.get("location_precision"), LOCATION_PRECISION_LABELS),
        )
        _line(_("Field office"), md(_text(row.get("field_office")) or "") or _("not given"))
        _line(_("Incident type"), _label(row.get("incident_type"), INCIDENT_TYPE_LABELS))
        _line(
            _("Event type as written"), md(_text(row.get("event_type_raw")) or "") or _("not given")
        )
        counts = {
            _("Fatalities"): row.get("fatalities"),
            _("Injured"): row.get("injured"),
            _("Abducted"): row.get("abducted"),
        }
        for name, value in counts.items():
            if value is not None and not pd.isna(value):
                _line(name, format_number(int(value)))
        groups = [g for g in (_text(row.get("victim_groups")) or "").split(";") if g.strip()]
        if groups:
            _line(
                _("Victim groups"),
                ", ".join(_label(g.strip(), VICTIM_GROUP_LABELS) for g in groups),
            )
    with coding:
        _line(_("Motivation"), _label(row.get("motivation"), MOTIVATION_LABELS))
        _line(_("Confidence"), _label(row.get("motivation_confidence"), CONFIDENCE_LABELS))
        origin = _text(row.get("motivation_origin")) or "source"
        _line(_("Motivation coded"), _label(origin, MOTIVATION_ORIGIN_LABELS))
        _line(_("Perpetrator type"), _label(row.get("perpetrator_type"), PERPETRATOR_LABELS))
        _line(_("Source"), md(_text(row.get("source")) or "") or _("not given"))
        if batch is not None:
            source_name = _("withheld") if batch.source_name == WITHHELD else md(batch.source_name)
            _line(
                _("Batch"),
                _(
                    "{batch}, sent by {office}, file {file}, imported {day}",
                    batch=batch.batch_id,
                    office=md(batch.office),
                    file=source_name,
                    day=format_date(pd.Timestamp(batch.imported_at[:10]), DAY),
                ),
            )
    _restricted(row, readable, batch.office if batch is not None else None)
    _linked(session, row, linked)
    _history(session, incident_id)


def _restricted(row: pd.Series, readable: bool, office: str | None) -> None:
    st.markdown("**" + _("Restricted fields") + "**")
    if not readable:
        if office:
            said = _(
                "Narrative, perpetrator name and motivation as written are restricted: only "
                "analysts and the office that sent this incident ({office}) may read them.",
                office=md(office),
            )
        else:  # a folder of files: no batch says which office sent it
            said = _(
                "Narrative, perpetrator name and motivation as written are restricted: only "
                "analysts may read them here."
            )
        st.info(said, icon=":material/lock:")
        return
    _line(_("Motivation as written"), md(_text(row.get("motivation_raw")) or "") or _("not given"))
    _line(_("Perpetrator name"), md(_text(row.get("perpetrator_name")) or "") or _("not given"))
    narrative = _text(row.get("narrative"))
    with st.container(border=True, key="incident_narrative"):
        st.markdown("**" + _("Narrative") + "**")
        st.markdown(md(narrative) if narrative else _("not given"))


def _linked(session: Session, row: pd.Series, linked: pd.DataFrame) -> None:
    st.markdown("**" + _("Same event, other sources") + "**")
    group = _text(row.get("event_group"))
    reports = linked[linked["event_group"].astype(str) == group] if group else linked.iloc[:0]
    others = reports[reports["incident_id"].astype(str) != str(row["incident_id"])]
    if not len(others):
        st.caption(_("No other source's report is linked to this incident."))
        return
    shown = pd.DataFrame(
        {
            "incident_id": reports["incident_id"].astype(str).to_numpy(),
            "source": reports["source"].astype(object).fillna("").to_numpy(),
            "date": [format_date(pd.Timestamp(d), DAY) for d in reports["date"]],
            "fatalities": pd.to_numeric(reports["fatalities"], errors="coerce").to_numpy(),
            "counted": [
                _("not counted: another report stands for it") if _not_counted(c) else _("counted")
                for c in reports["counted"].astype(object)
            ],
        }
    )
    st.caption(
        _(
            "The reports of this event: the one counted stands for them on every map and in "
            "the analysis."
        )
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=language.headings(shown.columns, LINKED_HEADINGS),
        key="incident_linked",
    )
    for other in others["incident_id"].astype(str).tolist()[:10]:
        if st.button(_("Read {incident}", incident=md(other)), key=f"incident_open_{other}"):
            st.query_params[QUERY] = other
            st.rerun()
    if session.may("review"):
        links = session.links()
        mine = links[(links["a"] == row["incident_id"]) | (links["b"] == row["incident_id"])]
        for _i, found in mine.iterrows():
            st.caption(
                _(
                    "Link between {a} and {b}: {status}, score {score}.",
                    a=md(found["a"]),
                    b=md(found["b"]),
                    status=_label(found["status"], LINK_STATUS_LABELS),
                    score=format_number(float(found["score"]), 2),
                )
            )


def _not_counted(value: Any) -> bool:
    """``counted`` false: another source's report of the event is counted (empty: counted)."""
    return value is not None and not pd.isna(value) and not bool(value)


def _history(session: Session, incident_id: str) -> None:
    if not session.may("view_edit_history"):
        return
    st.markdown("**" + _("Coding history") + "**")
    history = session.edits(incident_id)
    if not len(history):
        st.caption(_("Its coding has not been changed since it was imported."))
        return
    st.dataframe(
        language.blanks_for_missing(history),
        hide_index=True,
        width="stretch",
        column_config=language.headings(history.columns, language.EDIT_HEADINGS),
        key="incident_history",
    )
