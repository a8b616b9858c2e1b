"""The review page's queue of links: two sources' reports that may be one event.

An analyst reads both reports side by side and confirms (one event, counted once) or
splits (two events); the counts on every page follow at once. Decisions are kept, audited
and can be reversed (put back in the queue).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ingest.relink import side_by_side
from languages import N_, Labels, _, format_number
from schema.incidents import INCIDENT_TYPE_LABELS, PERPETRATOR_LABELS
from ui import language
from ui.text import md

_DECISIONS = Labels({"confirmed": N_("Same event: confirm"), "split": N_("Two events: split")})
_BRIEF = Labels(
    {
        "incident_id": N_("incident id"),
        "date": N_("date"),
        "incident_type": N_("incident type"),
        "perpetrator_type": N_("perpetrator type"),
        "fatalities": N_("fatalities"),
        "source": N_("source"),
    }
)
"""What the queue shows of each report, and the headings people read."""
_CODED = {"incident_type": INCIDENT_TYPE_LABELS, "perpetrator_type": PERPETRATOR_LABELS}
_LINK_ID, _SCORE, _REASON = "link_id", "score", "reason"


def show(session: Any) -> None:
    """The queue (links waiting for an analyst) and the decision form."""
    st.subheader(_("Same event, several sources"))
    links = session.links()
    counts = links["status"].value_counts()
    st.caption(
        _(
            "ACLED, UCDP GED and the mission's own reports often describe the same event. "
            "Reports close in time and place, with agreeing types and perpetrators, are linked "
            "and the event counted once (the preferred source's figures). {linked} linked by "
            "pocmap, {confirmed} confirmed and {split} split by analysts; {queued} waiting for "
            "you below.",
            linked=format_number(int(counts.get("linked", 0))),
            confirmed=format_number(int(counts.get("confirmed", 0))),
            split=format_number(int(counts.get("split", 0))),
            queued=format_number(int(counts.get("queued", 0))),
        )
    )
    queued = links[links["status"] == "queued"]
    if not len(queued):
        st.write(_("No link is waiting."))
        return
    rows = side_by_side(queued, session.layer("incidents"))
    table = _table(rows)
    st.dataframe(
        table, hide_index=True, width="stretch", column_config=_table_headings(table.columns)
    )
    chosen = st.selectbox(
        _("Link"), [r[_LINK_ID] for r in rows], key="links_chosen", format_func=str
    )
    row = next(r for r in rows if r[_LINK_ID] == chosen)
    st.caption(md(row[_REASON]))
    left, right = st.columns(2)
    for column, side in ((left, "a"), (right, "b")):
        report = pd.DataFrame(
            {"": list(row[side]), "report": [_text(v) for v in row[side].values()]}
        )
        column.dataframe(
            report,
            hide_index=True,
            width="stretch",
            column_config={"report": st.column_config.Column(_("report {side}", side=side))},
        )
    why = st.text_input(_("Why (kept in the record)"), key="links_reason", max_chars=500)
    buttons = st.columns(len(_DECISIONS))
    for column, decision in zip(buttons, _DECISIONS, strict=True):
        if column.button(_DECISIONS[decision], key=f"links_{decision}", disabled=not why.strip()):
            session.decide_link(chosen, decision, reason=why.strip())
            st.rerun()


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One line per link: both reports' date, type, perpetrator, deaths and source (codes
    shown as their labels)."""
    return pd.DataFrame(
        [
            {"link": r[_LINK_ID], "score": round(r[_SCORE], 2)}
            | {f"{k} ({side})": _shown(k, r[side].get(k)) for side in ("a", "b") for k in _BRIEF}
            for r in rows
        ]
    )


def _table_headings(columns: Any) -> dict[str, Any]:
    """The queue's headings in the person's language (the frame keeps its names)."""
    named = {"link": _("link"), "score": _("score")}
    for side in ("a", "b"):
        for k in _BRIEF:
            named[f"{k} ({side})"] = _("{field} ({side})", field=_BRIEF[k], side=side)
    return language.headings(columns, named)


def _shown(field: str, value: Any) -> str:
    labels = _CODED.get(field)
    if labels is not None and value is not None and value in labels:
        return labels[value]
    return _text(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
