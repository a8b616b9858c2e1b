"""``pocmap suggest`` end to end: the ACLED-format CAR file imported through the real command
into a temporary store, then one row per incident not yet assessed written as CSV; refused
to anyone but an analyst (and the refusal audited); the model trained once enough is coded."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from access.roles import ADMIN, ANALYST, FIELD_OFFICE, VIEWER, Caller
from access.session import Session
from cli import main, parser
from cli.suggest import COLUMNS, run_suggest
from coding.rules import RULES_ENV
from languages import use
from schema.mission import SAMPLE_DIR
from store import open_store
from tests.languages.english import english_left
from tests.real_data import CAR_ACLED


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> str:
    """A store holding the ACLED-format CAR file, imported by ``pocmap import``."""
    folder = tmp_path_factory.mktemp("suggest")
    location = str(folder / "pocmap.gpkg")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POCMAP_DB", location)
        patch.delenv("POCMAP_ACTORS", raising=False)
        code = main(["import", str(CAR_ACLED), "--layer", "incidents", "--office", "HQ"])
    assert code == 0
    return location


@pytest.fixture
def db(imported, monkeypatch) -> str:
    monkeypatch.setenv("POCMAP_DB", imported)
    monkeypatch.delenv(RULES_ENV, raising=False)
    return imported


def _read(path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_one_row_per_incident_not_yet_assessed_of_an_acled_import(db, tmp_path, capsys) -> None:
    stored = open_store(db).layer("incidents")
    # the import keeps ACLED's own event type as written
    assert set(stored["event_type_raw"]) >= {
        "Violence against civilians: Attack",
        "Strategic developments: Looting/property destruction",
        "Explosions/Remote violence: Remote explosive/landmine/IED",
    }
    out = tmp_path / "suggestions.csv"
    assert main(["suggest", "--out", str(out)]) == 0
    columns, rows = _read(out)
    assert columns == list(COLUMNS)  # exactly these, in this order
    assert len(rows) == (stored["motivation"] == "unknown").sum() == len(stored)
    assert {r["incident_id"] for r in rows} == set(stored["incident_id"])
    made = [r for r in rows if r["motivation"]]
    assert made and all(0.35 <= float(r["confidence"]) <= 1 and r["reason"] for r in made)
    assert all(r["confidence"] == "" and r["reason"] for r in rows if not r["motivation"])
    looted = [r for r in made if "Looting/property destruction" in r["reason"]]
    assert looted and {r["motivation"] for r in looted} == {"predation"}
    printed = capsys.readouterr().out
    assert printed.startswith(f"{len(rows)} incidents not yet assessed; {len(made)} with a")
    assert "model not trained: it needs at least 60 coded incidents" in printed
    # a suggestion is never a code: nothing stored changed
    assert (open_store(db).layer("incidents")["motivation"] == "unknown").all()


def test_filters_select_and_json_summarises(db, tmp_path, capsys) -> None:
    out = tmp_path / "s.csv"
    argv = ["suggest", "--from", "2022-01-01", "--to", "2022-12-31", "--out", str(out), "--json"]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    _columns, rows = _read(out)
    stored = open_store(db).layer("incidents")
    in_2022 = stored[stored["date"].dt.year == 2022]
    assert summary["not_assessed"] == len(rows) == len(in_2022)
    assert summary["suggested"] == sum(1 for r in rows if r["motivation"])
    assert summary["by_rules"] == summary["suggested"] and summary["by_model"] == 0
    assert summary["model"]["trained"] is False
    assert main(["suggest", "--from", "2022-01-01", "--to", "2021-01-01", "--out", str(out)]) == 2


@pytest.mark.parametrize(
    ("caller", "said"),
    [
        (Caller("vic", VIEWER), "vic (viewer) may not run it"),
        (Caller("adi", ADMIN), "adi (admin) may not run it"),
        (Caller("fon", FIELD_OFFICE, "HQ"), "fon (field_office, HQ) may not run it"),
    ],
)
def test_only_analysts_the_others_refused_and_audited(db, tmp_path, capsys, caller, said) -> None:
    out = tmp_path / "s.csv"
    args = parser().parse_args(["suggest", "--out", str(out)])
    assert run_suggest(args, session=Session(open_store(db), caller)) == 1
    err = capsys.readouterr().err
    assert err == (
        f"pocmap suggest: {said}: it reads every incident's narrative, and only analysts may "
        "read them all\n"
    )
    assert not out.exists()
    log = open_store(db).audit_log()
    last = log.iloc[-1]
    assert last["action"] == "denied" and caller.name in str(last["actor"])
    args = parser().parse_args(["suggest", "--out", str(out)])
    assert run_suggest(args, session=Session(open_store(db), Caller("ana", ANALYST))) == 0


def test_a_bad_mission_rules_file_stops_it_naming_the_cell(db, tmp_path, monkeypatch, capsys):
    rules = tmp_path / "rules.csv"
    rules.write_text("kind,pattern,motivation,weight\nphrase,cattle,greed,0.5\n", encoding="utf-8")
    monkeypatch.setenv(RULES_ENV, str(rules))
    assert main(["suggest", "--out", str(tmp_path / "s.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"pocmap suggest: motivation rules {rules}, line 2, column motivation")
    assert "'greed'" in err


def test_the_mission_rules_change_the_suggestions(db, tmp_path, monkeypatch, capsys) -> None:
    rules = tmp_path / "rules.csv"
    rules.write_text("kind,pattern,motivation,weight,reason\n"
                     "actor,3R,punitive,0.5,our reading of 3R's attacks\n")  # fmt: skip
    monkeypatch.setenv(RULES_ENV, str(rules))
    out = tmp_path / "s.csv"
    assert main(["suggest", "--out", str(out)]) == 0
    _columns, rows = _read(out)
    stored = open_store(db).layer("incidents").set_index("incident_id")
    by_3r = {r["incident_id"] for r in rows if r["motivation"] == "punitive"}
    assert by_3r and all(stored.loc[i, "perpetrator_name"].startswith("3R") for i in by_3r)


def test_the_model_is_trained_on_the_codes_and_its_figures_printed(tmp_path, capsys) -> None:
    folder = tmp_path / "mission"
    shutil.copytree(SAMPLE_DIR, folder, ignore=shutil.ignore_patterns("templates", "*.py"))
    out = tmp_path / "s.csv"
    argv = ["suggest", "--data", str(folder), "--admin1", "Mara", "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "model trained on 4,444 coded incidents" in printed
    assert "Predation: precision " in printed and " held-out" in printed


def test_in_french(db, tmp_path, capsys) -> None:
    out = tmp_path / "s.csv"
    assert main(["--lang", "fr", "suggest", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "incidents pas encore évalués" in printed
    assert "  Prédation : " in printed  # French typography: a space before the colon
    assert english_left(printed, ignoring=[str(out)]) == set()
    _columns, rows = _read(out)
    with use("fr"):
        assert any(r["reason"] == "aucune règle ne s’applique" for r in rows)  # noqa: RUF001


def test_the_refusal_in_french(db, tmp_path, capsys) -> None:
    with use("fr"):
        args = parser().parse_args(["suggest", "--out", str(tmp_path / "s.csv")])
        session = Session(open_store(db), Caller("vic", VIEWER))
        assert run_suggest(args, session=session) == 1
    err = capsys.readouterr().err
    assert err.startswith("pocmap suggest : vic (lecteur) ne peut pas la lancer")
    assert english_left(err, ignoring=["vic"]) == set()
