"""pocmap behind its HTTP checks: ``streamlit run asgi.py`` (what ``pocmap serve`` runs).

Streamlit finds ``app`` below and serves ``app.py`` (the pages) through it, with
:class:`ui.guard.Guard` in front of every request: the Host check on every endpoint, not
only the WebSocket, and downloads served only to the browser session that asked for them
(docs/local-mode.md). ``streamlit run app.py`` still works, without these HTTP checks.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ui.guard import Guard

app = st.App(Path(__file__).resolve().parent / "app.py", middleware=[Middleware(Guard)])
