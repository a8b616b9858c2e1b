"""Sign-in and roles in the app (AppTest): the users file, the pages each role gets, the
Review and Admin pages, and the banner when access control is off."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from access.users import load
from store import open_store
from store.base import UNDER_REVIEW
from tests.ingest import uploads
from tests.store import helpers

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "ui" / "pages"
PASSWORD = "a long enough password"
PEOPLE = {
    "lead": ("viewer", None),
    "kalondo": ("field_office", "Kalondo office"),
    "ana": ("analyst", None),
    "it": ("admin", None),
}


@pytest.fixture(scope="module")
def boundaries_file(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("auth") / "pocmap.gpkg")


@pytest.fixture
def db(boundaries_file, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


@pytest.fixture
def people(db, tmp_path):
    users = load(tmp_path / "users.json")
    for name, (role, office) in PEOPLE.items():
        users.add(name, role, office=office, password=PASSWORD, by="test")
    return users


def _page(name: str) -> AppTest:
    return AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=90)


def _sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    return at.button[0].click().run()


def test_with_no_users_access_control_is_off_and_says_so(db):
    at = _page("joint_map").run()
    assert not at.exception
    assert "Access control is off" in at.warning[0].value
    assert "this machine" in at.sidebar.markdown[0].value


def test_with_users_nothing_shows_before_signing_in(people):
    at = _page("joint_map").run()
    assert [t.value for t in at.title] == ["pocmap"]
    assert not at.metric  # no data before signing in
    at = _sign_in(_page("joint_map"), "ana", "not the password")
    assert at.error[0].value == "Wrong name or password."
    assert not at.metric


def test_signing_in_shows_the_map_and_is_audited(people, db):
    at = _sign_in(_page("joint_map"), "lead")
    assert not at.exception, [e.message for e in at.exception]
    assert "Signed in as **lead**: viewer" in at.sidebar.markdown[0].value
    assert not [w for w in at.warning if "Access control is off" in w.value]
    log = open_store(db).audit_log()
    assert log[["action", "actor", "role"]].values.tolist()[-1] == ["sign_in", "lead", "viewer"]
    # Signing out asks again.
    at.sidebar.button(key="auth_logout").click().run()
    assert [t.value for t in at.title] == ["pocmap"]


@pytest.mark.parametrize(
    ("name", "page", "refusal"),
    [
        ("lead", "upload", "does not upload data"),
        ("it", "upload", "does not upload data"),
        ("kalondo", "review", "Reviews are for analysts"),
        ("lead", "admin", "This page is for admins"),
        ("ana", "admin", "This page is for admins"),
    ],
)
def test_pages_refuse_roles_they_are_not_for(people, name, page, refusal):
    at = _sign_in(_page(page), name)
    assert not at.exception, [e.message for e in at.exception]
    assert refusal in at.info[0].value


def test_a_field_office_uploads_for_its_own_office_and_waits_for_review(people, db):
    at = _sign_in(_page("upload"), "kalondo")
    assert at.selectbox(key="upload_office").options == ["Kalondo office"]
    fixture = uploads.native_incidents_cp1252()
    at.selectbox(key="upload_layer").set_value("incidents").run()
    at.file_uploader(key="upload_file").set_value((fixture.name, fixture.data, "text/csv")).run()
    at.button(key="upload_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "waits for an analyst's review" in at.success[0].value
    (batch,) = open_store(db).batches("incidents")
    assert (batch.office, batch.uploader, batch.review) == (
        "Kalondo office",
        "kalondo",
        UNDER_REVIEW,
    )


def test_an_analyst_accepts_an_upload_on_the_review_page(people, db):
    store = open_store(db)
    rows = helpers.incidents(2, "KAL")
    batch = dataclasses.replace(helpers.new_batch("incidents", rows, b"k"), review=UNDER_REVIEW)
    done = store.commit_batch(
        batch, rows, report=helpers.REPORT, original=b"k", id_column="incident_id"
    )
    at = _sign_in(_page("review"), "ana")
    assert not at.exception, [e.message for e in at.exception]
    assert at.dataframe[0].value["batch"].tolist() == [done.batch_id]
    at.button(key="review_accept").click().run()
    assert store.batch(done.batch_id).reviewed_by == "ana"
    assert "Nothing is waiting." in [m.value for m in at.markdown]
    # Recoding, with its history shown.
    at.text_input(key="review_incident").input("KAL-1").run()
    at.selectbox(key="review_motivation").set_value("extraction")
    at.text_input(key="review_why").input("mining site").run()
    at.button(key="review_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    history = at.dataframe[-1].value
    assert history[["before", "after", "edited_by"]].values.tolist()[0] == [
        "revenge",
        "extraction",
        "ana",
    ]


def test_an_admin_sees_the_users_and_the_audit_log(people, db):
    open_store(db).record("export", by="ana", target="x.gpkg")
    at = _sign_in(_page("admin"), "it")
    assert not at.exception, [e.message for e in at.exception]
    users, log = at.dataframe[0].value, at.dataframe[1].value
    assert sorted(users["name"]) == sorted(PEOPLE)
    assert "password_hash" not in users.columns
    assert {"upload", "export", "sign_in"} <= set(log["action"])
