from __future__ import annotations

import pytest

from store import open_store
from store.gpkg import GeoPackageStore


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    return open_store(tmp_path / "data" / "pocmap.gpkg")
