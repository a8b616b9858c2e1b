"""The sign-in form under the guard (AppTest): a locked name is refused even with the right
password and says for how long; an unknown name reads the same; every refusal is in the
audit log an admin sees, and no password is."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from access import sign_ins
from access.users import load
from store import open_store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"
GUESS = "guessed wrong 1234"
LOCKED = "Too many sign-in attempts: try again in 15 minutes."


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    open_store(path)  # a new, empty store
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    users = load(tmp_path / "users.json")
    users.add("ana", "analyst", password=PASSWORD, by="test")
    users.add("it", "admin", password=PASSWORD, by="test")
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def _sign_in(name: str, password: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "admin.py"), default_timeout=90)
    at.run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    return at.button[0].click().run()


def _errors(at: AppTest) -> list[str]:
    assert not at.exception, [e.message for e in at.exception]
    return [e.value for e in at.error]


def _fail_four_more(db: Path, name: str) -> None:
    # Four more failures as the form writes them, without waiting out the short delays
    # the 3rd and 4th set (a real person would wait 2 and 4 seconds).
    store = open_store(db)
    for _ in range(4):
        sign_ins.record_refused(store, name, None, sign_ins.WRONG_PASSWORD)


@pytest.mark.parametrize("name", ["ana", "no.such.user"])
def test_after_five_failures_even_the_right_password_is_refused(db, name):
    assert _errors(_sign_in(name, GUESS)) == ["Wrong name or password."]
    _fail_four_more(db, name)
    at = _sign_in(name, PASSWORD)
    assert _errors(at) == [LOCKED]  # the same for a name that does not exist
    assert [t.value for t in at.title] == ["pocmap"]  # still the form, nothing else
    assert "Signed in as" not in " ".join(m.value for m in at.sidebar.markdown)


def test_an_admin_sees_every_refusal_and_no_password(db):
    _sign_in("ana", GUESS)
    _sign_in("my password typed here", GUESS)
    _fail_four_more(db, "ana")
    _sign_in("ana", PASSWORD)
    at = _sign_in("it", PASSWORD)
    assert not _errors(at)
    # The audit log is the page's table with an action column (users and lockouts come first).
    log = next(frame.value for frame in at.dataframe if "action" in frame.value.columns)
    refused = log[log["action"] == sign_ins.REFUSED]
    assert refused["target"].tolist() == [
        "user ana",
        "user (not a valid name)",
        *["user ana"] * 4,
        "user ana",
    ]
    assert set(refused["actor"]) == {"(not signed in)"}
    assert '"reason": "too many attempts"' in refused["details"].iloc[-1]
    everything = open_store(db).audit_log().to_csv(index=False)
    assert GUESS not in everything and PASSWORD not in everything
    assert "my password typed here" not in everything
