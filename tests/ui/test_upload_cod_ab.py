"""The Upload page with an HDX COD-AB GeoPackage: its admin1 and admin2 layers offered
together (the default), read as one batch on the real CAR geometry."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ingest.profiles import PROFILE_LABELS
from store import open_store
from tests.ingest import cod_ab_files as files

UPLOAD = str(Path(__file__).resolve().parents[2] / "ui" / "pages" / "upload.py")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def test_an_hdx_geopackage_is_imported_with_both_layers_by_default(db, tmp_path) -> None:
    data = files.gpkg(files.hdx_layers(files.real()), tmp_path / "caf_adm.gpkg")
    at = AppTest.from_file(UPLOAD, default_timeout=90).run()
    at.selectbox(key="upload_layer").set_value("admin_boundaries").run()
    at.selectbox(key="upload_office").set_value("Another office…").run()
    at.text_input(key="upload_new_office").input("HQ").run()
    at.file_uploader(key="upload_file").set_value(
        ("caf_adm.gpkg", data, "application/geopackage+sqlite3")
    ).run()
    assert not at.exception, [e.message for e in at.exception]
    part = at.selectbox(key="upload_part")
    assert part.value == "COD-AB: the admin1 and admin2 layers"
    assert f"caf_admbnda_adm0_{files.RELEASE}" in part.options  # still choosable alone
    assert {m.label: m.value for m in at.metric}["Rows read"] == "89"
    label = PROFILE_LABELS["cod_ab"]
    assert any(f"columns: **{label}**" in m.value for m in at.markdown)
    at.button(key="upload_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    stored = open_store(db).layer("admin_boundaries")
    assert stored["level"].value_counts().to_dict() == {"2": 72, "1": 17}
