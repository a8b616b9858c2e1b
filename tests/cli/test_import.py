"""``pocmap import`` and the batch commands, run as a person runs them, on real files."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from cli import main
from store import open_store
from tests.ingest import uploads

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="session")
def boundaries_file(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("cli-template") / "pocmap.gpkg")


@pytest.fixture
def db(boundaries_file: Path, tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    return path


def _write(tmp_path: Path, fixture: uploads.Fixture) -> Path:
    path = tmp_path / fixture.name
    path.write_bytes(fixture.data)
    return path


def _run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


BUILDERS = uploads.builders()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_import_commits_a_batch_and_prints_the_accounting(db, tmp_path, capsys, name) -> None:
    fixture = BUILDERS[name](tmp_path)
    if fixture.layer == "admin_boundaries":
        db.unlink()  # into an empty store: boundaries define the mission area
    path = _write(tmp_path, fixture)
    code, result = _run_json(
        capsys, "import", str(path), "--layer", fixture.layer, "--office", "Bureau de test"
    )
    assert code == 0, result
    assert result["committed"] is True and isinstance(result["batch"], int)
    if fixture.detected:
        assert result["profile"] == fixture.detected
    assert result["rows_read"] == fixture.expected.rows_read
    assert result["accepted"] + result["accepted_with_warning"] == fixture.expected.accepted
    assert result["rejected"] == fixture.expected.rejected
    assert result["out_of_scope"] == fixture.expected.out_of_scope
    assert result["rows_read"] == sum(
        result[k] for k in ("accepted", "accepted_with_warning", "out_of_scope", "rejected")
    )
    # Every rejected row is explained in the report.
    rejected = {r["row"] for r in result["report"] if r["outcome"] == "rejected"}
    assert len(rejected) == result["rejected"]
    assert len(open_store(db).layer(fixture.layer)) == fixture.expected.accepted


def test_human_output_names_rows_and_exit_codes(db, tmp_path, capsys) -> None:
    path = _write(tmp_path, uploads.native_incidents_cp1252())
    assert main(["import", str(path), "--layer", "incidents", "--office", "Ndoubi"]) == 0
    out = capsys.readouterr().out
    assert "rows read 5: accepted 4" in out and "rejected 1" in out
    assert "row 6, column latitude/longitude: “" in out and "swapped" in out
    assert "committed as batch" in out
    # The same file again: refused, exit 1, and the store is unchanged.
    assert main(["import", str(path), "--layer", "incidents", "--office", "Ndoubi"]) == 1
    assert "already imported" in capsys.readouterr().err
    assert len(open_store(db).batches("incidents")) == 1


def test_refused_files_exit_non_zero_with_a_clear_message(db, tmp_path, capsys) -> None:
    macro = tmp_path / "incidents.xlsm"
    macro.write_bytes(uploads.french_incidents_xlsx().data)
    assert main(["import", str(macro), "--layer", "incidents", "--office", "X"]) == 1
    assert "xlsm" in capsys.readouterr().err.lower()
    assert main(["import", str(tmp_path / "nope.csv"), "--layer", "incidents", "--office", "X"])
    assert "is not a file" in capsys.readouterr().err
    assert open_store(db).batches("incidents") == []


def test_dry_run_and_report_files(db, tmp_path, capsys) -> None:
    path = _write(tmp_path, uploads.native_incidents_cp1252())
    report = tmp_path / "report.xlsx"
    args = ["import", str(path), "--layer", "incidents", "--office", "Ndoubi", "--dry-run"]
    code = main([*args, "--report", str(report)])
    assert code == 0
    assert "dry run: nothing committed" in capsys.readouterr().out
    assert open_store(db).batches("incidents") == []
    book = openpyxl.load_workbook(io.BytesIO(report.read_bytes()))
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True)}
    assert summary["Rows read"] == "5" and summary["Rejected"] == "1"


def test_a_mapping_by_hand_is_kept_for_next_time(db, tmp_path, capsys) -> None:
    fixture = uploads.french_incidents_xlsx()
    path = _write(tmp_path, fixture)
    code, result = _run_json(
        capsys,
        "import", str(path), "--layer", "incidents", "--office", "Kalondo",
        "--profile", "custom", "--map", "incident_id=N° incident", "--map", "source=Source",
        "--save-mapping", "kalondo-sheet",
    )  # fmt: skip
    assert code == 0, result
    assert result["mapping"]["incident_id"] == "N° incident"
    saved = open_store(db).mappings("incidents")["kalondo-sheet"]
    assert saved["incident_id"] == "N° incident"
    store = open_store(db)
    store.withdraw(result["batch"], by="pytest", reason="test the saved mapping")
    code, again = _run_json(
        capsys, "import", str(path), "--layer", "incidents", "--office", "Kalondo",
        "--profile", "custom", "--use-mapping", "kalondo-sheet",
    )  # fmt: skip
    assert code == 0 and again["mapping"]["incident_id"] == "N° incident"


def test_batches_withdraw_and_restore(db, tmp_path, capsys) -> None:
    path = _write(tmp_path, uploads.agreements_geojson())
    _, result = _run_json(
        capsys, "import", str(path), "--layer", "local_agreements", "--office", "NE"
    )
    batch = str(result["batch"])
    assert main(["withdraw", batch, "--reason", "duplicate of paper records"]) == 0
    assert f"batch {batch} is now withdrawn" in capsys.readouterr().out
    assert len(open_store(db).layer("local_agreements")) == 0
    assert main(["batches", "--layer", "local_agreements"]) == 0
    assert "withdrawn" in capsys.readouterr().out
    assert main(["restore", batch]) == 0
    assert len(open_store(db).layer("local_agreements")) == 3
    assert main(["withdraw", "999", "--reason", "x"]) == 1
    assert "999" in capsys.readouterr().err


def test_a_batch_is_reprocessed_from_its_original_file(db, tmp_path, capsys) -> None:
    path = _write(tmp_path, uploads.french_incidents_xlsx())
    _, first = _run_json(capsys, "import", str(path), "--layer", "incidents", "--office", "K")
    store = open_store(db)
    assert set(store.layer("incidents")["source"]) == {"Réseau d'alerte communautaire"}
    # The office says the "Source" column was really the perpetrator's name.
    code, again = _run_json(
        capsys, "reprocess", str(first["batch"]), "--map", "perpetrator_name=Source",
        "--map", "source=",
    )  # fmt: skip
    assert code == 0, again
    assert store.batch(first["batch"]).status == "withdrawn"
    incidents = store.layer("incidents")
    assert set(incidents["perpetrator_name"]) == {"Réseau d'alerte communautaire"}
    assert len(incidents) == first["accepted"] + first["accepted_with_warning"]
    # A reprocessing that fails leaves the batch as it was.
    bad = main(["reprocess", str(again["batch"]), "--map", "date=no such column"])
    assert bad == 1 and store.batch(again["batch"]).status == "active"


def test_rows_out_of_scope_are_counted_in_words_and_in_the_batch_list(db, tmp_path, capsys):
    from tests.ingest.test_messages import _bad, _messy_acled

    path = tmp_path / "acled_messy.csv"
    path.write_bytes(_messy_acled())
    assert main(["import", str(path), "--layer", "incidents", "--office", "Ndoubi"]) == 0
    out = capsys.readouterr().out
    assert "rows read 9: accepted 0, accepted with a warning 1, out of scope 2, rejected 6" in out
    assert (
        "the whole file, column event type: out of scope for incidents: 2 rows: Battles 1, "
        "Riots 1; nothing to fix" in out
    )
    assert "row 3, column date: is missing; expected" in out  # no value: none shown
    assert not _bad(out), _bad(out)
    assert main(["batches"]) == 0
    assert "9 read, 1 accepted, 2 out of scope, 6 rejected" in capsys.readouterr().out
