"""pocmap: the Streamlit entry point. A router only; each page lives in ui/pages/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
PAGES = ROOT / "ui" / "pages"
# A local icon: a ":material/...:" page icon makes the browser fetch it from Google.
FAVICON = ROOT / "static" / "favicon.png"

st.set_page_config(
    page_title="pocmap: joint POC and political map",
    page_icon=str(FAVICON),
    layout="wide",
)

navigation = st.navigation(
    [
        st.Page(PAGES / "joint_map.py", title="Joint map", icon=":material/map:", default=True),
        st.Page(PAGES / "joint_analysis.py", title="Joint analysis", icon=":material/insights:"),
        st.Page(PAGES / "upload.py", title="Upload", icon=":material/upload_file:"),
        st.Page(
            PAGES / "layers_and_codes.py", title="Layers and codes", icon=":material/list_alt:"
        ),
    ]
)
navigation.run()
