"""The evidence beside the coding form: what the sources say of one incident.

Narrative, perpetrator's name and motivation as written are restricted fields: shown only
when the caller may read the batch's (analysts; ``access.policy``), and in any case they
come blanked from the session for anyone else.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access.session import RESTRICTED, Session
from languages import N_, Labels, _, format_date, format_number, ngettext
from schema.incidents import (
    DATE_PRECISION_LABELS,
    INCIDENT_TYPE_LABELS,
    LOCATION_PRECISION_LABELS,
    MOTIVATION_LABELS,
    PERPETRATOR_LABELS,
)
from ui import language
from ui.coding_data import linked
from ui.text import md

DAY = "dd MMM y"
LINKED_HEADINGS = Labels(
    {
        "incident_id": N_("incident"),
        "source": N_("source"),
        "date": N_("date"),
        "fatalities": N_("fatalities"),
        "perpetrator_name": N_("perpetrator"),
        "event_type_raw": N_("event type as written"),
        "narrative": N_("narrative"),
    }
)


def _text(value: object) -> str | None:
    """A cell as text, ``None`` when empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _label(labels: Labels, value: object) -> str:
    text = _text(value)
    return labels[text] if text in labels else md(text or "—")


def _fatalities(row: pd.Series) -> str:
    shown = format_number(int(row["fatalities"])) if _text(row["fatalities"]) else "—"
    low, high = _text(row.get("fatalities_low")), _text(row.get("fatalities_high"))
    if low and high and low != high:
        return _(
            "{n} (the source's range: {low} to {high})",
            n=shown,
            low=format_number(int(float(low))),
            high=format_number(int(float(high))),
        )
    return shown


def _place(row: pd.Series) -> str:
    names = [md(n) for n in (_text(row.get("admin2")), _text(row.get("admin1"))) if n]
    where = ", ".join(names) or "—"
    precision = _label(LOCATION_PRECISION_LABELS, row.get("location_precision"))
    office = _text(row.get("field_office"))
    if office:
        return _(
            "{place} ({precision}); office: {office}",
            place=where,
            precision=precision,
            office=md(office),
        )
    return _("{place} ({precision})", place=where, precision=precision)


def show(session: Session, incident: pd.Series, reports: pd.DataFrame) -> None:
    """The evidence of ``incident`` (one row of the session's incidents)."""
    readable = session.may("view_restricted")
    date = pd.Timestamp(incident["date"])
    precision = _text(incident.get("date_precision"))
    when = format_date(date, DAY)
    if precision and precision != "day":
        when = _(
            "{date} (known to the {precision})",
            date=when,
            precision=DATE_PRECISION_LABELS[precision].lower(),
        )
    incident_id = str(incident["incident_id"])
    st.subheader(md(incident_id))
    facts = [
        (_("Date"), when),
        (_("Place"), _place(incident)),
        (_("Source"), md(_text(incident.get("source")) or "—")),
        (_("Event type as written"), md(_text(incident.get("event_type_raw")) or "—")),
        (_("Incident type"), _label(INCIDENT_TYPE_LABELS, incident.get("incident_type"))),
        (_("Perpetrator type"), _label(PERPETRATOR_LABELS, incident.get("perpetrator_type"))),
        (_("Fatalities"), _fatalities(incident)),
        (_("Motivation"), _label(MOTIVATION_LABELS, incident.get("motivation"))),
    ]
    if readable:
        facts.insert(6, (_("Perpetrator name"), md(_text(incident.get("perpetrator_name")) or "—")))
        facts.append((_("Motivation as written"), md(_text(incident.get("motivation_raw")) or "—")))
    st.markdown("\n".join("- " + _("**{name}**: {value}", name=n, value=v) for n, v in facts))
    if readable:
        narrative = _text(incident.get("narrative"))
        st.markdown(_("**Narrative**"))
        with st.container(border=True):
            st.markdown(md(narrative) if narrative else _("*No narrative.*"))
    others = linked(reports, incident)
    if len(others):
        st.markdown(_("**Reports of the same event from other sources**"))
        columns = [c for c in LINKED_HEADINGS if c in others]
        if not readable:
            columns = [c for c in columns if c not in RESTRICTED["incidents"]]
        table = language.blanks_for_missing(others[columns].astype("object"))
        table["date"] = [format_date(pd.Timestamp(d), DAY) for d in others["date"]]
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config=language.headings(table.columns, LINKED_HEADINGS),
        )
    if session.may("view_edit_history"):
        history = session.edits(incident_id)
        if len(history):
            said = ngettext(
                "Coding history ({n} change)", "Coding history ({n} changes)", len(history)
            )
            with st.expander(said):
                st.dataframe(
                    language.blanks_for_missing(history.astype("object")),
                    hide_index=True,
                    width="stretch",
                    column_config=language.headings(history.columns, language.EDIT_HEADINGS),
                )
