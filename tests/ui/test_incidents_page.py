"""The incident desk (``ui/pages/incidents.py``) under AppTest, signed in as each role on a
real store holding two offices' batches: the table, the detail and the CSV show a
restricted field (narrative, perpetrator name, motivation as written) only to those who may
read it (analysts: all; a field office: its own office's; viewers and admins: none); the
coding history only to analysts and admins; the reports of a linked event and which one is
counted; the detail reached by the address (``?incident=``) and by a row of the table; and
in French, no English left."""

from __future__ import annotations

import dataclasses
import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from access.users import load
from languages import use
from store import open_store
from store.base import ACCEPTED
from tests.ingest import uploads
from tests.store import helpers
from tests.ui.test_pages_in_french import data_values, english_on, texts
from ui import downloads

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "ui" / "pages" / "incidents.py")
PASSWORD = "a long enough password"
OWN, OTHER = "Kalondo office", "Oubandi office"
PEOPLE = {
    "lead": ("viewer", None),
    "kalondo": ("field_office", OWN),
    "ana": ("analyst", None),
    "it": ("admin", None),
}
# Who reads which office's restricted fields (written out by hand, not from the policy).
READS = {"lead": set(), "kalondo": {"KAL"}, "ana": {"KAL", "OUB"}, "it": set()}
HISTORY = {"lead": False, "kalondo": False, "ana": True, "it": True}


def _restricted(prefix: str) -> dict[str, str]:
    return {
        "narrative": f"Narrative of {prefix} seen at the market",
        "perpetrator_name": f"Commander {prefix} Zeta",
        "motivation_raw": f"written motive {prefix}",
    }


def _batch(store, prefix: str, office: str) -> None:
    rows = helpers.incidents(3, prefix, seed=len(prefix) + ord(prefix[0]))
    for column, value in _restricted(prefix).items():
        rows[column] = pd.array([f"{value} {i}" for i in range(3)], dtype="str")
    batch = dataclasses.replace(
        helpers.new_batch("incidents", rows, prefix.encode(), office=office)
    )
    batch = dataclasses.replace(batch, review=ACCEPTED)
    store.commit_batch(
        batch, rows, report=helpers.REPORT, original=prefix.encode(), id_column="incident_id"
    )


@pytest.fixture(scope="module")
def mission_file(tmp_path_factory) -> Path:
    path = uploads.store_with_boundaries(tmp_path_factory.mktemp("desk") / "pocmap.gpkg")
    store = open_store(path)
    _batch(store, "KAL", OWN)
    _batch(store, "OUB", OTHER)
    # ACLED-like and office reports of one event: KAL-0 is counted, OUB-0 stands behind it.
    found = pd.DataFrame(
        [{"a": "KAL-0", "b": "OUB-0", "score": 0.93, "certain": True, "reason": "same day"}]
    )
    store.replace_found_links(found, by="linker")
    values = pd.DataFrame(
        {"event_group": ["KAL-0", "KAL-0"], "counted": [True, False]},
        index=pd.Index(["KAL-0", "OUB-0"], name="incident_id"),
    )
    store.set_derived("incidents", values, by="linker", reason="linked for the test")
    store.edit(
        "incidents", "KAL-1", {"motivation": "predation", "motivation_origin": "analyst"},
        by="ana", reason="cattle taken",
    )  # fmt: skip
    return path


@pytest.fixture
def db(mission_file, tmp_path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(mission_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    for name in ("POCMAP_DATA_DIR", "POCMAP_DATA_LABEL", "POCMAP_LANG"):
        monkeypatch.delenv(name, raising=False)
    users = load(tmp_path / "users.json")
    for name, (role, office) in PEOPLE.items():
        users.add(name, role, office=office, password=PASSWORD, by="test")
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def _signed_in(name: str, monkeypatch, language: str = "en") -> AppTest:
    monkeypatch.setenv("POCMAP_LANG", language)
    at = AppTest.from_file(PAGE, default_timeout=90).run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _open(at: AppTest, incident: str) -> AppTest:
    at.query_params["incident"] = incident
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _page_text(at: AppTest) -> str:
    return "\n".join(texts(at)).replace("\\", "")  # markdown escapes out


@pytest.fixture
def made(monkeypatch) -> dict[str, Callable[[], bytes]]:
    """What each download button of the page would make when clicked, by key: AppTest runs
    without Streamlit's runtime, which keeps a button's deferred file."""
    buttons: dict[str, Callable[[], bytes]] = {}
    real = downloads.button

    def button(container, label, make, **options):
        buttons[options["key"]] = make
        return real(container, label, make, **options)

    monkeypatch.setattr(downloads, "button", button)
    return buttons


def _csv(made: dict[str, Callable[[], bytes]]) -> pd.DataFrame:
    """The page's CSV, made by the page's own callable, as a click would."""
    data = made["incidents_csv"]()
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)


@pytest.mark.parametrize("name", list(PEOPLE))
def test_each_role_reads_only_the_restricted_fields_it_may(db, made, monkeypatch, name):
    at = _signed_in(name, monkeypatch)
    table = at.dataframe[0].value
    # Each event once: OUB-0 is another source's report of KAL-0's event.
    assert sorted(table["incident_id"]) == ["KAL-0", "KAL-1", "KAL-2", "OUB-1", "OUB-2"]
    for prefix in ("KAL", "OUB"):
        at = _open(at, f"{prefix}-1")
        page = _page_text(at)
        assert f"Incident {prefix}-1" in page
        for value in _restricted(prefix).values():
            assert (f"{value} 1" in page) == (prefix in READS[name]), (name, prefix, value)
        locked = [i.value for i in at.info if "restricted" in i.value]
        assert bool(locked) == (prefix not in READS[name])
        assert ("Coding history" in page) == HISTORY[name]
    # The table's file: restricted fields only on the rows of offices the person reads.
    csv = _csv(made)
    assert len(csv) == 5
    for _i, row in csv.iterrows():
        prefix = row["incident_id"].split("-")[0]
        for column in ("narrative", "perpetrator_name", "motivation_raw"):
            assert pd.notna(row[column]) == (prefix in READS[name]), (name, row["incident_id"])
    exports = open_store(db).audit_log()
    assert (exports["action"] == "export").sum() == 1


def test_the_history_and_the_origin_of_a_recoded_incident(db, monkeypatch):
    at = _open(_signed_in("ana", monkeypatch), "KAL-1")
    page = _page_text(at)
    assert "Motivation coded: Coded by an analyst" in page.replace("*", "")
    history = next(df.value for df in at.dataframe if "reason" in df.value.columns)
    assert set(history["reason"]) == {"cattle taken"}
    assert set(history["column"]) == {"motivation", "motivation_origin"}
    at = _open(at, "KAL-2")
    assert "Motivation coded: As sent" in _page_text(at).replace("*", "")


@pytest.mark.parametrize("name", ["lead", "ana"])
def test_a_linked_event_shows_its_reports_and_which_is_counted(db, monkeypatch, name):
    at = _open(_signed_in(name, monkeypatch), "KAL-0")
    linked = next(df.value for df in at.dataframe if "counted" in df.value.columns)
    assert linked.set_index("incident_id")["counted"].to_dict() == {
        "KAL-0": "counted",
        "OUB-0": "not counted: another report stands for it",
    }
    assert ("Link between KAL-0 and OUB-0: linked by pocmap" in _page_text(at)) == (name == "ana")
    # The report not counted is read by its own address, and links back.
    at.button(key="incident_open_OUB-0").click().run()
    assert at.query_params["incident"] == "OUB-0"
    page = _page_text(at)
    assert "Incident OUB-0" in page
    assert ("Commander OUB Zeta 0" in page) == (name == "ana")


def test_a_row_of_the_table_opens_its_incident(db, monkeypatch):
    at = _signed_in("kalondo", monkeypatch)
    table = at.dataframe[0].value
    row = table.index[table["incident_id"] == "KAL-2"][0]
    # AppTest has no click on a table's row: the selection is the table's state, as a
    # click in the browser sends it (the browser test clicks a row for real).
    at.session_state["incidents_table"] = {"selection": {"rows": [int(row)], "columns": []}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["incident"] == "KAL-2"
    assert "Narrative of KAL seen at the market 2" in _page_text(at)


def test_an_unknown_id_is_named(db, monkeypatch):
    at = _open(_signed_in("ana", monkeypatch), "NOPE-9")
    assert "No incident NOPE-9" in at.error[0].value.replace("\\", "")


@pytest.mark.parametrize("name", list(PEOPLE))
def test_the_page_in_french_has_no_english_left(db, monkeypatch, name):
    at = _open(_signed_in(name, monkeypatch, "fr"), "KAL-0")
    with use("fr"):
        ignoring = data_values(db) | {
            f"{v} {i}" for p in ("KAL", "OUB") for v in _restricted(p).values() for i in range(3)
        }
    left = english_on(at, ignoring)
    assert left == {}, left
    english = _open(_signed_in(name, monkeypatch, "en"), "KAL-0")
    assert english_on(english, ignoring), "the check finds English in English"
