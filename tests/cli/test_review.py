"""``pocmap accept``, ``recode``, ``history``, ``audit``: the review workflow by hand."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from cli import main
from store import open_store
from store.base import UNDER_REVIEW
from tests.store import helpers


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "pocmap.gpkg"))
    store = open_store()
    rows = helpers.incidents(2, "KAL")
    batch = dataclasses.replace(helpers.new_batch("incidents", rows, b"k"), review=UNDER_REVIEW)
    store.commit_batch(batch, rows, report=helpers.REPORT, original=b"k", id_column="incident_id")
    return store


def test_accept_recode_history_and_audit(store, capsys, tmp_path):
    assert main(["accept", "1", "--by", "ana"]) == 0
    assert "batch 1 is now accepted" in capsys.readouterr().out
    assert store.batch(1).reviewed_by == "ana"

    assert (
        main(["recode", "KAL-0", "--motivation", "predation", "--reason", "cattle", "--by", "ana"])
        == 0
    )
    capsys.readouterr()
    assert main(["history", "KAL-0"]) == 0
    assert "KAL-0  motivation: revenge -> predation  by ana (cattle)" in capsys.readouterr().out

    out = tmp_path / "audit.csv"
    assert main(["audit", "--csv", str(out)]) == 0
    log = pd.read_csv(out)
    assert log["action"].tolist() == ["upload", "review", "edit"]
    assert log["actor"].tolist() == ["a.officer", "ana", "ana"]
    assert set(log["role"].iloc[1:]) == {"analyst"}
    # Writing the log out is itself on record.
    assert store.audit_log()["action"].iloc[-1] == "export"
    assert main(["audit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])[-1]["action"] == "export"


def test_refusals_are_one_line_and_exit_1(store, capsys):
    assert main(["accept", "1"]) == 0
    assert main(["accept", "1"]) == 1
    assert "batch 1 was already accepted by" in capsys.readouterr().err
    assert main(["recode", "NOPE", "--motivation", "predation", "--reason", "r"]) == 1
    assert "no incidents row in an active batch has incident_id 'NOPE'" in capsys.readouterr().err
    assert main(["recode", "KAL-0", "--reason", "r"]) == 1
    assert "give a motivation, a confidence or both" in capsys.readouterr().err


def test_a_briefing_from_the_store_is_audited(tmp_path, monkeypatch, capsys):
    from ingest.sample import load_sample_into

    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "sample.gpkg"))
    load_sample_into(open_store())
    out = tmp_path / "brief.png"
    assert main(["briefing", "--out", str(out)]) == 0
    assert main(["export", "--format", "geojson", "--out", str(tmp_path / "x.geojson")]) == 0
    log = open_store().audit_log()
    made = log[log["action"].isin(["briefing", "export"])]
    assert made["action"].tolist() == ["briefing", "export"]
    assert [json.loads(d)["level"] for d in made["details"]] == ["shareable", "shareable"]
    assert set(made["role"]) == {"analyst"}
