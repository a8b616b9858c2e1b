"""``pocmap actors``: the rules in effect, and the dictionary applied again to a real store,
each change an edit with its history, an analyst's own coding kept, a second run a no-op."""

from __future__ import annotations

import json

import pytest

from cli import main
from ingest import actors
from store import open_store
from tests.ingest.profiles.test_actors_at_import import _acled_rows
from tests.ingest.uploads import ACLED_2019, _acled

BACKENDS = ["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)]


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path, monkeypatch) -> str:
    """A new, empty store of each kind, named by ``POCMAP_DB``; no mission dictionary."""
    location = (
        str(tmp_path / "pocmap.gpkg")
        if request.param == "geopackage"
        else request.getfixturevalue("postgis_url")
    )
    monkeypatch.setenv("POCMAP_DB", location)
    monkeypatch.delenv(actors.ACTORS_ENV, raising=False)
    return location


def _import_acled(tmp_path, capsys) -> None:
    rows = _acled_rows(
        [
            ("Phantom Security Contractors", 8),
            ("Phantom Security Contractors", 8),
            ("Wagner Group", 8),
            ("Anti-Balaka", 3),
            ("Anti-Balaka", 3),
            ("Military Forces of the Central African Republic (2016-)", 1),
        ],
        iso=140,
        country="Central African Republic",
    )
    path = tmp_path / "acled_car_2022.csv"
    path.write_bytes(_acled(ACLED_2019, rows))
    assert main(["import", str(path), "--layer", "incidents", "--office", "HQ", "--json"]) == 0
    capsys.readouterr()


def _types(location: str) -> dict[str, str]:
    frame = open_store(location).layer("incidents")
    return dict(zip(frame["incident_id"], frame["perpetrator_type"], strict=True))


def test_apply_changes_stored_rows_with_history_and_is_idempotent(
    db, tmp_path, monkeypatch, capsys
):
    _import_acled(tmp_path, capsys)
    before = {
        "CEN100": "unidentified",  # no rule: ACLED's external forces, warned at import
        "CEN101": "unidentified",
        "CEN102": "allied_forces",
        "CEN103": "community_militia",
        "CEN104": "community_militia",
        "CEN105": "state_forces",
    }
    assert _types(db) == before
    # An analyst codes one Anti-Balaka event by hand: the dictionary never overrides it.
    assert main(["recode", "CEN104", "--perpetrator-type", "criminal", "--by", "ana",
                 "--reason", "road robbers using the name, per the field report"]) == 0  # fmt: skip
    capsys.readouterr()

    mission = tmp_path / "actors.csv"
    mission.write_text(
        "country,pattern,perpetrator_type,note\n"
        "CAF,Phantom Security,allied_forces,contractor paid by the state\n"
        "CAF,Anti-Balaka,non_state_armed_group,CPC member since 2020\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(actors.ACTORS_ENV, str(mission))

    assert main(["actors", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1].split()[:5] == ["1", "CAF", "'Phantom", "Security'", "->"]
    assert listed[1].endswith(f"{mission} line 2")
    assert "defaults.csv line" in listed[-1]

    # A dry run says what would change and changes nothing.
    assert main(["actors", "--apply", "--dry-run", "--by", "ana", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and dry["changed"] == 0 and dry["rows_seen"] == 6
    assert [(c["incident_id"], c["before"], c["after"]) for c in dry["changes"]] == [
        ("CEN100", "unidentified", "allied_forces"),
        ("CEN101", "unidentified", "allied_forces"),
        ("CEN103", "community_militia", "non_state_armed_group"),
    ]
    assert dry["kept_by_hand"] == ["CEN104"]
    assert _types(db) == before | {"CEN104": "criminal"}

    assert main(["actors", "--apply", "--by", "ana"]) == 0
    out = capsys.readouterr().out
    assert "3 of 6 stored incident(s) changed" in out
    assert "1 incident(s) kept as an analyst recoded them by hand: CEN104" in out
    assert _types(db) == before | {
        "CEN100": "allied_forces",
        "CEN101": "allied_forces",
        "CEN103": "non_state_armed_group",
        "CEN104": "criminal",
    }
    # Each change is in the incident's history and the audit log, with the rule as reason.
    assert main(["history", "CEN100"]) == 0
    history = capsys.readouterr().out
    assert (
        "CEN100  perpetrator_type: unidentified -> allied_forces  by ana "
        "(actor dictionary rule 1: Phantom Security (CAF) → allied_forces)"
    ) in history
    log = open_store(db).audit_log()
    edits = log[log["action"] == "edit"]
    assert edits["target"].tolist() == [
        "incidents CEN104",
        "incidents CEN100",
        "incidents CEN101",
        "incidents CEN103",
    ]
    assert "actor dictionary rule 2: Anti-Balaka (CAF)" in edits["details"].iloc[-1]

    # Again: nothing left to change, nothing written.
    seen = len(open_store(db).audit_log())
    assert main(["actors", "--apply", "--by", "ana"]) == 0
    assert "0 of 6 stored incident(s) changed" in capsys.readouterr().out
    assert len(open_store(db).audit_log()) == seen

    # The mission's rule withdrawn: its rows go back to what the source's code gives.
    mission.write_text("country,pattern,perpetrator_type\n", encoding="utf-8")
    assert main(["actors", "--apply", "--by", "ana", "--json"]) == 0
    back = json.loads(capsys.readouterr().out)
    assert {(c["incident_id"], c["after"]) for c in back["changes"]} == {
        ("CEN100", "unidentified"),
        ("CEN101", "unidentified"),
        ("CEN103", "community_militia"),
    }
    reasons = {c["incident_id"]: c["reason"] for c in back["changes"]}
    assert reasons["CEN100"] == (
        "actor dictionary: no rule gives 'Phantom Security Contractors' a type; "
        "from actor1 (actor dictionary), else inter1"
    )
    assert reasons["CEN103"].startswith("actor dictionary rule ")  # the default Anti-Balaka rule


def test_a_broken_dictionary_and_wrong_options_are_refused(db, tmp_path, monkeypatch, capsys):
    assert main(["actors", "--list", "--dry-run"]) == 1
    assert "--dry-run goes with --apply" in capsys.readouterr().err
    broken = tmp_path / "actors.csv"
    broken.write_text("country,pattern,perpetrator_type\nXX,Wagner,allied_forces\n", "utf-8")
    monkeypatch.setenv(actors.ACTORS_ENV, str(broken))
    assert main(["actors", "--apply"]) == 1
    err = capsys.readouterr().err
    assert f"pocmap actors: actor dictionary {broken}, line 2, column country: 'XX'" in err


def test_many_edits_are_one_transaction_all_or_none(db):
    from tests.store import helpers

    store = open_store(db)
    rows = helpers.incidents(3, "KAL")
    batch = helpers.new_batch("incidents", rows, b"k")
    store.commit_batch(batch, rows, report=helpers.REPORT, original=b"k", id_column="incident_id")
    seen = len(store.audit_log())
    wanted = [
        ("KAL-0", {"perpetrator_type": "allied_forces"}, "actor dictionary rule 8: Wagner"),
        ("NOPE", {"perpetrator_type": "allied_forces"}, "actor dictionary rule 8: Wagner"),
    ]
    with pytest.raises(KeyError, match="no incidents row in an active batch has incident_id"):
        store.edit_many("incidents", wanted, by="ana")
    assert len(store.audit_log()) == seen and store.edits().empty
    assert set(store.layer("incidents")["perpetrator_type"]) == {"community_militia"}
    again = [wanted[0], ("KAL-2", *wanted[0][1:])]
    assert store.edit_many("incidents", again, by="ana") == 2
    assert store.edits()["row_key"].tolist() == ["KAL-0", "KAL-2"]
    assert store.verify_audit().intact


def test_apply_changes_only_the_types_the_dictionary_gave_an_offices_rows(
    db, tmp_path, monkeypatch, capsys
):
    from tests.ingest.uploads import INSIDE, _csv

    header = ["incident_id", "date", "incident_type", "motivation", "perpetrator_type",
              "perpetrator_name", "fatalities", "location_precision", "source", "latitude",
              "longitude"]  # fmt: skip
    (x1, y1), (x2, y2) = INSIDE[:2]
    rows = [
        ["BG-1", "2024-05-01", "killing", "revenge", "", "Wagner", 1, "exact", "HRD", y1, x1],
        ["BG-2", "2024-05-02", "killing", "revenge", "FDS", "Wagner", 1, "exact", "HRD", y2, x2],
    ]  # fmt: skip
    path = tmp_path / "bangui.csv"
    path.write_bytes(_csv([header, *rows]))
    assert main(["import", str(path), "--layer", "incidents", "--office", "Bangui"]) == 0
    assert _types(db) == {"BG-1": "allied_forces", "BG-2": "state_forces"}
    mission = tmp_path / "actors.csv"
    mission.write_text("country,pattern,perpetrator_type\n,Wagner,criminal\n", encoding="utf-8")
    monkeypatch.setenv(actors.ACTORS_ENV, str(mission))
    capsys.readouterr()
    assert main(["actors", "--apply", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # The office said BG-2 was state forces ("FDS"): theirs, kept; BG-1's type was the
    # dictionary's, so the dictionary changes it.
    assert [(c["incident_id"], c["after"], c["reason"]) for c in result["changes"]] == [
        ("BG-1", "criminal", "actor dictionary rule 1: Wagner → criminal")
    ]
    assert _types(db) == {"BG-1": "criminal", "BG-2": "state_forces"}
