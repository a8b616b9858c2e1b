"""The Double coding page (AppTest): two analysts code a sample of 10 blind, the agreement
table shows scikit-learn's kappa, a disagreement is resolved and the incident's history on
the Review page shows it; the other roles are refused; in French no English is left."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sklearn.metrics import cohen_kappa_score
from streamlit.testing.v1 import AppTest

from access.roles import ANALYST, Caller
from access.session import Session
from access.users import load
from languages import format_number, use
from store import open_store
from tests.ingest import uploads
from tests.store import helpers

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "ui" / "pages"
PASSWORD = "a long enough password"
PEOPLE = {
    "lead": ("viewer", None),
    "kalondo": ("field_office", "Kalondo office"),
    "ana": ("analyst", None),
    "ben": ("analyst", None),
    "it": ("admin", None),
}
ANA_CODES = ["predation", "revenge", "political", "punitive", "revenge"] * 2
BEN_CODES = ["predation", "revenge", "revenge", "punitive", "extraction", *ANA_CODES[5:]]


@pytest.fixture(scope="module")
def boundaries_file(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("dc") / "pocmap.gpkg")


@pytest.fixture
def db(boundaries_file, tmp_path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_file, path)
    store = open_store(path)
    rows = helpers.incidents(14, "DC", seed=2)
    rows["narrative"] = [f"Cattle taken at the market, report {i}" for i in range(14)]
    rows["event_type_raw"] = "Violence against civilians: Attack"
    store.commit_batch(
        helpers.new_batch("incidents", rows, b"dc"),
        rows,
        report=helpers.REPORT,
        original=b"dc",
        id_column="incident_id",
    )
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
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


def _signed_in(page: str, name: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=90).run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def _shown_incident(at: AppTest) -> str:
    """The incident the page shows to code (its evidence's first line; a disagreement's
    evidence comes after)."""
    evidence = next(m.value for m in at.markdown if m.value.startswith("**Incident**:"))
    return evidence.split("  \n")[0].removeprefix("**Incident**: ").replace("\\-", "-")


def _code_all(at: AppTest, codes: dict[str, str]) -> AppTest:
    for _ in range(len(codes)):
        incident = _shown_incident(at)
        at = _ok(at.button(key=f"double_coding_code_{codes[incident]}").click().run())
    assert "Nothing left for you to code in this sample." in [s.value for s in at.success]
    return at


def _table(at: AppTest, heading: str):
    (frame,) = [d.value for d in at.dataframe if heading in d.value.columns]
    return frame


def test_two_analysts_code_blind_see_sklearns_kappa_and_resolve(people, db):
    at = _signed_in("double_coding", "ana")
    at.text_input(key="double_coding_name").input("pilot")
    at.number_input(key="double_coding_size").set_value(10)
    at.number_input(key="double_coding_seed").set_value(7)
    at = _ok(at.run())  # the name typed enables the button, as leaving the field does
    at = _ok(at.button(key="double_coding_draw").click().run())
    assert "Sample 1 drawn." in [s.value for s in at.success]
    order = Session(open_store(db), Caller("x", ANALYST)).coding_queue(1)["incident_id"].tolist()
    codes = dict(zip(order, ANA_CODES, strict=True))
    assert _shown_incident(at) == order[0]
    # Skipping puts the incident at the back of the queue.
    at = _ok(at.button(key="double_coding_skip").click().run())
    assert _shown_incident(at) == order[1]
    # The evidence, never the stored motivation ("revenge" for every incident here).
    said = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    assert "Cattle taken at the market" in said and "Violence against civilians" in said
    assert "Revenge" not in said and "revenge" not in said
    at = _code_all(at, codes)
    assert [i.value for i in at.info] == [
        "The agreement shows once two analysts have coded the same incidents."
    ]

    at = _signed_in("double_coding", "ben")
    assert _table(at, "to_code")["to_code"].tolist() == [10]
    at = _code_all(at, dict(zip(order, BEN_CODES, strict=True)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = cohen_kappa_score(ANA_CODES, BEN_CODES)
        rows = _table(at, "Kappa").set_index("Motivation")
        assert rows.loc["All motivations", "Kappa"] == format_number(kappa, digits=2)
        for code, label in (("political", "Political"), ("revenge", "Revenge")):
            binary = cohen_kappa_score(
                [c == code for c in ANA_CODES], [c == code for c in BEN_CODES]
            )
            assert rows.loc[label, "Kappa"] == format_number(binary, digits=2)
    assert rows.loc["All motivations", "Pairs"] == "10"
    assert rows.loc["Predation", "In words (Landis & Koch)"] == "almost perfect agreement"

    # Two disagreements (items 3 and 5); ben resolves the first.
    disagreement = at.selectbox(key="double_coding_disagreement")
    assert disagreement.options == [order[2], order[4]]
    assert "**ana** coded: Political (probable)" in [m.value for m in at.markdown]
    at.selectbox(key="double_coding_decided").set_value("revenge")
    at.text_input(key="double_coding_note").input("reprisal named in the narrative")
    at = _ok(at.button(key="FormSubmitter:double_coding_resolve-Resolve").click().run())
    reason = (
        "double coding, sample 1 (pilot): ana coded political (probable), ben coded revenge "
        "(probable); resolved as revenge (probable): reprisal named in the narrative"
    )
    assert at.selectbox(key="double_coding_disagreement").options == [order[4]]
    assert any(reason in re.sub(r"\\(.)", r"\1", s.value) for s in at.success)  # md-escaped

    review = _signed_in("review", "ana")
    review.text_input(key="review_incident").input(order[2])
    review = _ok(review.run())
    history = review.dataframe[-1].value
    assert reason in history["reason"].tolist()


@pytest.mark.parametrize("name", ["lead", "kalondo", "it"])
def test_other_roles_are_refused_the_page(people, name):
    at = _signed_in("double_coding", name)
    assert "Double coding is for analysts" in at.info[0].value
    # Nothing of the samples is shown, and nothing can be done but signing out.
    assert [b.key for b in at.button] == ["auth_logout"] and not at.dataframe


def test_the_page_in_french_leaves_no_english(people, db, monkeypatch):
    from tests.ui.test_pages_in_french import _assert_english, _assert_french, _ignoring

    store = open_store(db)
    ana, ben = (Session(store, Caller(n, ANALYST)) for n in ("ana", "ben"))
    from schema.filters import IncidentFilter

    sample = ana.draw_coding_sample(IncidentFilter(), 4, name="pilote", seed=3)
    items = ana.coding_queue(sample)["incident_id"].tolist()
    for n, item in enumerate(items[:3]):
        ana.code_blind(sample, item, motivation="predation", confidence="probable")
        ben.code_blind(sample, item, motivation="predation" if n else "revenge", confidence=None)
    monkeypatch.setenv("POCMAP_LANG", "fr")
    at = _signed_in("double_coding", "ana")
    assert at.title[0].value == "Double codage"
    # The incidents' own words (narratives, the source's event type) are data, shown as sent.
    written = store.layer("incidents")[["narrative", "event_type_raw"]].stack().tolist()
    with use("fr"):
        ignored = _ignoring(db, [*items, "pilote", *written])
    _assert_french(at, ignored)
    monkeypatch.setenv("POCMAP_LANG", "en")
    _assert_english(_signed_in("double_coding", "ana"), _ignoring(db, [*items, "pilote", *written]))
