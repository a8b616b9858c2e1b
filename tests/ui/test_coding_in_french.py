"""The Coding page in French (AppTest, an analyst signed in): the queue, its codebook panel
(from docs/codebook.fr.md) and bulk coding leave no English word, and the default reason
is French too; the same page in English is English (the check can fail)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from access.users import load
from coding.suggest import suggest
from languages import use
from store import open_store
from tests.ui.coding_store import CODING, fill
from tests.ui.test_pages_in_french import data_values, english_on, other_parts
from ui.coding_codebook import entries

PASSWORD = "a long enough password"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    st.cache_resource.clear()
    fill(path)
    load(tmp_path / "users.json").add("ana", "analyst", password=PASSWORD, by="test")
    yield path
    st.cache_resource.clear()


def signed_in(language: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("POCMAP_LANG", language)
    at = AppTest.from_file(CODING, default_timeout=90).run()
    at.text_input(key="auth_name").input("ana")
    at.text_input(key="auth_password").input(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def ignoring(db: Path) -> set[str]:
    with use("fr"):
        said = data_values(db) | {"ana", str(open_store(db).location)} | other_parts()
    # The incidents' text as the sources wrote it (narratives, names, event types).
    incidents = open_store(db).layer("incidents").drop(columns="geometry")
    for column in incidents.columns:
        for value in incidents[column].dropna():
            if isinstance(value, str):  # and ACLED's sub-event type, which rules quote
                said.update({value, *value.split(": ")})
    # What suggestions quote of an incident (a phrase found in its narrative) is data.
    with use("fr"):
        reasons = suggest(open_store(db).layer("incidents"))["reason"]
    said.update(m for r in reasons for m in re.findall(r"«\s*(.+?)\s*»", str(r)))
    return said


def assert_french(at: AppTest, db: Path) -> None:
    left = english_on(at, ignoring(db))
    assert left == {}, "English left on the Coding page in French:\n" + "\n".join(
        f"{sorted(words)} in {text!r}" for text, words in left.items()
    )


def test_the_queue_in_french(db, monkeypatch):
    at = signed_in("fr", monkeypatch)
    assert at.title[0].value == "Codage"
    assert at.text_input(key="coding_reason").value == "codé depuis la file de codage"
    # The codebook panel is the French codebook's text.
    french = entries("fr")["predation"].definition
    assert any(french in m.value for m in at.markdown)
    assert_french(at, db)
    at.button(key="coding_motivation_revenge").click().run()
    at.button(key="coding_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert_french(at, db)


def test_bulk_coding_in_french(db, monkeypatch):
    at = signed_in("fr", monkeypatch)
    at.segmented_control(key="coding_mode").set_value("bulk").run()
    at.text_input(key="coding_bulk_words").input("cattle").run()
    at.checkbox(key="coding_bulk_all").check().run()
    assert_french(at, db)
    at.text_input(key="coding_bulk_reason").input("razzias de mars").run()
    at.button(key="coding_bulk_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success[0].value == "2 incidents recodés ; 0 inchangé."
    assert_french(at, db)


def test_the_same_page_in_english_is_english(db, monkeypatch):
    at = signed_in("en", monkeypatch)
    assert english_on(at, ignoring(db)), "no English found on the English page: check broken"
