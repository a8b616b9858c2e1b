"""The Upload page shows a corrected file's difference before it is imported (issue 23)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ingest.pipeline import commit_import, preview_import
from store import open_store
from tests.ingest import uploads
from tests.ingest.test_resend import CHANGED, _files, _options

UPLOAD = str(Path(__file__).resolve().parents[2] / "ui" / "pages" / "upload.py")


@pytest.fixture(scope="module")
def boundaries_file(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("ui-resend") / "pocmap.gpkg")


@pytest.fixture
def db(boundaries_file, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def test_the_difference_is_shown_before_the_update_is_imported(db) -> None:
    first, corrected, was = _files("csv")
    store = open_store(db)
    # The page's local user imports for HQ: the earlier file came from HQ too.
    commit_import(store, preview_import(store, first, _options(office="HQ")))

    at = AppTest.from_file(UPLOAD, default_timeout=60).run()
    at.selectbox(key="upload_layer").set_value("incidents").run()
    at.file_uploader(key="upload_file").set_value((corrected.name, corrected.data, "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["New rows"], metrics["Unchanged (skipped)"], metrics["Updated"]) == (
        "1",
        "27",
        "2",
    )
    assert "A corrected file sent again" in [h.value for h in at.subheader]
    table = next(d.value for d in at.dataframe if "stored value" in d.value.columns)
    shown = {
        (row["id"], row["column"]): (row["stored value"], row["value in this file"])
        for _, row in table.iterrows()
    }
    assert shown == {(i, c): (was[i], v) for i, (c, v) in CHANGED.items()}
    assert len(open_store(db).batches("incidents")) == 1  # nothing written before confirming

    at.button(key="upload_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    batch = open_store(db).batches("incidents")[0]
    assert (batch.updated, batch.unchanged, batch.accepted + batch.accepted_with_warning) == (
        2,
        27,
        3,
    )
    incidents = open_store(db).layer("incidents").set_index("incident_id")
    assert len(incidents) == 31 and incidents.loc["INC-000004", "fatalities"] == 7
