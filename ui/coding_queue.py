"""The coding queue: the not-yet-assessed incidents of the filter one after another, the
evidence beside a form pre-filled with the incident's current coding, and keys for all of
it (1-6 a motivation, 7-9 a confidence, S save and next, N skip, B previous, A accept the
suggestion). The position is kept in the session (``coding.queue.Position``)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from access.session import Session
from coding import queue as q
from languages import N_, _, format_number, ngettext
from schema.incidents import (
    CONFIDENCE_LABELS,
    MOTIVATION_LABELS,
    MOTIVATIONS,
    PERPETRATOR_LABELS,
    PERPETRATOR_TYPES,
)
from ui import coding_codebook, coding_evidence, coding_suggestions
from ui.text import md

POSITION = "coding_position"
CHOICE = "coding_choice"
MESSAGE = "coding_message"
REASON = "coding_reason"
KEPT_REASON = "coding_reason_kept"
DEFAULT_REASON = N_("coded from the queue")
CODED = tuple(m for m in MOTIVATIONS if m != q.UNKNOWN)
MOTIVATION_KEYS = {m: str(k) for k, m in enumerate(CODED, start=1)}
CONFIDENCE_KEYS = {"confirmed": "7", "probable": "8", "possible": "9"}
# Letters, the same in every language ("c" and "r" are Streamlit's own).
SAVE_KEY, SKIP_KEY, BACK_KEY = "S", "N", "B"


def _value(row: pd.Series, column: str) -> str | None:
    value = row.get(column)
    if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value):
        return None
    return str(value)


def _current(row: pd.Series) -> dict[str, Any]:
    """The incident's coding as stored: what the form opens on."""
    return {
        "incident": str(row["incident_id"]),
        "motivation": _value(row, "motivation"),
        "confidence": _value(row, "motivation_confidence"),
        "perpetrator_type": _value(row, "perpetrator_type"),
    }


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE] = (kind, text)


def _choose(field: str, value: str) -> None:
    st.session_state[CHOICE] = {**st.session_state[CHOICE], field: value}


def _move(queue: q.Queue, how: str) -> None:
    position = st.session_state.get(POSITION, q.Position())
    moves = {"skip": q.skip, "back": q.back, "forward": q.forward}
    st.session_state[POSITION] = moves[how](queue, position)
    st.session_state.pop(MESSAGE, None)


def _again() -> None:
    st.session_state[POSITION] = q.again(st.session_state.get(POSITION, q.Position()))


def _keep_reason() -> None:
    st.session_state[KEPT_REASON] = st.session_state[REASON]


def _save(session: Session, queue: q.Queue, stored: dict[str, Any], origin: str) -> None:
    """Record the form's coding (or the accepted suggestion) and move on."""
    choice = st.session_state[CHOICE]
    incident, reason = stored["incident"], st.session_state.get(REASON, "").strip()
    if origin == "suggestion":
        reason = choice["suggestion_reason"]
    motivation = choice["motivation"] if choice["motivation"] != stored["motivation"] else None
    confidence = choice["confidence"] if choice["confidence"] != stored["confidence"] else None
    try:
        if motivation is not None or confidence is not None:
            session.edit_motivation(
                incident, motivation=motivation, confidence=confidence, reason=reason,
                origin=origin,
            )  # fmt: skip
        if choice["perpetrator_type"] != stored["perpetrator_type"]:
            session.edit_perpetrator_type(incident, choice["perpetrator_type"], reason=reason)
    except (KeyError, ValueError) as err:
        _say("error", md(err.args[0] if err.args else err))
        return
    _move(queue, "forward")
    _say(
        "success",
        _(
            "{incident} coded: {motivation} ({confidence}).",
            incident=md(incident),
            motivation=MOTIVATION_LABELS[choice["motivation"]],
            confidence=CONFIDENCE_LABELS[choice["confidence"]] if choice["confidence"] else "—",
        ),
    )


def _progress(queue: q.Queue, position: q.Position) -> None:
    left, total = q.left(queue), len(queue.ordered)
    st.progress(
        1 - left / total if total else 1.0,
        text=ngettext(
            "{left} of {n} incident of the filter not yet assessed",
            "{left} of {n} incidents of the filter not yet assessed",
            total,
            left=format_number(left),
        )
        + (
            " · " + ngettext("{n} skipped", "{n} skipped", len(position.skipped))
            if position.skipped
            else ""
        ),
    )


def _buttons(codes: dict[str, str], labels: Any, field: str, chosen: str | None) -> None:
    """One button per code (three a row, so labels stay whole), the chosen one lit."""
    items = list(codes.items())
    for start in range(0, len(items), 3):
        row = items[start : start + 3]
        for column, (code, key) in zip(st.columns(3), row, strict=False):
            column.button(
                labels[code],
                key=f"coding_{field}_{code}",
                shortcut=key,
                type="primary" if chosen == code else "secondary",
                on_click=_choose,
                args=(field, code),
                width="stretch",
            )


def _form(session: Session, queue: q.Queue, row: pd.Series, suggestion: Any) -> None:
    stored = _current(row)
    if st.session_state.get(CHOICE, {}).get("incident") != stored["incident"]:
        st.session_state[CHOICE] = dict(stored)
    choice = st.session_state[CHOICE]
    st.markdown(_("**Motivation** (keys 1 to 6)"))
    _buttons(MOTIVATION_KEYS, MOTIVATION_LABELS, "motivation", choice["motivation"])
    st.markdown(_("**Confidence** (keys 7, 8, 9)"))
    _buttons(CONFIDENCE_KEYS, CONFIDENCE_LABELS, "confidence", choice["confidence"])
    types = list(PERPETRATOR_TYPES)
    chosen_type = choice["perpetrator_type"]
    picked = st.selectbox(
        _("Perpetrator type"),
        types,
        index=types.index(chosen_type) if chosen_type in types else None,
        format_func=lambda t: PERPETRATOR_LABELS[t],
        key=f"coding_perpetrator_{stored['incident']}",
        placeholder=_("Choose a perpetrator type"),
    )
    if picked is not None:
        choice["perpetrator_type"] = picked
    if REASON not in st.session_state:
        st.session_state[REASON] = st.session_state.get(KEPT_REASON, _(DEFAULT_REASON))
    reason = st.text_input(
        _("Why (kept in the history of each incident you code)"),
        key=REASON,
        on_change=_keep_reason,
        max_chars=500,
    )
    unchanged = all(
        choice[f] == stored[f] for f in ("motivation", "confidence", "perpetrator_type")
    )
    not_assessed = choice["motivation"] in (None, q.UNKNOWN)
    save, skip, back = st.columns(3)
    save.button(
        _("Save and next"),
        key="coding_save",
        shortcut=SAVE_KEY,
        type="primary",
        disabled=not reason.strip() or not_assessed or unchanged,
        on_click=_save,
        args=(session, queue, stored, "analyst"),
        width="stretch",
    )
    skip.button(
        _("Skip"), key="coding_skip", shortcut=SKIP_KEY, on_click=_move, args=(queue, "skip"),
        width="stretch",
    )  # fmt: skip
    back.button(
        _("Previous"), key="coding_back", shortcut=BACK_KEY, on_click=_move, args=(queue, "back"),
        width="stretch",
    )  # fmt: skip
    if not reason.strip():
        st.caption(_("Write why before saving: every change of a coding keeps its reason."))
    coding_suggestions.show(suggestion, on_accept=_accept, args=(session, queue, stored))


def _accept(session: Session, queue: q.Queue, stored: dict[str, Any], suggested: Any) -> None:
    """Accept the suggestion: its motivation (and confidence) saved as the analyst's, with
    origin ``suggestion`` and a reason naming it."""
    st.session_state[CHOICE] = {
        **st.session_state[CHOICE],
        "motivation": suggested.motivation,
        "confidence": suggested.confidence_code,
        "suggestion_reason": _("accepted pocmap's suggestion: {why}", why=suggested.words),
    }
    _save(session, queue, stored, "suggestion")


def show(
    session: Session,
    reports: pd.DataFrame,
    events: pd.DataFrame,
    suggestions: pd.DataFrame | None,
) -> None:
    """The queue of ``events`` (the filter's, each event once), with ``suggestions``
    (``coding.suggest``'s table) beside the form."""
    queue = q.build(events)
    position = q.settle(queue, st.session_state.get(POSITION, q.Position()))
    st.session_state[POSITION] = position
    _progress(queue, position)
    message = st.session_state.get(MESSAGE)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])
    if position.current is None:
        if position.skipped:
            st.info(_("Only skipped incidents are left."))
            st.button(_("Go through the skipped incidents again"), key="coding_again",
                      on_click=_again)  # fmt: skip
        else:
            st.success(_("Nothing left to assess in this filter."))
        st.button(_("Previous"), key="coding_back", shortcut=BACK_KEY, on_click=_move,
                  args=(queue, "back"))  # fmt: skip
        return
    row = events.set_index(events["incident_id"].astype(str)).loc[position.current]
    suggestion = coding_suggestions.one(suggestions, position.current)
    evidence, form = st.columns([1, 1], gap="large")
    with evidence:
        coding_evidence.show(session, row, reports)
    with form:
        _form(session, queue, row, suggestion)
        coding_codebook.show(st.session_state[CHOICE]["motivation"])
