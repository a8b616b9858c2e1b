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
from ui.text import md

_DECISIONS = {"confirmed": "Same event: confirm", "split": "Two events: split"}


def show(session: Any) -> None:
    """The queue (links waiting for an analyst) and the decision form."""
    st.subheader("Same event, several sources")
    links = session.links()
    counts = links["status"].value_counts()
    st.caption(
        "ACLED, UCDP GED and the mission's own reports often describe the same event. "
        "Reports close in time and place, with agreeing types and perpetrators, are linked "
        "and the event counted once (the preferred source's figures). "
        f"{int(counts.get('linked', 0)):,} linked by pocmap, "
        f"{int(counts.get('confirmed', 0)):,} confirmed and {int(counts.get('split', 0)):,} "
        f"split by analysts; {int(counts.get('queued', 0)):,} waiting for you below."
    )
    queued = links[links["status"] == "queued"]
    if not len(queued):
        st.write("No link is waiting.")
        return
    rows = side_by_side(queued, session.layer("incidents"))
    st.dataframe(_table(rows), hide_index=True, width="stretch")
    chosen = st.selectbox("Link", [r["link_id"] for r in rows], key="links_chosen", format_func=str)
    row = next(r for r in rows if r["link_id"] == chosen)
    st.caption(md(row["reason"]))
    left, right = st.columns(2)
    for column, side in ((left, "a"), (right, "b")):
        column.dataframe(
            pd.DataFrame({"": list(row[side]), "report": [_text(v) for v in row[side].values()]}),
            hide_index=True,
            width="stretch",
        )
    why = st.text_input("Why (kept in the record)", key="links_reason", max_chars=500)
    buttons = st.columns(len(_DECISIONS))
    for column, (decision, label) in zip(buttons, _DECISIONS.items(), strict=True):
        if column.button(label, key=f"links_{decision}", disabled=not why.strip()):
            session.decide_link(chosen, decision, reason=why.strip())
            st.rerun()


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One line per link: both reports' date, type, perpetrator, deaths and source."""
    brief = ("incident_id", "date", "incident_type", "perpetrator_type", "fatalities", "source")
    return pd.DataFrame(
        [
            {"link": r["link_id"], "score": round(r["score"], 2)}
            | {f"{k} ({side})": _text(r[side].get(k)) for side in ("a", "b") for k in brief}
            for r in rows
        ]
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)
