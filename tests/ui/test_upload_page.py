"""The Upload page under AppTest: a real file through detection, report and commit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ingest.profiles import PROFILE_LABELS
from store import open_store
from tests.ingest import uploads

ROOT = Path(__file__).resolve().parents[2]
UPLOAD = str(ROOT / "ui" / "pages" / "upload.py")
JOINT_MAP = str(ROOT / "ui" / "pages" / "joint_map.py")


@pytest.fixture(scope="module")
def boundaries_file(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("ui-template") / "pocmap.gpkg")


@pytest.fixture
def db(boundaries_file, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _upload(fixture: uploads.Fixture, mime: str, office: str | None = None) -> AppTest:
    at = AppTest.from_file(UPLOAD, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    at.selectbox(key="upload_layer").set_value(fixture.layer).run()
    if office:
        at.selectbox(key="upload_office").set_value("Another office…").run()
        at.text_input(key="upload_new_office").input(office).run()
    at.file_uploader(key="upload_file").set_value((fixture.name, fixture.data, mime)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_an_upload_is_previewed_reported_and_committed(db) -> None:
    fixture = uploads.native_incidents_cp1252()
    at = _upload(fixture, "text/csv")
    assert _metrics(at) == {
        "Rows read": "5",
        "Accepted": "4",
        "Accepted with a warning": "0",
        "Out of scope": "0",
        "Rejected": "1",
    }
    report = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert "swapped" in report.loc[report["Row"] == 6, "Problem"].iloc[0]
    assert open_store(db).batches("incidents") == []  # nothing written before confirming

    at.button(key="upload_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Imported as batch" in s.value for s in at.success)
    batches = open_store(db).batches("incidents")
    assert [(b.rows_read, b.rejected, b.office) for b in batches] == [(5, 1, "HQ")]

    # The joint map now shows what was imported.
    joint = AppTest.from_file(JOINT_MAP, default_timeout=60).run()
    assert not joint.exception, [e.message for e in joint.exception]
    assert {m.label: m.value for m in joint.metric}["Incidents shown"] == "4"


def test_a_refused_file_says_why_and_writes_nothing(db) -> None:
    fixture = uploads.Fixture(
        "incidents.csv", b"<OGRVRTDataSource></OGRVRTDataSource>", "incidents",
        uploads.Expected(0, 0, 0),
    )  # fmt: skip
    at = _upload(fixture, "text/csv")
    assert at.error, "a disguised VRT must be refused with a message"
    assert open_store(db).batches() != [] and open_store(db).batches("incidents") == []


def test_a_spatial_upload_shows_its_preview_and_history(db) -> None:
    fixture = uploads.agreements_geojson()
    at = _upload(fixture, "application/geo+json")
    assert _metrics(at)["Rejected"] == "1"
    at.button(key="upload_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    history = at.dataframe[-1].value
    assert "accords.geojson" in set(history["file"])


BUILDERS = uploads.builders()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_format_and_profile_imports_through_the_page(db, tmp_path, name) -> None:
    fixture = BUILDERS[name](tmp_path)
    if fixture.layer == "admin_boundaries":
        db.unlink()  # into an empty store: boundaries define the mission area
        st.cache_resource.clear()
    at = _upload(fixture, "application/octet-stream", office="Bureau de test")
    metrics = _metrics(at)
    assert metrics, [e.value for e in at.error]
    assert metrics["Rows read"] == f"{fixture.expected.rows_read:,}"
    assert metrics["Rejected"] == f"{fixture.expected.rejected:,}"
    assert metrics["Out of scope"] == f"{fixture.expected.out_of_scope:,}"
    if fixture.detected:
        label = PROFILE_LABELS[fixture.detected]
        assert any(f"columns: **{label}**" in m.value for m in at.markdown)
    at.button(key="upload_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Imported as batch" in s.value for s in at.success)
    assert len(open_store(db).layer(fixture.layer)) == fixture.expected.accepted


def test_the_map_pages_before_any_incident_and_on_an_empty_store(db, tmp_path, monkeypatch):
    layers_page = str(ROOT / "ui" / "pages" / "layers_and_codes.py")
    for page in (JOINT_MAP, layers_page):
        at = AppTest.from_file(page, default_timeout=60).run()
        assert not at.exception, [e.message for e in at.exception]
        if page == JOINT_MAP:
            assert {m.label: m.value for m in at.metric}["Incidents shown"] == "0"
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "empty.gpkg"))
    st.cache_resource.clear()
    for page in (JOINT_MAP, layers_page, UPLOAD):
        at = AppTest.from_file(page, default_timeout=60).run()
        assert not at.exception, [e.message for e in at.exception]
        if page != UPLOAD:  # nothing to map: the page says where to start
            assert any("Upload" in i.value for i in at.info), page


def test_file_names_show_literally_never_as_markdown(db) -> None:
    fixture = uploads.agreements_geojson()
    hostile = uploads.Fixture(
        "![x](http://198.51.100.1/t.png)[click](http://a).geojson",
        fixture.data,
        fixture.layer,
        fixture.expected,
    )
    at = _upload(hostile, "application/geo+json")
    at.button(key="upload_import").click().run()
    message = at.success[0].value
    assert r"\!\[x\]\(http\:" in message and "](http://" not in message
