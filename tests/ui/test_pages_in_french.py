"""The Upload, Review, Layers and codes and Admin pages, the sign-in and the language
switch, run in French with every role that sees them (AppTest): no English word is left
in anything a person reads (titles, captions, labels, help, options, buttons, metrics,
table headings and cells, messages), and in English they are still English.

What is checked is every text of the page less the data it shows (offices, places,
file names, the file's own columns and values, the store's records and codes: they are
shown as written) and less the texts other parts of pocmap produce (the labels of
codes, the import report's problems, the roles): those are checked in French by their
own parts' tests, and are translated here in whatever language their catalogue gives.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from access.users import load
from ingest.pipeline import ImportOptions, preview_import
from languages import use
from schema.catalogue import LAYER_SPECS
from schema.mission import save_folder
from schema.upload import Upload
from store import open_store
from store.base import UNDER_REVIEW
from tests.ingest import uploads
from tests.languages.english import english_left
from tests.store import helpers
from tests.tiny_mission import tiny_mission

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ROOT / "ui" / "pages"
PASSWORD = "a long enough password"
PEOPLE = {
    "lead": ("viewer", None),
    "kalondo": ("field_office", "Kalondo office"),
    "ana": ("analyst", None),
    "it": ("admin", None),
}

# Proto fields that hold text a person reads (the rest: ids, keys, types, icons, data).
TEXT_FIELDS = {"body", "label", "help", "placeholder", "options", "text", "title"}
CSS_CONTENT = re.compile(r'content:\s*"((?:[^"\\]|\\.)*)"')

# Modules whose label tables other parts of pocmap translate (see the module docstring).
OTHER_PARTS = (
    "schema.catalogue",
    "schema.incidents",
    "schema.local_agreements",
    "schema.political_processes",
    "schema.mission_presence",
    "ingest.report",
    "ingest.profiles",
    "ingest.values",
    "access.roles",
)


# --- what a page shows ------------------------------------------------------------------


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _strings(value: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str) and key in TEXT_FIELDS:
        yield value


def _table_texts(node: Any) -> Iterator[str]:
    """A table's headings as shown (a column's configured label, else its name), its
    text cells and the options of its editable columns."""
    frame: pd.DataFrame = node.value
    config = json.loads(node.proto.columns or "{}")
    for name in frame.columns:
        shown = config.get(str(name), {})
        yield str(shown.get("label") or name)
        yield from (str(o) for o in shown.get("type_config", {}).get("options", []) or [])
        if frame[name].dtype == object:
            yield from (str(v) for v in frame[name].dropna())


def texts(at: AppTest) -> list[str]:
    """Every text a person reads on the page ``at`` drew."""
    found: list[str] = []
    for node in _nodes(at._tree):
        kind = getattr(node, "type", None)
        proto = getattr(node, "proto", None)
        if kind in ("arrow_data_frame", "dataframe") and hasattr(node, "value"):
            found.extend(_table_texts(node))
        elif kind == "html":
            # Our words put on Streamlit's own (the uploader's), as CSS content.
            found.extend(m.group(1) for m in CSS_CONTENT.finditer(proto.body))
        elif kind == "component_instance":
            continue  # the folium map: drawn by layers/, checked in the browser test
        elif proto is not None and hasattr(proto, "DESCRIPTOR"):
            found.extend(_strings(MessageToDict(proto, preserving_proto_field_name=True)))
        expandable = getattr(proto, "expandable", None)
        if expandable is not None and getattr(expandable, "label", ""):
            found.append(expandable.label)
    return [t for t in found if t]


def english_on(at: AppTest, ignoring: Iterable[str]) -> dict[str, set[str]]:
    """Each text of the page with English words left in it, and those words."""
    data = _pattern(ignoring)
    left = {text: english_left(data.sub(" ", _unescaped(text))) for text in texts(at)}
    return {text: words for text, words in left.items() if words}


def _pattern(ignoring: Iterable[str]) -> re.Pattern[str]:
    # Data taken out where it stands as a whole ("in" inside "terrain" is not a value).
    values = sorted({v for v in ignoring if v}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)")


def _unescaped(text: str) -> str:
    # Markdown escapes (ui.text.md) put backslashes inside data: "N\'Délé" is "N'Délé".
    return re.sub(r"\\(.)", r"\1", text)


# --- what is data, and what other parts say ---------------------------------------------


def _cells(frame: pd.DataFrame) -> Iterator[str]:
    for column in frame.columns:
        yield str(column)
        if column != "geometry" and frame[column].dtype == object:
            yield from (str(v) for v in frame[column].dropna())


def data_values(db: Path | None = None, folder: Path | None = None) -> set[str]:
    """Everything the pages show as it was written: the store's (or folder's) records,
    batches, users, audit log and link reasons, the layers' field names and codes."""
    values: set[str] = set()
    for spec in LAYER_SPECS.values():
        for field in spec.fields:
            values.add(field.name)
            values.update(field.codes)
    values.update({"latitude", "longitude", "auto", "all"})
    if db is not None:
        store = open_store(db)
        values.add(str(store.location))
        for name in LAYER_SPECS:
            values.update(_cells(store.layer(name)))
        for batch in store.batches():
            values.update(str(v) for v in dataclasses.asdict(batch).values() if v is not None)
        values.update(_cells(store.audit_log()))
        values.update(_cells(store.links()))
        values.update(_cells(store.edits()))
        for batch in store.batches():
            values.update(_cells(store.report(batch.batch_id)))
    if folder is not None:
        from schema.mission import load_folder

        mission = load_folder(folder, folder.name)
        for frame in dataclasses.astuple(mission):
            if isinstance(frame, pd.DataFrame):
                values.update(_cells(frame))
        values.add(str(folder.resolve()))
    values.update(PEOPLE)
    values.update(office for _role, office in PEOPLE.values() if office)
    return {v for v in values if v}


def other_parts() -> set[str]:
    """The labels other parts of pocmap give codes, in the current language."""
    said: set[str] = set()
    for name in OTHER_PARTS:
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if attribute.endswith(("_LABELS", "HEADINGS")) and isinstance(value, Mapping):
                said.update(str(value[k]) for k in value)
    return said


def file_values(fixture: Any) -> set[str]:
    """An uploaded file's name, columns and values, and what the import says of it."""
    found = {fixture.name, fixture.name.rsplit(".", 1)[0]}
    text = fixture.data.decode("cp1252", errors="replace")
    found.update(v.strip() for v in re.split(r"[;\r\n]", text) if v.strip())
    return found


def import_says(db: Path, fixture: Any, layer: str, office: str) -> set[str]:
    """What the import pipeline (ingest) says of ``fixture``, in French: its reading
    notes, the profile's reason, the report's problems and what would be accepted."""
    with use("fr"):
        preview = preview_import(
            open_store(db),
            Upload(fixture.name, fixture.data),
            ImportOptions(layer=layer, office=office, uploader="ana"),
        )
        said = {preview.profile_reason, *preview.notes}
        said.update(_cells(preview.result.report))
    return said


# --- the pages ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def boundaries_file(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("fr") / "pocmap.gpkg")


@pytest.fixture
def db(boundaries_file, tmp_path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    monkeypatch.delenv("POCMAP_DATA_LABEL", raising=False)
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


@pytest.fixture
def people(db, tmp_path):
    users = load(tmp_path / "users.json")
    for name, (role, office) in PEOPLE.items():
        users.add(name, role, office=office, password=PASSWORD, by="test")
    return users


@pytest.fixture
def waiting(db) -> int:
    """A field office's batch under review, with a report line."""
    store = open_store(db)
    rows = helpers.incidents(2, "KAL")
    batch = dataclasses.replace(helpers.new_batch("incidents", rows, b"k"), review=UNDER_REVIEW)
    done = store.commit_batch(
        batch, rows, report=helpers.REPORT, original=b"k", id_column="incident_id"
    )
    return done.batch_id


def _page(name: str) -> AppTest:
    return AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=90)


def _signed_in(page: str, name: str, language: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("POCMAP_LANG", language)
    at = _page(page).run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _ignoring(db: Path, *more: Iterable[str]) -> set[str]:
    with use("fr"):
        ignored = data_values(db)
    ignored.add(str(load().path))  # the users file, named on the Admin page
    for values in more:
        ignored |= set(values)
    return ignored


def _assert_french(at: AppTest, ignoring: set[str]) -> None:
    left = english_on(at, ignoring)
    assert left == {}, "English left on the page in French:\n" + "\n".join(
        f"{sorted(words)} in {text!r}" for text, words in left.items()
    )
    assert _missing_text_cells(at) == []


def _missing_text_cells(at: AppTest) -> list[str]:
    """Text columns of the page's tables with missing cells: Streamlit's table writes
    "None" in them, in English whatever the language."""
    found = []
    for node in _nodes(at._tree):
        if getattr(node, "type", None) in ("arrow_data_frame", "dataframe"):
            frame = node.value
            found += [
                str(c) for c in frame.columns if frame[c].dtype == object and frame[c].isna().any()
            ]
    return found


def _assert_english(at: AppTest, ignoring: set[str]) -> None:
    # The same page in English: the check above would have found its words.
    assert english_on(at, ignoring), "the page in English has no English word: check broken"


def test_the_sign_in_form_is_in_french(people, db, monkeypatch):
    monkeypatch.setenv("POCMAP_LANG", "fr")
    at = _page("review").run()
    assert [t.value for t in at.title] == ["pocmap"]
    assert at.text_input(key="auth_name").label == "Nom"
    assert at.text_input(key="auth_password").label == "Mot de passe"
    _assert_french(at, _ignoring(db))
    monkeypatch.setenv("POCMAP_LANG", "en")
    at = _page("review").run()
    assert at.text_input(key="auth_password").label == "Password"


@pytest.mark.parametrize(
    ("name", "page"),
    [
        (name, page)
        for page in ("upload", "review", "layers_and_codes", "admin", "incidents")
        for name in PEOPLE
    ],
)
def test_every_page_in_french_for_every_role(people, db, waiting, monkeypatch, name, page):
    open_store(db).record("export", by="ana", target="x.gpkg")
    at = _signed_in(page, name, "fr", monkeypatch)
    assert at.title
    ignoring = _ignoring(db)  # the store as the page read it (its sign-in recorded)
    _assert_french(at, ignoring)
    english = _signed_in(page, name, "en", monkeypatch)
    # "Incidents" is French too.
    assert [t.value for t in english.title] != [t.value for t in at.title] or page in (
        "admin",
        "incidents",
    )
    _assert_english(english, ignoring)


def test_an_upload_in_french_from_the_file_to_the_batch(people, db, monkeypatch):
    fixture = uploads.native_incidents_cp1252()
    at = _signed_in("upload", "kalondo", "fr", monkeypatch)
    at.selectbox(key="upload_layer").set_value("incidents").run()
    at.file_uploader(key="upload_file").set_value((fixture.name, fixture.data, "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Refusées"] == "1"
    said = import_says(db, fixture, "incidents", "Kalondo office")
    _assert_french(at, _ignoring(db, file_values(fixture)))
    assert said  # what ingest said is on the page, and checked as French above
    # Streamlit's uploader, in French too, with pocmap's own limit (100 MB).
    (style,) = [n.proto.body for n in _nodes(at._tree) if getattr(n, "type", "") == "html"]
    assert "Jusqu'à 100 Mo par fichier" in style and "Choisir un fichier" in style
    assert at.button(key="upload_import").label == "Importer 4 lignes en un lot"
    at.button(key="upload_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Importé comme lot" in at.success[0].value
    assert "attend la relecture d'un analyste" in at.success[0].value
    _assert_french(at, _ignoring(db, file_values(fixture), said))


def test_the_uploader_keeps_streamlit_words_in_english(people, db, monkeypatch):
    at = _signed_in("upload", "kalondo", "en", monkeypatch)
    assert not [n for n in _nodes(at._tree) if getattr(n, "type", "") == "html"]


def test_review_in_french_accepts_and_recodes(people, db, waiting, monkeypatch):
    at = _signed_in("review", "ana", "fr", monkeypatch)
    lines = len(open_store(db).report(waiting))
    assert lines > 1
    assert at.expander[0].label == f"Rapport ligne par ligne du lot {waiting} ({lines} lignes)"
    at.button(key="review_accept").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Rien n'est en attente." in [m.value for m in at.markdown]
    at.text_input(key="review_incident").input("KAL-1").run()
    assert at.selectbox(key="review_confidence").options == ["confirmé", "probable", "possible"]
    at.selectbox(key="review_motivation").set_value("extraction")
    at.text_input(key="review_why").input("site minier").run()
    at.button(key="review_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success[0].value == "KAL\\-1 recodé."
    _assert_french(at, _ignoring(db))


# --- the switch, through app.py -----------------------------------------------------------


@pytest.fixture
def tiny(tmp_path, monkeypatch) -> Iterator[Path]:
    folder = tmp_path / "tiny"
    save_folder(tiny_mission(), folder)
    monkeypatch.setenv("POCMAP_DATA_DIR", str(folder))
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "store.gpkg"))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_DATA_LABEL", raising=False)
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    st.cache_resource.clear()
    yield folder
    st.cache_resource.clear()


def _switch(at: AppTest) -> Any:
    return at.sidebar.selectbox(key="language_switch")


def test_the_switch_offers_each_language_in_itself_and_remembers_it(tiny):
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, [e.message for e in at.exception]
    switch = _switch(at)
    assert switch.options == ["English", "Français"] and switch.value == "en"
    assert switch.label == "Language"
    assert "lang" not in at.query_params  # the default: the address is left as it is
    switch.set_value("fr").run()
    assert not at.exception, [e.message for e in at.exception]
    assert _switch(at).label == "Langue"
    assert at.query_params["lang"] == "fr"
    # Another page keeps the language (the session remembers it). AppTest writes the
    # widgets' state back as shown, through their functions called in this thread: here
    # in French, as the browser would send them.
    with use("fr"):
        at.switch_page("ui/pages/layers_and_codes.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Couches et codes"
    with use("fr"):
        ignoring = data_values(folder=tiny)
    _assert_french(at, ignoring)
    # And back to English.
    with use("fr"):
        _switch(at).set_value("en").run()
    assert at.title[0].value == "Layers and codes"
    assert _switch(at).label == "Language"
    assert at.query_params["lang"] == "en"
    _assert_english(at, ignoring)


def test_the_address_and_the_deployment_choose_the_first_language(tiny, monkeypatch):
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "fr"
    at.run()
    assert _switch(at).value == "fr" and _switch(at).label == "Langue"
    monkeypatch.setenv("POCMAP_LANG", "fr")
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert _switch(at).value == "fr"
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "en"  # the person's choice over the deployment's
    at.run()
    assert _switch(at).value == "en" and _switch(at).label == "Language"


def test_the_language_outside_a_page_run_is_the_default(monkeypatch):
    from ui import language

    monkeypatch.setenv("POCMAP_LANG", "fr")
    assert language.language_of_this_session() is None  # no run here: never raises


def _a_partial_rerun() -> None:
    """A page whose run sets no language after the switch, as a fragment's rerun (which
    does not run app.py) finds it: the session's choice must still be spoken."""
    import streamlit as st

    import languages
    from ui import language

    if st.session_state.get("partial"):
        languages.set_language(None)  # only the resolver choose() registered is left
    else:
        language.choose()
    st.markdown(languages._("Language"))


def test_a_partial_rerun_speaks_the_session_language(monkeypatch):
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    at = AppTest.from_function(_a_partial_rerun, default_timeout=30).run()
    at.sidebar.selectbox(key="language_switch").set_value("fr").run()
    assert at.markdown[0].value == "Langue"
    at.session_state["partial"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.markdown[0].value == "Langue"
