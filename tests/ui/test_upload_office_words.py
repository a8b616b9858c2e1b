"""An office's own words on the Upload page: "Extorsion" can mean a threat or extraction;
the page asks once, the rows come in with the office's meaning, and the meaning is kept
with the column mapping for the next file."""

from __future__ import annotations

import dataclasses

from streamlit.testing.v1 import AppTest

from store import open_store
from tests.ingest import uploads
from tests.ui.test_upload_page import UPLOAD, boundaries_file, db  # noqa: F401 (fixtures)


def _with_extorsion() -> uploads.Fixture:
    fixture = uploads.native_incidents_cp1252()
    lines = fixture.data.decode("cp1252").split("\n")
    # Two rows of the file say "Extorsion" where the incident type goes.
    for n in (1, 2):
        lines[n] = lines[n].replace(";killing;", ";Extorsion;", 1)
    return dataclasses.replace(fixture, data="\n".join(lines).encode("cp1252"))


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_office_chooses_once_what_a_word_means(db, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setenv("POCMAP_LANG", "fr")
    fixture = _with_extorsion()
    at = AppTest.from_file(UPLOAD, default_timeout=60).run()
    at.selectbox(key="upload_layer").set_value("incidents").run()
    at.file_uploader(key="upload_file").set_value((fixture.name, fixture.data, "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    refused = int(_metrics(at)["Refusées"])
    assert refused >= 2
    assert "Les mots de votre bureau" in [s.value for s in at.subheader]
    (question,) = [s for s in at.selectbox if "Extorsion" in s.label]
    assert "(2 lignes)" in question.label
    assert question.options[0] == "Choisir…" and "Menace" in question.options
    question.set_value("threat").run()
    at.button(key=next(b.key for b in at.button if b.key.endswith("_words_apply"))).click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert int(_metrics(at)["Refusées"]) == refused - 2
    assert not [s for s in at.selectbox if "Extorsion" in s.label]  # asked once
    # Kept with the mapping: the next file reads the word the office's way.
    at.text_input(key="upload_keep_as").input("ndoubi").run()
    at.button(key="upload_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    store = open_store(db)
    saved = store.mappings("incidents")["ndoubi"]
    assert saved.get("value:incident_type:extorsion") == "threat", saved
    stored = store.layer("incidents")
    assert set(stored.loc[stored["incident_id"].isin(["NDB-1", "NDB-2"]), "incident_type"]) == {
        "threat"
    }
