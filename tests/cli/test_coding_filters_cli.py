"""``--confidence`` and ``--coded-by``: the command line restricts the analysis to firm codes
and tells suggestion-coded incidents apart, in English and in French."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from access.roles import ANALYST, Caller
from access.session import Session
from analysis.filters import filter_incidents
from cli import main
from schema.filters import IncidentFilter
from store import open_store
from tests.cli.test_cli_in_french import english_in
from tests.ingest import uploads
from tests.store import helpers

# 40 incidents: confidences in turn (none every fourth), three coded by suggestion.
CONFIDENCES = ["confirmed", "probable", "possible", None]
SUGGESTED = ("C-0", "C-1", "C-2")


@pytest.fixture(scope="module")
def coded_store(tmp_path_factory) -> Path:
    path = uploads.store_with_boundaries(tmp_path_factory.mktemp("coded") / "pocmap.gpkg")
    store = open_store(path)
    rows = helpers.incidents(40, "C", seed=5)
    rows["motivation_confidence"] = pd.array(
        [CONFIDENCES[i % 4] for i in range(len(rows))], dtype="str"
    )
    store.commit_batch(
        helpers.new_batch("incidents", rows, b"c"),
        rows,
        report=helpers.REPORT,
        original=b"c",
        id_column="incident_id",
    )
    session = Session(store, Caller("ana", ANALYST, None))
    for incident in SUGGESTED:
        session.edit_motivation(
            incident, motivation="predation", reason="rule: cattle", origin="suggestion"
        )
    session.edit_motivation("C-5", motivation="punitive", reason="witness")
    return path


@pytest.fixture
def db(coded_store, monkeypatch) -> Path:
    monkeypatch.setenv("POCMAP_DB", str(coded_store))
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    return coded_store


def _expected(path: Path, selection: IncidentFilter) -> int:
    incidents = Session(open_store(path), Caller("ana", ANALYST, None)).layer("incidents")
    return len(filter_incidents(incidents, selection))


def _analyse(capsys, *options: str) -> dict:
    assert main(["analyse", "--json", *options]) == 0
    return json.loads(capsys.readouterr().out)


def test_confidence_keeps_the_firm_codes(db, capsys):
    everything = _analyse(capsys)
    firm = _analyse(capsys, "--confidence", "confirmed,probable")
    assert firm["selection"]["confidences"] == ["confirmed", "probable"]
    expected = _expected(db, IncidentFilter(confidences=frozenset({"confirmed", "probable"})))
    assert firm["incidents"] == expected == 20 < everything["incidents"] == 40
    assert any("left out" in note and "confirmed or probable" in note for note in firm["notes"])
    assert not any("left out" in note for note in everything["notes"])


def test_coded_by_tells_suggestions_apart(db, capsys):
    suggested = _analyse(capsys, "--coded-by", "suggestion")
    assert suggested["incidents"] == len(SUGGESTED)
    assert suggested["selection"]["motivation_origins"] == ["suggestion"]
    others = _analyse(capsys, "--coded-by", "analyst,source")
    assert others["incidents"] == 40 - len(SUGGESTED)
    assert others["incidents"] == _expected(
        db, IncidentFilter(motivation_origins=frozenset({"analyst", "source"}))
    )
    # The whole selection says how many assessed incidents came from a suggestion.
    notes = _analyse(capsys)["notes"]
    assert "3 of the 40 assessed incidents in this selection (8 %) were coded by" in " ".join(notes)
    assert not any("suggestion;" in note for note in others["notes"])
    drivers = _analyse(capsys)["tables"]["drivers_by_admin1"]
    assert sum(row["coded_by_suggestion"] for row in drivers["rows"]) == 3
    assert "3 of the 40 assessed incidents (8 %) were coded by accepting" in drivers["caption"]


def test_hotspots_take_the_same_filters(db, capsys, tmp_path):
    out = tmp_path / "spots.geojson"
    assert main(["hotspots", "--out", str(out), "--coded-by", "suggestion"]) == 0
    assert capsys.readouterr().out.startswith("3 incidents;")


@pytest.mark.parametrize(
    ("option", "value", "accepted"),
    [
        ("--confidence", "confirmed,sure", "confirmed, probable, possible"),
        ("--coded-by", "machine", "source, analyst, suggestion"),
    ],
)
def test_a_wrong_code_names_the_value_and_what_is_accepted(capsys, option, value, accepted):
    wrong = value.split(",")[-1]
    with pytest.raises(SystemExit) as exit:
        main(["analyse", "--data", "sample_data", option, value])
    assert exit.value.code == 2
    said = capsys.readouterr().err
    assert f"argument {option}: {wrong} is not one of {accepted}" in said
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "analyse", "--data", "sample_data", option, value])
    said = capsys.readouterr().err
    assert f"argument {option} : {wrong} n'est pas l'un de {accepted}" in said
    assert english_in(said, ignoring=[wrong]) == set(), said


def test_the_notes_and_help_are_french(db, capsys):
    assert main(["--lang", "fr", "analyse", "--json", "--confidence", "confirmed"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    said = " ".join(notes)
    assert "sont gardés" in said and "confirmé" in said
    assert "1 des 10 incidents évalués" in said  # C-0, C-4, ... C-36 are confirmed
    assert english_in(said) == set(), said
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "analyse", "--help"])
    help_text = capsys.readouterr().out
    assert "--coded-by" in help_text and "suggestion" in help_text
    assert english_in(help_text) == set(), help_text
