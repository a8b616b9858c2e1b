"""``pocmap import`` of a corrected file sent again prints its difference (issue 23)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli import main
from languages import use
from store import open_store
from tests.ingest import uploads
from tests.ingest.test_resend import CHANGED, LEFT_OUT, _files
from tests.languages.english import english_left


@pytest.fixture(scope="module")
def boundaries_file(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("cli-resend") / "pocmap.gpkg")


@pytest.fixture
def db(boundaries_file: Path, tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    return path


def _paths(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    first, corrected, was = _files("csv")
    (tmp_path / first.name).write_bytes(first.data)
    (tmp_path / corrected.name).write_bytes(corrected.data)
    return tmp_path / first.name, tmp_path / corrected.name, was


def _import(path: Path, *extra: str) -> int:
    return main(["import", str(path), "--layer", "incidents", "--office", "Kalondo", *extra])


def test_the_difference_is_printed_and_carried_in_json(db, tmp_path, capsys) -> None:
    first, corrected, was = _paths(tmp_path)
    assert _import(first) == 0
    capsys.readouterr()
    assert _import(corrected, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "sent again: 1 new row, 27 unchanged (skipped), 2 updated" in out
    for incident, (column, value) in CHANGED.items():
        assert f"{incident}, {column}: {was[incident]} -> {value}" in out
    assert LEFT_OUT in out and "not deleted" in out
    assert "unchanged: the same as stored" not in out  # counted, not listed line by line

    assert _import(corrected, "--json") == 0
    answer = json.loads(capsys.readouterr().out)
    read = answer["rows_read"]
    outcomes = ("accepted", "accepted_with_warning", "out_of_scope", "rejected", "unchanged")
    assert read == 30 and sum(answer[k] for k in outcomes) == read
    assert answer["updated"] == 2 and answer["difference"]["new"] == 1
    cells = {
        (c["id"], c["column"]): (c["stored"], c["sent"]) for c in answer["difference"]["cells"]
    }
    assert cells == {(i, c): (was[i], v) for i, (c, v) in CHANGED.items()}
    assert {line["outcome"] for line in answer["report"]} >= {"unchanged", "updated"}
    batch = open_store(db).batches("incidents")[0]
    assert (batch.batch_id, batch.updated, batch.unchanged) == (answer["batch"], 2, 27)
    assert main(["batches", "--layer", "incidents"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert "30 read, 3 accepted, 0 out of scope, 0 rejected; 2 updated, 27 unchanged" in listed[0]


def test_the_difference_is_printed_in_french(db, tmp_path, capsys) -> None:
    first, corrected, was = _paths(tmp_path)
    assert _import(first) == 0
    capsys.readouterr()
    with use("fr"):
        assert main(["--lang", "fr", "import", str(corrected), "--layer", "incidents",
                     "--office", "Kalondo", "--dry-run"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "fichier renvoyé : 1 nouvelle ligne, 27 inchangées (passées), 2 mises à jour" in out
    assert "n'est pas supprimée" in out
    # Data (file name, ids, values, place names, the profile's reasons) is not English.
    data = [corrected.name, "Kalondo", *CHANGED, *was.values(), LEFT_OUT, "incident_id",
            *(column for column, _value in CHANGED.values())]  # fmt: skip
    lines = [line for line in out.splitlines() if "fichier renvoyé" in line or " -> " in line
             or "supprimée" in line]  # fmt: skip
    assert lines and english_left("\n".join(lines), ignoring=data) == set()
