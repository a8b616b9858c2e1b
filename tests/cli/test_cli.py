"""The ``pocmap`` console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli import APP, main, parser


def test_serve_defaults_to_localhost_8501() -> None:
    args = parser().parse_args(["serve"])
    assert (args.port, args.address, args.data) == (8501, "localhost", None)
    assert APP.name == "app.py" and APP.is_file()


def test_serve_refuses_a_data_folder_that_does_not_exist(tmp_path, capsys) -> None:
    missing = tmp_path / "no-such-folder"
    assert main(["serve", "--data", str(missing)]) == 2
    assert "no-such-folder" in capsys.readouterr().err


def test_unknown_command_exits_non_zero() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_console_script_is_installed() -> None:
    # pip puts the console script beside the interpreter of the environment.
    script = Path(sys.executable).with_name("pocmap")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "serve" in result.stdout


@pytest.mark.postgis
def test_serve_hands_the_app_a_postgis_url_unchanged(postgis_url, monkeypatch) -> None:
    # The app runs from the repo root: a GeoPackage's relative path is made absolute, but a
    # URL taken for a path would open an empty GeoPackage named "postgresql:/..." instead.
    from cli import app_store_location
    from store import open_store

    with_password = postgis_url.replace("://postgres@", "://postgres:s3cret@")
    monkeypatch.setenv("POCMAP_DB", with_password)
    store = open_store()
    assert "s3cret" not in store.location
    assert app_store_location(store) == with_password


def test_serve_hands_the_app_an_absolute_geopackage_path(tmp_path, monkeypatch) -> None:
    from cli import app_store_location
    from store import open_store

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POCMAP_DB", "data/pocmap.gpkg")
    assert app_store_location(open_store()) == str(tmp_path / "data" / "pocmap.gpkg")
