"""The language switch: each person reads pocmap in the language they choose.

The choice is a select box at the top of the sidebar (every language pocmap has a
catalogue for, named in itself). It is remembered three ways:

- in the browser session (``st.session_state``), for every later run of any page;
- in the address (``?lang=fr``), so a reload or a bookmark opens in the same language
  (a new browser session starts from it);
- nowhere else: the users file has no place for preferences yet (its entries have a
  fixed set of keys), so a signed-in person's choice is not kept on the server.

With no choice, the deployment's language (``POCMAP_LANG``), else English. The language
is set at the top of every run (:func:`choose`), and :func:`languages.current` asks this
module for it too (:func:`language_of_this_session`), so a fragment's partial rerun, which
does not run ``app.py``, speaks the person's language as well.

Streamlit's file uploader writes its own English ("Upload", "200MB per file", "Drag and
drop a file here"); :func:`file_uploader_in_language` replaces those texts with ours in
any language but English (CSS ``content``, the only handle Streamlit gives on them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

import languages
from languages import N_, Labels, _, format_number

CHOICE = "pocmap_language"
"""Where the session keeps the person's language (beyond the widget's own state, which
Streamlit drops on a run that does not draw the widget)."""

WIDGET = "language_switch"
PARAMETER = "lang"
"""The address's query parameter: ``?lang=fr``."""


def language_of_this_session() -> str | None:
    """The language chosen in this browser session, or ``None`` outside a page run (a
    thread of the server, the command line, a test): never raises."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx(suppress_warning=True) is None:
            return None
        return languages.chosen(st.session_state.get(CHOICE))
    except Exception:  # no session at all (bare mode, shutting down): the default then
        return None


def _from_address() -> str | None:
    try:
        return languages.chosen(st.query_params.get(PARAMETER))
    except Exception:  # a malformed address: as if no language was given
        return None


def _remember() -> None:
    # The widget's new value, kept where fragments and later runs read it.
    st.session_state[CHOICE] = st.session_state[WIDGET]
    _resend_choices()


def _resend_choices() -> None:
    """Every widget's value written again, so the browser is sent it anew.

    A select box shows its options through a function in the person's language, and the
    browser keeps the option *as shown*: after a switch it would send the old language's
    words back, which name no option any more (the value would become those words).
    Read here, the values are still the options (codes), read in the old language; written
    back, Streamlit shows them in the new language and tells the browser.
    """
    for key in list(st.session_state.keys()):
        if key in (WIDGET, CHOICE):
            continue
        try:
            value = st.session_state[key]
        except Exception:  # a widget with no value to read: nothing stale
            continue
        # Only choices are shown as words (select boxes, radios, multiselects); writing
        # back another widget (an expander's state, a button) is refused by Streamlit.
        if isinstance(value, str) or (
            isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value)
        ):
            st.session_state[key] = value


def choose() -> str:
    """Set this run's language from the person's choice and draw the switch (sidebar).

    Called at the top of ``app.py``, before anything is shown: the choice comes from the
    session, else the address (``?lang=``), else :func:`languages.default`. Returns it.
    """
    languages.set_resolver(language_of_this_session)
    language = (
        languages.chosen(st.session_state.get(CHOICE)) or _from_address() or languages.default()
    )
    st.session_state[CHOICE] = language
    if st.session_state.get(WIDGET) != language:
        st.session_state[WIDGET] = language
    languages.set_language(language)
    offered = languages.available()
    st.sidebar.selectbox(
        _("Language"),
        offered,
        format_func=languages.language_name,
        key=WIDGET,
        on_change=_remember,
    )
    given = _from_address()
    if given != language and (given is not None or language != languages.default()):
        # In the address too: a reload, a bookmark or a shared link keeps the language.
        # The deployment's own language is left out of an address that has none.
        st.query_params[PARAMETER] = language
    return language


def _css_text(text: str) -> str:
    """``text`` as a CSS string (``content: "..."``), nothing in it able to end the rule."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return '"' + escaped.replace("<", "\\3C ").replace(">", "\\3E ") + '"'


def file_uploader_in_language(limit_mb: float, extensions: list[str]) -> None:
    """Streamlit's file uploader with our words instead of its English ones: the button,
    the limit (``limit_mb``, pocmap's own upload limit rather than Streamlit's) and the
    accepted ``extensions``, and the text shown while a file is dragged over it.

    Nothing is changed in English: Streamlit's own words are English already.
    """
    if languages.current() == languages.ENGLISH:
        return
    button = _("Choose a file")
    limit = _(
        "Up to {size} MB per file • {extensions}",
        size=format_number(limit_mb),
        extensions=", ".join(e.lstrip(".").upper() for e in extensions),
    )
    dragging = _("Drop the file here")
    dropzone = '[data-testid="stFileUploaderDropzone"]'
    instructions = '[data-testid="stFileUploaderDropzoneInstructions"]'
    # Streamlit's texts are taken out of the page (display: none, so neither seen nor
    # read by a screen reader or a copy), ours drawn by their container instead.
    st.html(
        "<style>"
        # The limit line.
        f"{instructions} span {{display: none;}}"
        f"{instructions} > div::after {{content: {_css_text(limit)}; font-size: 0.875rem;}}"
        # The button: its label hidden, ours after the icon.
        f'{dropzone} button [data-testid="stMarkdownContainer"] {{display: none;}}'
        f'{dropzone} button[data-testid="stBaseButton-secondary"] [data-has-shortcut]::after'
        f" {{content: {_css_text(button)}; margin-left: 0.5rem;}}"
        # While a file is dragged over it: an overlay with Streamlit's sentence.
        f"{dropzone} > div:not([data-testid]) > span {{display: none;}}"
        f"{dropzone} > div:not([data-testid])::after {{content: {_css_text(dragging)};}}"
        "</style>"
    )


# --- what the pages show of codes and frames ---------------------------------------------

CONFIDENCE_LABELS = Labels(
    {"confirmed": N_("confirmed"), "probable": N_("probable"), "possible": N_("possible")}
)
"""A motivation's confidence as people read it (the codes are English words)."""

OUTCOME_LABELS = Labels(
    {
        "accepted": N_("accepted"),
        "accepted_with_warning": N_("accepted with warning"),
        "rejected": N_("rejected"),
        "out_of_scope": N_("out of scope"),
        "unchanged": N_("unchanged"),
        "updated": N_("updated"),
    }
)
"""A report line's outcome as people read it (the report files keep the codes)."""

EDIT_HEADINGS = Labels(
    {
        "edit_id": N_("edit"),
        "layer": N_("layer"),
        "row_key": N_("row"),
        "batch_id": N_("batch"),
        "column": N_("column"),
        "before": N_("before"),
        "after": N_("after"),
        "edited_by": N_("edited by"),
        "edited_at": N_("edited at"),
        "reason": N_("why"),
    }
)
"""The headings of an incident's coding history."""


def headings(columns: Iterable[object], labels: Mapping[str, str]) -> dict[str, Any]:
    """A ``column_config`` that shows each of ``columns`` named in ``labels`` under its
    heading in the person's language; the frame keeps its own column names."""
    return {str(c): st.column_config.Column(labels[str(c)]) for c in columns if str(c) in labels}


def blanks_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its missing text cells empty: Streamlit's tables write "None" in
    English in them otherwise."""
    shown = frame.copy()
    for column in shown.columns:
        if shown[column].dtype == object:
            shown[column] = shown[column].where(shown[column].notna(), "")
    return shown
