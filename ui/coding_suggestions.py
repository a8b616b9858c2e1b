"""pocmap's suggested motivation beside the coding form, and accepting it (key A).

A suggestion is never a code: accepting it records it as the analyst's coding with the
origin ``suggestion`` and a reason naming the suggestion, so the history says who
accepted what. Suggestions come from ``coding.suggest`` (rules a mission can read, and a
model trained on the mission's own codes once there are enough).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from languages import _, current, format_number
from schema.incidents import CONFIDENCE_LABELS, MOTIVATION_LABELS, MOTIVATIONS
from ui.text import md

ACCEPT_KEY = "A"
PROBABLE_FROM = 0.7
"""A suggestion this sure or surer is accepted as ``probable``, a less sure one as
``possible`` (unless the analyst chose a confidence): a suggestion is never a source
stating the motive, so never ``confirmed``."""


@dataclass(frozen=True)
class Suggested:
    """One incident's suggestion."""

    motivation: str
    confidence: float | None
    reason: str
    by: str

    @property
    def confidence_code(self) -> str:
        sure = self.confidence is not None and self.confidence >= PROBABLE_FROM
        return "probable" if sure else "possible"

    @property
    def words(self) -> str:
        """``Predation (confidence 0.8) — sub-event type Looting; …``, as the history keeps it."""
        label = MOTIVATION_LABELS[self.motivation]
        if self.confidence is None:
            return _("{motivation} — {reason}", motivation=label, reason=self.reason)
        return _(
            "{motivation} (confidence {confidence}) — {reason}",
            motivation=label,
            confidence=format_number(self.confidence, 2),
            reason=self.reason,
        )


@st.cache_resource(show_spinner=False, max_entries=4)
def _table(_pending: pd.DataFrame, _coded: pd.DataFrame, key: tuple) -> pd.DataFrame | None:
    from coding.suggest import suggest

    return suggest(_pending, coded=_coded) if len(_pending) else None


def table(events: pd.DataFrame, everything: pd.DataFrame, key: tuple) -> pd.DataFrame | None:
    """The suggestions for ``events`` (the filter's) not yet assessed, the model (when
    there is one) learning from all of ``everything``'s coded incidents; computed once per
    ``key`` (the store's state and the filter) and language (the reasons are words)."""
    unknown = events["motivation"].astype(str).eq("unknown").to_numpy(dtype=bool)
    coded = everything[everything["motivation"].astype(str).ne("unknown").to_numpy(dtype=bool)]
    with st.spinner(_("Suggesting motivations…")):
        return _table(events[unknown], coded, (*key, current()))


def one(suggestions: pd.DataFrame | None, incident: str) -> Suggested | None:
    """``incident``'s suggestion, ``None`` when there is none."""
    if suggestions is None or not len(suggestions):
        return None
    rows = suggestions[suggestions["incident_id"].astype(str) == incident]
    if not len(rows):
        return None
    row = rows.iloc[0]
    motivation = row.get("motivation")
    if not isinstance(motivation, str) or motivation not in MOTIVATIONS or motivation == "unknown":
        return None
    confidence = row.get("confidence")
    sure = None if confidence is None or pd.isna(confidence) else float(confidence)
    return Suggested(motivation, sure, str(row.get("reason") or ""), str(row.get("by") or ""))


def show(
    suggested: Suggested | None, *, on_accept: Callable[..., None], args: tuple[Any, ...]
) -> None:
    """The suggestion in words and its *Accept* button (key A)."""
    if suggested is None:
        st.caption(_("No suggestion for this incident."))
        return
    st.info(
        _(
            "Suggested: {suggestion}. Accepting it records it as your coding ({confidence}), "
            "marked as an accepted suggestion.",
            suggestion=md(suggested.words),
            confidence=CONFIDENCE_LABELS[suggested.confidence_code],
        ),
        icon=":material/lightbulb:",
    )
    st.button(
        _("Accept the suggestion"),
        key="coding_accept",
        shortcut=ACCEPT_KEY,
        on_click=on_accept,
        args=(*args, suggested),
    )


def quality(everything: pd.DataFrame) -> None:
    """How far to trust the suggestions: the model's precision and recall per motivation on
    held-out coded incidents of this mission (or why there is no model yet), and where the
    rules' own figures are (measured on hand-labelled real events)."""
    coded = everything[everything["motivation"].astype(str).ne("unknown").to_numpy(dtype=bool)]
    with st.expander(_("How good are the suggestions?")):
        st.caption(
            _(
                "Rules: their precision and coverage per motivation, measured on hand-labelled "
                "real events, are in docs/suggestions.md (pocmap's folder). The model learns "
                "from this mission's own codes; below, how it did on coded incidents it was "
                "not trained on."
            )
        )
        from coding.suggest import model_status

        trained = model_status(coded)  # kept per set of codes by coding.model
        if trained.model is None or not len(trained.evaluation):
            st.write(md(trained.why))
            return
        table = trained.evaluation.assign(
            motivation=lambda t: t["motivation"].map(lambda m: MOTIVATION_LABELS.get(m, m)),
            precision=lambda t: t["precision"].map(lambda v: format_number(v, 2)),
            recall=lambda t: t["recall"].map(lambda v: format_number(v, 2)),
        )
        table.columns = [
            _("Motivation"),
            _("Precision"),
            _("Recall"),
            _("Coded incidents held out"),
        ]
        st.dataframe(table, hide_index=True)
        st.caption(
            _(
                "Precision: of the model's suggestions of a motivation, the share the analysts "
                "had coded so. Recall: of the incidents the analysts coded so, the share the "
                "model suggested."
            )
        )
