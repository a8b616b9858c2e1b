"""PostGIS and rows withdrawn one by one: the hot-spot cells tallied in SQL leave them out
as the in-memory count does, and the application role may withdraw and restore rows but
not delete a withdrawal."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import psycopg
import pytest

from analysis.cells import count_in_cells
from analysis.filters import filter_incidents
from analysis.metric import mission_crs
from cli import main
from schema.filters import IncidentFilter
from store import open_store
from store.base import Actor
from tests.store import helpers
from tests.store.test_pg_roles import roles  # noqa: F401 (the fixture)

pytestmark = pytest.mark.postgis
ANA = Actor("ana", "analyst")
AREA = gpd.GeoDataFrame(
    geometry=gpd.GeoSeries.from_wkt(
        ["POLYGON((0.8 -3.2, 3.2 -3.2, 3.2 -1.8, 0.8 -1.8, 0.8 -3.2))"], crs=4326
    )
)


@pytest.mark.parametrize("selection", [IncidentFilter(), IncidentFilter(start=dt.date(2024, 3, 1))])
def test_sql_cells_leave_withdrawn_rows_out_as_memory_does(postgis_url, selection):
    store = open_store(postgis_url)
    rows = helpers.incidents(600, "C", seed=3)
    batch = store.commit_batch(
        helpers.new_batch("incidents", rows, b"c"),
        rows,
        report=helpers.REPORT,
        original=b"c",
        id_column="incident_id",
    )
    gone = [f"C-{i}" for i in range(0, 600, 7)]
    store.withdraw_rows(batch.batch_id, gone, by=ANA, reason="placed in the sea")
    shown = store.layer("incidents")
    assert len(shown) == 600 - len(gone)
    chosen = filter_incidents(shown, selection)
    crs = mission_crs(AREA, chosen)
    expected = count_in_cells(chosen, AREA, shape="hexagon", width_m=15_000, crs=crs)
    totals = store.cell_totals(selection, crs=crs, shape="hexagon", width_m=15_000)
    assert totals["incidents"].sum() == len(chosen) < len(filter_incidents(rows, selection))
    cells = expected.cells[expected.cells["incidents"] > 0]
    got = totals.set_index(["q", "r"])["incidents"].sort_index()
    want = cells.set_index(["q", "r"])["incidents"].sort_index()
    assert got.to_dict() == want.astype("int64").to_dict()
    assert store.incident_extent(selection)[1] == len(chosen)
    # Restored, they count again.
    store.restore_rows(batch.batch_id, gone, by=ANA)
    totals = store.cell_totals(selection, crs=crs, shape="hexagon", width_m=15_000)
    assert totals["incidents"].sum() == len(filter_incidents(rows, selection))


def test_the_app_role_withdraws_and_restores_rows_but_deletes_none(roles):  # noqa: F811
    owner_url, app_url, app = roles
    assert main(["migrate-schema", "--db", owner_url, "--app-role", app]) == 0
    store = open_store(app_url)
    rows = helpers.incidents(3, "A")
    batch = store.commit_batch(
        helpers.new_batch("incidents", rows, b"a"),
        rows,
        report=helpers.REPORT,
        original=b"a",
        id_column="incident_id",
    )
    store.withdraw_rows(batch.batch_id, ["A-1"], by=ANA, reason="wrong date")
    store.restore_rows(batch.batch_id, ["A-1"], by=ANA)
    assert store.row_withdrawals()["restored_by"].tolist() == ["ana"]
    with psycopg.connect(app_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM pocmap.row_withdrawals")
    with psycopg.connect(app_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE pocmap.row_withdrawals SET reason = 'rewritten'")
