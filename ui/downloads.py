"""Downloads tied to the browser session that asked for them, and short-lived.

Streamlit serves a download button's file at ``/media/<id>.<ext>`` to anyone who has the
URL, for as long as it keeps the file. pocmap narrows that (docs/local-mode.md):

- every download is made only when its button is clicked (``data=`` a callable), over the
  page's own WebSocket, so its bytes exist only after a signed-in page asked for them;
- it is registered here with the browser that asked (the ``pocmap_browser`` cookie, set by
  :mod:`ui.guard`) and the Streamlit session; the guard serves ``/media/`` only to that
  browser, while that session is connected, for the page's own two fetches (it checks
  the URL, then saves the file), within :func:`lifetime` seconds; anything else gets 404;
- after :func:`lifetime` the file is removed from Streamlit's memory whichever server runs
  the app (plain ``streamlit run app.py`` has no guard in front, so there the removal is
  the only narrowing: see docs/local-mode.md).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from streamlit.runtime.scriptrunner import get_script_run_ctx

COOKIE = "pocmap_browser"
"""The random, HttpOnly, SameSite=Strict cookie :mod:`ui.guard` gives each browser."""

LIFETIME_ENV = "POCMAP_DOWNLOAD_MINUTES"
DEFAULT_MINUTES = 10.0


FETCHES_PER_GRANT = 2
"""Streamlit's page fetches a download twice: a check of the URL, then the save."""


@dataclass
class Grant:
    """One browser's right to fetch one file ``uses`` more times, until ``expires``
    (``time.monotonic``)."""

    browser: str
    session_id: str
    expires: float
    uses: int = FETCHES_PER_GRANT


_lock = threading.Lock()
_grants: dict[str, list[Grant]] = {}  # media file id -> who may fetch it
_browsers: dict[str, set[str]] = {}  # browser cookie -> sessions that vouched for it


def lifetime() -> float:
    """Seconds a download stays fetchable: ``POCMAP_DOWNLOAD_MINUTES`` (default 10)."""
    text = os.environ.get(LIFETIME_ENV, "").strip()
    try:
        minutes = float(text) if text else DEFAULT_MINUTES
    except ValueError:
        minutes = DEFAULT_MINUTES
    return max(minutes, 0.05) * 60.0


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _browser() -> str | None:
    return st.context.cookies.get(COOKIE) or None


def vouch() -> None:
    """Record that this page run's browser has a signed-in session (its images may be
    fetched while that session is connected). Call only after sign-in passed."""
    browser, session_id = _browser(), _session_id()
    if browser and session_id:
        with _lock:
            _browsers.setdefault(browser, set()).add(session_id)


def _session_alive(session_id: str) -> bool:
    try:
        return Runtime.instance().is_active_session(session_id)
    except RuntimeError:  # no runtime: nothing is being served
        return False


def browser_has_session(browser: str | None) -> bool:
    """Whether ``browser`` has a connected session that vouched for it."""
    if not browser:
        return False
    with _lock:
        sessions = set(_browsers.get(browser, ()))
    alive = {s for s in sessions if _session_alive(s)}
    with _lock:  # forget ended sessions
        if alive:
            _browsers[browser] = alive
        else:
            _browsers.pop(browser, None)
    return bool(alive)


def grant(file_id: str, browser: str, session_id: str) -> None:
    """Let ``browser`` fetch ``file_id`` (:data:`FETCHES_PER_GRANT` times) within
    :func:`lifetime`, while ``session_id`` is connected."""
    seconds = lifetime()
    with _lock:
        grants = [g for g in _grants.get(file_id, []) if g.expires > time.monotonic()]
        grants.append(Grant(browser, session_id, time.monotonic() + seconds))
        _grants[file_id] = grants
    _remove_later(file_id, seconds)


def take(file_id: str, browser: str | None) -> bool:
    """Whether ``browser`` may fetch ``file_id`` now; a yes counts as one of the grant's
    :data:`FETCHES_PER_GRANT` fetches."""
    if not browser:
        return False
    now = time.monotonic()
    with _lock:
        grants = _grants.get(file_id, [])
        mine = [g for g in grants if g.browser == browser and g.expires > now and g.uses > 0]
        usable = [g for g in mine if _session_alive(g.session_id)]
        if not usable:
            return False
        usable[0].uses -= 1
        if usable[0].uses == 0:
            grants.remove(usable[0])
        if not grants:
            _grants.pop(file_id, None)
    return True


def granted(file_id: str) -> bool:
    """Whether any grant for ``file_id`` is pending (a download under way or to come)."""
    now = time.monotonic()
    with _lock:
        return any(g.expires > now for g in _grants.get(file_id, []))


def remove(file_id: str) -> None:
    """Take ``file_id`` out of Streamlit's memory unless a grant for it is pending."""
    if granted(file_id):
        return
    with _lock:
        _grants.pop(file_id, None)
    try:
        storage: Any = Runtime.instance().media_file_mgr._storage
    except RuntimeError:
        return
    storage.delete_file(file_id)  # a missing file is not an error


def _remove_later(file_id: str, seconds: float) -> None:
    timer = threading.Timer(seconds + 0.5, remove, args=(file_id,))
    timer.daemon = True
    timer.start()


def button(
    container: Any,
    label: str,
    make: Callable[[], bytes],
    *,
    file_name: str,
    mime: str,
    key: str,
    icon: str | None = None,
) -> None:
    """A download button whose file is made by ``make`` when clicked and served only as
    this module says (to this browser, while this session lives, for a while)."""
    browser, session_id = _browser(), _session_id()
    vouch()

    def build() -> bytes:
        data = make()
        # The id Streamlit's memory storage gives these bytes, name and type (the same
        # call it makes): the guard serves /media/<id> only against a grant.
        file_id = _calculate_file_id(data, mime, file_name)
        if browser and session_id:
            grant(file_id, browser, session_id)
        else:  # no guard in front (plain `streamlit run app.py`): short-lived all the same
            _remove_later(file_id, lifetime())
        return data

    container.download_button(
        label, build, file_name=file_name, mime=mime, key=key, on_click="ignore", icon=icon
    )
