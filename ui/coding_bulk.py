"""Bulk coding: recode a selection of the filter's incidents at once, with a reason, each
incident keeping its own history row and audit entry (``Session.bulk_edit_motivation``).

The selection is the sidebar filter, narrowed by words found in the narrative or the
source's event type, then the rows ticked in the table, or all of them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access.session import RESTRICTED, Session
from languages import N_, Labels, _, format_date, ngettext
from schema.incidents import CONFIDENCE_LABELS, CONFIDENCES, MOTIVATION_LABELS, MOTIVATIONS
from ui import language
from ui.text import md

WORDS = "coding_bulk_words"
TABLE = "coding_bulk_table"
ALL = "coding_bulk_all"
MESSAGE = "coding_bulk_message"
HEADINGS = Labels(
    {
        "incident_id": N_("incident"),
        "date": N_("date"),
        "source": N_("source"),
        "event_type_raw": N_("event type as written"),
        "motivation": N_("motivation"),
        "motivation_confidence": N_("confidence"),
        "narrative": N_("narrative"),
    }
)


def matching(events: pd.DataFrame, words: str) -> pd.DataFrame:
    """``events`` whose narrative or event type as written holds ``words`` (ignoring case;
    all of them when ``words`` is empty)."""
    words = words.strip()
    if not words:
        return events
    found = pd.Series(False, index=events.index)
    for column in ("narrative", "event_type_raw"):
        if column in events:
            text = events[column].astype("string")
            found |= text.str.contains(words, case=False, regex=False).fillna(False)
    return events[found.to_numpy(dtype=bool)]


def _table(found: pd.DataFrame, readable: bool) -> pd.DataFrame:
    columns = [c for c in HEADINGS if c in found]
    if not readable:
        columns = [c for c in columns if c not in RESTRICTED["incidents"]]
    table = found[columns].astype("object").reset_index(drop=True)
    table["date"] = [format_date(pd.Timestamp(d), "dd MMM y") for d in found["date"]]
    table["motivation"] = [MOTIVATION_LABELS.get(m, m) for m in found["motivation"]]
    table["motivation_confidence"] = [
        CONFIDENCE_LABELS[c] if c in CONFIDENCE_LABELS else None
        for c in found["motivation_confidence"]
    ]
    return language.blanks_for_missing(table)


def _would_change(found: pd.DataFrame, motivation: str, confidence: str) -> int:
    same = found["motivation"].astype("string").eq(motivation).fillna(False)
    same &= found["motivation_confidence"].astype("string").eq(confidence).fillna(False)
    return int((~same).sum())


def show(session: Session, events: pd.DataFrame) -> None:
    """The bulk coding section for the filter's ``events``."""
    message = st.session_state.pop(MESSAGE, None)
    if message:
        st.success(message)
    words = st.text_input(
        _("Words in the narrative or the event type as written"),
        key=WORDS,
        placeholder=_("e.g. cattle, checkpoint, in reprisal"),
        max_chars=200,
    )
    found = matching(events, words).reset_index(drop=True)
    everything = st.checkbox(
        ngettext("All {n} matching incident", "All {n} matching incidents", len(found)),
        key=ALL,
        help=_("Off: only the rows you tick in the table."),
    )
    picked = st.dataframe(
        _table(found, session.may("view_restricted")),
        hide_index=True,
        width="stretch",
        height=320,
        key=TABLE,
        on_select="rerun",
        selection_mode="multi-row",
        column_config=language.headings(list(HEADINGS), HEADINGS),
    )
    rows = list(range(len(found))) if everything else list(picked.selection.rows)
    selected = found.iloc[[r for r in rows if r < len(found)]]
    left, mid = st.columns(2)
    motivation = left.selectbox(
        _("New motivation"), MOTIVATIONS, format_func=MOTIVATION_LABELS.get,
        key="coding_bulk_motivation",
    )  # fmt: skip
    confidence = mid.selectbox(
        _("New confidence"), CONFIDENCES, format_func=CONFIDENCE_LABELS.get, index=1,
        key="coding_bulk_confidence",
    )  # fmt: skip
    reason = st.text_input(
        _("Why (kept in the history of each incident)"), key="coding_bulk_reason", max_chars=500
    ).strip()
    changing = _would_change(selected, motivation, confidence)
    st.markdown(
        ngettext("**{n} incident will be recoded**", "**{n} incidents will be recoded**", changing)
        + " "
        + ngettext(
            "({n} selected is already so and stays as it is).",
            "({n} selected are already so and stay as they are).",
            len(selected) - changing,
        )
    )
    if not reason:
        st.caption(_("Write why before recoding: each incident's history keeps it."))
    if st.button(
        ngettext("Recode {n} incident", "Recode {n} incidents", changing),
        key="coding_bulk_confirm",
        type="primary",
        disabled=not reason or not changing,
    ):
        try:
            outcome = session.bulk_edit_motivation(
                selected["incident_id"].astype(str).tolist(),
                motivation=motivation, confidence=confidence, reason=reason,
            )  # fmt: skip
        except (KeyError, ValueError) as err:
            st.error(md(err.args[0] if err.args else err))
            return
        st.session_state[MESSAGE] = ngettext(
            "{n} incident recoded", "{n} incidents recoded", len(outcome["changed"])
        ) + ngettext("; {n} unchanged.", "; {n} unchanged.", len(outcome["unchanged"]))
        st.session_state.pop(ALL, None)
        st.rerun()
