"""The Coding page (AppTest, a real store): the queue codes, skips and goes back with the
form opening on each incident's current coding; bulk coding recodes a selection with one
history row per incident; the codebook panel says what the docs say."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from store import open_store
from tests.ui.coding_store import CODING, QUEUE, fill
from ui.auth import local_caller


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "pocmap.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))  # none: local analyst
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    st.cache_resource.clear()
    fill(path)
    yield path
    st.cache_resource.clear()


def run(at: AppTest | None = None) -> AppTest:
    at = (at or AppTest.from_file(CODING, default_timeout=90)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    """The id of the incident the queue shows."""
    return at.subheader[0].value.replace("\\", "")


def primary(at: AppTest, field: str) -> list[str]:
    return [b.key.rsplit("_", 1)[1] for b in at.button if b.key and b.key.startswith(
        f"coding_{field}_") and b.proto.type == "primary"]  # fmt: skip


def stored(db, incident: str):
    return open_store(db).layer("incidents").set_index("incident_id").loc[incident]


def test_the_queue_opens_on_the_newest_with_its_evidence_and_current_coding(db):
    at = run()
    assert shown(at) == "Q-1"
    assert "5 of 6 incidents of the filter not yet assessed" in at.get("progress")[0].proto.text
    evidence = "\n".join(m.value for m in at.markdown)
    for seen in (
        "Armed men stole 40 head of cattle and shot a herder",  # the narrative
        "Looting/property destruction",  # the event type as written
        "vol de bétail",  # the motivation as written
        "Zande militia",  # the perpetrator's name
        "Corbeau News",  # the source
    ):
        assert seen in evidence.replace("\\", "")
    # The form opens on the incident's current values, not on a default.
    assert primary(at, "motivation") == []  # not yet assessed: no motivation button lit
    assert primary(at, "confidence") == ["possible"]
    assert at.selectbox(key="coding_perpetrator_Q-1").value == "community_militia"
    assert at.text_input(key="coding_reason").value == "coded from the queue"
    keys = {b.key: b.proto.shortcut for b in at.button if b.proto.shortcut}
    assert keys["coding_motivation_predation"] == "1"
    assert keys["coding_motivation_punitive"] == "6"
    assert keys["coding_confidence_confirmed"] == "7"
    assert (keys["coding_save"], keys["coding_skip"], keys["coding_back"]) == ("s", "n", "b")


def test_save_records_the_coding_as_the_analyst_and_shows_the_next(db):
    at = run()
    at.button(key="coding_motivation_predation").click()
    at = run(at)
    assert primary(at, "motivation") == ["predation"]
    at.button(key="coding_confidence_probable").click()
    at = run(at)
    at.button(key="coding_save").click()
    at = run(at)
    assert shown(at) == "Q-2"
    assert "4 of 6 incidents" in at.get("progress")[0].proto.text
    row = stored(db, "Q-1")
    assert (row["motivation"], row["motivation_confidence"], row["motivation_origin"]) == (
        "predation", "probable", "analyst",
    )  # fmt: skip
    history = open_store(db).edits("incidents", "Q-1")
    assert set(history["edited_by"]) == {local_caller().name}
    assert set(history["reason"]) == {"coded from the queue"}
    assert set(history["column"]) == {"motivation", "motivation_origin", "motivation_confidence"}


def test_previous_reopens_a_coded_incident_on_its_new_values(db):
    at = run()
    at.button(key="coding_motivation_revenge").click()
    at = run(at)
    at.button(key="coding_save").click()
    at = run(at)
    assert shown(at) == "Q-2"
    at.button(key="coding_back").click()
    at = run(at)
    assert shown(at) == "Q-1"
    assert primary(at, "motivation") == ["revenge"]  # what it is now, not what it was
    assert primary(at, "confidence") == ["possible"]
    assert at.button(key="coding_save").disabled  # nothing changed: nothing to save
    at.button(key="coding_skip").click()
    at = run(at)
    assert shown(at) == "Q-2"


def test_skip_passes_over_and_comes_back_at_the_end(db):
    at = run()
    for expected in QUEUE:
        assert shown(at) == expected
        at.button(key="coding_skip").click()
        at = run(at)
    assert any("Only skipped incidents are left" in i.value for i in at.info)
    assert "5 skipped" in at.get("progress")[0].proto.text
    at.button(key="coding_again").click()
    at = run(at)
    assert shown(at) == "Q-1"
    assert open_store(db).edits("incidents").empty


def test_an_incident_coded_elsewhere_leaves_the_queue(db):
    at = run()
    open_store(db).edit(
        "incidents", "Q-1", {"motivation": "political"}, by="someone else", reason="call"
    )
    at = run(at)
    assert shown(at) == "Q-2"


def test_the_reason_is_required_and_kept_for_the_session(db):
    at = run()
    at.button(key="coding_motivation_extraction").click()
    at = run(at)
    at.text_input(key="coding_reason").input("  ")
    at = run(at)
    assert at.button(key="coding_save").disabled
    at.text_input(key="coding_reason").input("checkpoint levy, JMAC weekly")
    at = run(at)
    at.button(key="coding_save").click()
    at = run(at)
    assert at.text_input(key="coding_reason").value == "checkpoint levy, JMAC weekly"
    assert set(open_store(db).edits("incidents", "Q-1")["reason"]) == {
        "checkpoint levy, JMAC weekly"
    }


def test_the_queue_follows_the_sidebar_filter(db):
    at = run()
    at.multiselect(key="map_filter_perpetrator").set_value(["state_forces"])
    at = run(at)
    assert shown(at) == "Q-6"
    assert "1 of 1 incident of the filter not yet assessed" in at.get("progress")[0].proto.text


def test_the_codebook_panel_says_what_the_docs_say(db):
    at = run()
    docs = CODING.rsplit("/ui/", 1)[0] + "/docs/codebook.md"
    text = open(docs, encoding="utf-8").read()
    panel = [m.value for m in at.markdown if "(`predation`)" in m.value]
    assert panel, "the codebook panel shows no predation entry"
    definition = panel[0].split(": ", 1)[1]
    assert f"| {definition} |" in text


def _bulk(at: AppTest) -> AppTest:
    at.segmented_control(key="coding_mode").set_value("bulk")
    return run(at)


def test_bulk_coding_recodes_the_selection_with_one_history_row_each(db):
    at = _bulk(run())
    at.text_input(key="coding_bulk_words").input("cattle")
    at = run(at)
    at.checkbox(key="coding_bulk_all").check()
    at = run(at)
    at.selectbox(key="coding_bulk_motivation").set_value("predation")
    at.selectbox(key="coding_bulk_confidence").set_value("probable")
    at = run(at)
    assert at.button(key="coding_bulk_confirm").disabled  # no reason yet
    at.text_input(key="coding_bulk_reason").input("cattle raids, JMAC March review")
    at = run(at)
    said = " ".join(m.value for m in at.markdown)
    assert "**2 incidents will be recoded**" in said
    at.button(key="coding_bulk_confirm").click()
    at = run(at)
    assert at.success[0].value == "2 incidents recoded; 0 unchanged."
    edits = open_store(db).edits("incidents")
    assert sorted(set(edits["row_key"])) == ["Q-1", "Q-4"]
    for incident in ("Q-1", "Q-4"):
        mine = edits[edits["row_key"] == incident]
        assert set(mine["reason"]) == {"cattle raids, JMAC March review"}
        assert set(mine["edited_by"]) == {local_caller().name}
        assert stored(db, incident)["motivation"] == "predation"


def test_bulk_coding_reports_incidents_already_so_as_unchanged(db):
    at = _bulk(run())
    at.text_input(key="coding_bulk_words").input("trader")  # Q-2 and Q-3 (coded predation)
    at = run(at)
    at.checkbox(key="coding_bulk_all").check()
    at.selectbox(key="coding_bulk_motivation").set_value("predation")
    at.selectbox(key="coding_bulk_confidence").set_value("probable")
    at.text_input(key="coding_bulk_reason").input("road robbery")
    at = run(at)
    said = " ".join(m.value for m in at.markdown)
    assert "**1 incident will be recoded**" in said and "(1 selected is already so" in said
    at.button(key="coding_bulk_confirm").click()
    at = run(at)
    assert at.success[0].value == "1 incident recoded; 1 unchanged."
    assert set(open_store(db).edits("incidents")["row_key"]) == {"Q-2"}


def test_accepting_the_suggestion_records_who_accepted_it(db):
    from coding.suggest import suggest

    expected = suggest(open_store(db).layer("incidents")).set_index("incident_id").loc["Q-1"]
    at = run()
    suggestion = next(i.value for i in at.info if i.value.startswith("Suggested: "))
    assert expected["reason"] in suggestion.replace("\\", "")
    assert at.button(key="coding_accept").proto.shortcut == "a"
    at.button(key="coding_accept").click()
    at = run(at)
    assert shown(at) == "Q-2"
    row = stored(db, "Q-1")
    assert row["motivation"] == expected["motivation"]
    assert row["motivation_origin"] == "suggestion"
    assert row["motivation_confidence"] == (
        "probable" if expected["confidence"] >= 0.7 else "possible"
    )
    history = open_store(db).edits("incidents", "Q-1")
    assert set(history["edited_by"]) == {local_caller().name}
    (reason,) = set(history["reason"])
    assert reason.startswith("accepted pocmap's suggestion: ")
    assert expected["reason"] in reason


def test_an_incident_without_a_suggestion_says_so(db):
    at = run()
    for _ in range(3):  # skipped: Q-5 has nothing a rule reads
        at.button(key="coding_skip").click()
        at = run(at)
    assert shown(at) == "Q-5"
    assert any(c.value == "No suggestion for this incident." for c in at.caption)
    assert not [b for b in at.button if b.key == "coding_accept"]


def test_a_linked_event_is_coded_once_with_the_other_source_beside_it(tmp_path, monkeypatch):
    path = tmp_path / "linked.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_DATA_DIR", raising=False)
    st.cache_resource.clear()
    fill(path, ["A-1,2024-03-04,killing,unknown,,non_state_armed_group,UPC,4,exact,"
                "ACLED: Corbeau News,5.75,20.67,UPC fighters killed four herders,"
                "Violence against civilians: Attack,"])  # fmt: skip
    ucdp = "U-1,2024-03-04,killing,unknown,,non_state_armed_group,UPC,4,exact,UCDP GED: Reuters,"
    fill(path, [ucdp + "5.751,20.671,Four herders killed by UPC,,"])
    at = run()
    assert shown(at) == "U-1"  # the report the analysis counts
    assert "1 of 1 incident of the filter" in at.get("progress")[0].proto.text
    beside = at.dataframe[0].value
    assert beside["incident_id"].tolist() == ["A-1"]
    assert beside["narrative"].tolist() == ["UPC fighters killed four herders"]
    st.cache_resource.clear()


def test_a_revisited_incident_shows_its_coding_history(db):
    at = run()
    at.button(key="coding_motivation_punitive").click()
    at = run(at)
    at.button(key="coding_save").click()
    at = run(at)
    at.button(key="coding_back").click()
    at = run(at)
    (history,) = [e for e in at.expander if e.label.startswith("Coding history")]
    assert history.label == "Coding history (2 changes)"  # motivation and its origin
    table = history.dataframe[0].value
    assert set(table["after"]) == {"punitive", "analyst"}
