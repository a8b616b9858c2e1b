"""``pocmap agreement``: the kappa of a double-coding sample, in words and as JSON, equal to
scikit-learn's; refusals name what exists."""

from __future__ import annotations

import json
import warnings

import pytest
from sklearn.metrics import cohen_kappa_score

from access.roles import ANALYST, Caller
from access.session import Session
from cli import main
from schema.filters import IncidentFilter
from store import open_store
from tests.store import helpers

ANA = ["predation", "revenge", "political", "punitive", "revenge"] * 8
BEN = ["predation", "revenge", "revenge", "punitive", "extraction"] * 4 + ANA[20:]


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "pocmap.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(path))
    store = open_store(path)
    rows = helpers.incidents(40, "AG")
    store.commit_batch(
        helpers.new_batch("incidents", rows, b"ag"),
        rows,
        report=helpers.REPORT,
        original=b"ag",
        id_column="incident_id",
    )
    return store


def _coded(store) -> int:
    ana, ben = (Session(store, Caller(n, ANALYST)) for n in ("ana", "ben"))
    sample = ana.draw_coding_sample(IncidentFilter(), 40, name="all forty", seed=5)
    for incident, a, b in zip(ana.coding_queue(sample)["incident_id"], ANA, BEN, strict=True):
        ana.code_blind(sample, incident, motivation=a, confidence="probable")
        ben.code_blind(sample, incident, motivation=b, confidence=None)
    return sample


def test_the_kappa_as_json_is_sklearns(db, capsys):
    sample = _coded(db)
    assert main(["agreement", "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert (said["sample"], said["name"], said["items"], said["pairs"]) == (
        sample, "all forty", 40, 40,
    )  # fmt: skip
    overall, *per = said["rows"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert overall["kappa"] == pytest.approx(cohen_kappa_score(ANA, BEN), abs=1e-6)
        for row in per:
            binary = cohen_kappa_score([c == row["motivation"] for c in ANA],
                                       [c == row["motivation"] for c in BEN])  # fmt: skip
            assert row["kappa"] == pytest.approx(binary, abs=1e-6)
    assert overall["motivation"] is None and overall["low"] < overall["kappa"] < overall["high"]
    assert overall["level"] == "substantial"


def test_the_kappa_in_words_and_in_french(db, capsys):
    _coded(db)
    assert main(["agreement", "1"]) == 0
    out = capsys.readouterr().out
    kappa = cohen_kappa_score(ANA, BEN)
    assert "sample 1 (all forty): 40 of 40 incidents coded by two analysts" in out
    assert f"all motivations  kappa {kappa:.2f} (95%: " in out
    assert "substantial agreement" in out
    assert main(["--lang", "fr", "agreement"]) == 0
    out = capsys.readouterr().out
    assert "accord substantiel" in out and "toutes les motivations" in out


def test_no_sample_or_an_unknown_one_is_refused(db, capsys):
    assert main(["agreement"]) == 1
    assert "no double-coding sample yet" in capsys.readouterr().err
    _coded(db)
    assert main(["agreement", "9"]) == 1
    assert "there is no sample 9; the samples are 1" in capsys.readouterr().err
