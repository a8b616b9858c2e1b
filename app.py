"""pocmap: the Streamlit entry point. A router only; each page lives in ui/pages/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from languages import _
from ui import data, language

ROOT = Path(__file__).resolve().parent
PAGES = ROOT / "ui" / "pages"
# A local icon: a ":material/...:" page icon makes the browser fetch it from Google.
FAVICON = ROOT / "static" / "favicon.png"
JOINT_MAP = PAGES / "joint_map.py"
JOINT_ANALYSIS = PAGES / "joint_analysis.py"
UPLOAD = PAGES / "upload.py"
REVIEW = PAGES / "review.py"
LAYERS_AND_CODES = PAGES / "layers_and_codes.py"
ADMIN = PAGES / "admin.py"
DOUBLE_CODING = PAGES / "double_coding.py"
# Not coding.py: Streamlit puts a page's folder on sys.path, where that name would hide the
# coding package.
CODING = PAGES / "coding_page.py"
INCIDENTS = PAGES / "incidents.py"

# The person's language first: every text below (the sign-in included) is in it.
language.choose()
st.set_page_config(
    page_title=_("pocmap: joint POC and political map"),
    page_icon=str(FAVICON),
    layout="wide",
)

# Signs the person in first (or stops here); the pages each role sees.
session = data.session()
pages = [
    st.Page(JOINT_MAP, title=_("Joint map"), icon=":material/map:", default=True),
    st.Page(JOINT_ANALYSIS, title=_("Joint analysis"), icon=":material/insights:"),
]
if session.may("view_map"):
    pages.append(st.Page(INCIDENTS, title=_("Incidents"), icon=":material/article:"))
if session.may("edit_motivation"):
    pages.append(st.Page(CODING, title=_("Coding"), icon=":material/edit_note:", url_path="coding"))
if session.may("double_code"):
    pages.append(st.Page(DOUBLE_CODING, title=_("Double coding"), icon=":material/rule:"))
if session.may("upload", session.caller.office):
    pages.append(st.Page(UPLOAD, title=_("Upload"), icon=":material/upload_file:"))
if session.may("review"):
    pages.append(st.Page(REVIEW, title=_("Review"), icon=":material/fact_check:"))
pages.append(st.Page(LAYERS_AND_CODES, title=_("Layers and codes"), icon=":material/list_alt:"))
if session.may("view_audit"):
    pages.append(st.Page(ADMIN, title=_("Admin"), icon=":material/shield_person:"))
st.navigation(pages).run()
