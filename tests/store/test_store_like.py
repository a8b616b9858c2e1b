"""Both backends and a Session are what the import pipeline and the CLI take (StoreLike).

mypy proves it from the signatures (the assignments at the end of ``access/session.py``,
checked by ``scripts/test.sh``); this checks it at run time on real stores of both
backends, and that the check refuses an object lacking one of the methods.
"""

from __future__ import annotations

import pytest

from access.roles import ANALYST, Caller
from access.session import Session
from analysis.filters import IncidentFilter
from store.base import StoreError
from store.gpkg import GeoPackageStore
from store.protocol import CountsInSql, StoreLike

ANALYST_USER = Caller("ana", ANALYST)
MEMBERS = sorted(name for name in vars(StoreLike) if not name.startswith("_"))


def test_a_store_and_a_session_over_it_are_store_like(store):
    session = Session(store, ANALYST_USER)
    assert isinstance(store, StoreLike)
    assert isinstance(session, StoreLike)
    assert session.location == store.location


def test_only_the_postgis_store_counts_in_sql(store):
    postgis = not isinstance(store, GeoPackageStore)
    assert isinstance(store, CountsInSql) is postgis
    assert Session(store, ANALYST_USER).counts_in_sql() is postgis


def test_a_session_over_a_geopackage_refuses_to_count_in_sql_and_says_why(gpkg_store):
    session = Session(gpkg_store, ANALYST_USER)
    with pytest.raises(StoreError, match=r"does not tally cells in SQL \(only PostGIS does\)"):
        session.incident_extent(IncidentFilter())
    assert gpkg_store.location in str(_refusal(session))


def _refusal(session: Session) -> StoreError:
    try:
        session.cell_totals(IncidentFilter(), crs=None, shape="hexagon", width_m=1000.0)
    except StoreError as err:
        return err
    raise AssertionError("cell_totals on a GeoPackage store did not refuse")


@pytest.mark.parametrize("missing", MEMBERS)
def test_an_object_lacking_one_member_is_not_store_like(missing):
    assert {"location", "layer", "commit_batch", "existing_ids", "find_upload"} <= set(MEMBERS)
    whole = type("Whole", (), {name: (lambda self: None) for name in MEMBERS})
    lacking = type(
        "Lacking", (), {name: (lambda self: None) for name in MEMBERS if name != missing}
    )
    assert isinstance(whole(), StoreLike)
    assert not isinstance(lacking(), StoreLike)
