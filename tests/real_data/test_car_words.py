"""Say how sure, on real-format data: the CAR store (COD-AB, ACLED and UCDP) as imported.

ACLED and UCDP code no motivation, so every drivers row and caption must say the coding is
unknown; most admin1-quarters hold few events, so the friction rows must carry their caution,
and their intervals must equal scipy's Wilson interval. Expected figures come from the
tables' own counts, never typed in.
"""

from __future__ import annotations

import pytest
from scipy import stats

from store import open_store
from tests.real_data import CAR_ACLED, CAR_UCDP
from tests.real_data.test_car_mission import COD_AB, _analyse, _import


def test_friction_and_drivers_say_how_sure_on_car(tmp_path, capsys):
    store = open_store(tmp_path / "car.gpkg")
    _import(store, COD_AB, "admin_boundaries", "HQ")
    _import(store, CAR_ACLED, "incidents")
    _import(store, CAR_UCDP, "incidents")
    tables = _analyse(store, capsys)["tables"]

    for name in ("drivers_by_hot_spot", "drivers_by_admin1"):
        rows, caption = tables[name]["rows"], tables[name]["caption"]
        assert rows, name
        total = sum(r["incidents"] for r in rows)
        assert f"coding mostly unknown: 100 % not yet assessed ({total} of {total}" in caption
        few = sum(r["incidents"] < 10 for r in rows)
        assert (f"{few} of {len(rows)} rows rest on fewer than 10" in caption) is (few > 0)
        for row in rows:
            assert row["effect"].startswith("no incident assessed yet"), (name, row["group"])
            assert "coding mostly unknown: 100 % not yet assessed" in row["caution"]
            assert row["caution"].startswith("few incidents") is (row["incidents"] < 10)

    friction = tables["state_forces_friction"]
    rows = friction["rows"]
    few = [r for r in rows if r["incidents"] < 10]
    assert few and f"{len(few)} of {len(rows)} rows rest on fewer than 10" in friction["caption"]
    for row in rows:
        k, n = row["state_and_allied_incidents"], row["incidents"]
        ci = stats.binomtest(k, n).proportion_ci(method="wilson")
        assert row["share_low"] == pytest.approx(ci.low) and row["share_high"] == pytest.approx(
            ci.high
        )
        assert row["effect"].startswith("state and allied forces ")
        assert "95 % interval" in row["effect"]
        assert row["caution"].startswith("few incidents") is (n < 10), row
