"""The store suite runs against both backends: ``store`` is a new, empty store of each.

The PostGIS one is a fresh database on the throwaway server ``tests/conftest.py``
starts (skipped with the reason when none can be started; never skipped in CI).
"""

from __future__ import annotations

import pytest

from store import open_store
from store.gpkg import GeoPackageStore

BACKENDS = ["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)]


@pytest.fixture(params=BACKENDS)
def store_location(request, tmp_path) -> str:
    """Where a new, empty store goes: a GeoPackage path or a PostGIS database URL."""
    if request.param == "geopackage":
        return str(tmp_path / "data" / "pocmap.gpkg")
    return request.getfixturevalue("postgis_url")


@pytest.fixture
def store(store_location):
    return open_store(store_location)


@pytest.fixture
def gpkg_store(tmp_path) -> GeoPackageStore:
    """The embedded store, for what only a GeoPackage file has (GDAL, SQLite pragmas)."""
    return open_store(tmp_path / "data" / "pocmap.gpkg")
