"""Who may code (AppTest, signed in with a password): the Coding page is listed and works
for analysts only; a viewer, a field office or an admin is refused, sees no incident's
evidence and changes nothing, even by opening the page's address."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from access.users import load
from store import open_store
from tests.ui.coding_store import CODING, fill

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORD = "a long enough password"
PEOPLE = {
    "lead": ("viewer", None),
    "kalondo": ("field_office", "JMAC"),  # the office that sent the incidents, even
    "ana": ("analyst", None),
    "it": ("admin", None),
}
NARRATIVE = "Armed men stole 40 head of cattle"


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "pocmap.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    st.cache_resource.clear()
    fill(path)
    users = load(tmp_path / "users.json")
    for name, (role, office) in PEOPLE.items():
        users.add(name, role, office=office, password=PASSWORD, by="test")
    yield path
    st.cache_resource.clear()


def signed_in(path: str, name: str) -> AppTest:
    at = AppTest.from_file(path, default_timeout=90).run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def everything_said(at: AppTest) -> str:
    said = [m.value for m in (*at.markdown, *at.info, *at.caption, *at.subheader)]
    said += [str(b.label) for b in at.button]
    return "\n".join(said).replace("\\", "")


def listed(at: AppTest) -> list[str]:
    """The script of each page the app's navigation registered for this person."""
    return [Path(str(p.get("script_path"))).name for p in at._registered_pages.values()]


@pytest.mark.parametrize("name", ["lead", "kalondo", "it"])
def test_other_roles_are_refused_and_see_no_evidence(db, name):
    at = signed_in(CODING, name)
    assert "Coding is for analysts" in at.info[0].value
    said = everything_said(at)
    assert NARRATIVE not in said and "Zande militia" not in said
    assert not [b for b in at.button if b.key and b.key.startswith("coding_")]
    assert open_store(db).edits("incidents").empty


def test_an_analyst_codes_and_reads_the_restricted_evidence(db):
    at = signed_in(CODING, "ana")
    said = everything_said(at)
    assert NARRATIVE in said and "Zande militia" in said and "vol de bétail" in said
    at.button(key="coding_motivation_predation").click().run()
    at.button(key="coding_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert set(open_store(db).edits("incidents", "Q-1")["edited_by"]) == {"ana"}


@pytest.mark.parametrize(("name", "offered"), [("ana", True), ("lead", False), ("it", False)])
def test_the_page_is_listed_for_analysts_only(db, name, offered):
    at = signed_in(APP, name)
    pages = listed(at)
    assert pages, "the app's navigation was not found"
    assert ("coding_page.py" in pages) is offered
