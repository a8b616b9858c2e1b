"""Row checks on small hand-made uploads: every row gets one outcome and its reasons."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from ingest.checks import check_rows
from ingest.findings import ACCEPTED, OUT_OF_SCOPE, REJECTED, WARNING, CheckContext
from ingest.records import with_source_records
from schema.upload import RawTable

AREA = box(1.0, -4.0, 3.0, -2.0)  # the mission area: lon 1..3, lat -4..-2
TODAY = dt.date(2026, 11, 24)
GOOD = {
    "incident_id": "A-1",
    "date": "2025-03-01",
    "incident_type": "killing",
    "motivation": "revenge",
    "perpetrator_type": "community_militia",
    "fatalities": "2",
    "location_precision": "exact",
    "source": "HRD",
    "latitude": "-3.0",
    "longitude": "2.0",
}


@dataclass
class Mapped:
    layer: str
    frame: pd.DataFrame


def upload(rows: list[dict], layer: str = "incidents") -> tuple[RawTable, Mapped]:
    records = pd.DataFrame(rows, index=pd.RangeIndex(2, 2 + len(rows)), dtype=object)
    records = records.astype(object).where(records.notna(), None)
    return RawTable("test.csv", "csv", records), Mapped(layer, records.copy())


def check(rows: list[dict], layer: str = "incidents", **context):
    _, mapped = upload(rows, layer)
    options = {"office": "Kalondo", "mission_area": AREA, "today": TODAY} | context
    return check_rows(mapped, CheckContext(**options))


def as_stored(rows: list[dict], layer: str = "incidents", **context) -> pd.DataFrame:
    """The accepted rows as they are written: each with its row as sent."""
    table, _ = upload(rows, layer)
    return with_source_records(check(rows, layer, **context).accepted, table.records)


def row(n: int, **changes) -> dict:
    return GOOD | {"incident_id": f"A-{n}", "latitude": str(-3.0 + n * 0.05)} | changes


def problems(result, row_number: int) -> list[str]:
    lines = result.report[result.report["row"] == row_number]
    return [f"{c}: {p}" for c, p in zip(lines["column"], lines["problem"], strict=True)]


def test_a_clean_file_is_accepted_typed_and_keeps_each_row_as_sent() -> None:
    result = check([row(1), row(2, motivation="predation")])
    assert result.counts == {ACCEPTED: 2, WARNING: 0, REJECTED: 0, OUT_OF_SCOPE: 0}
    assert result.report.empty
    accepted = result.accepted
    assert list(accepted.index) == [2, 3]
    assert accepted.loc[2, "date"] == pd.Timestamp("2025-03-01")
    assert accepted.loc[2, "fatalities"] == 2
    assert accepted.loc[2, "field_office"] == "Kalondo"
    assert accepted.geometry.loc[2].equals(Point(2.0, -2.95))
    stored = as_stored([row(1), row(2, motivation="predation")])
    assert json.loads(stored.loc[3, "source_record"])["motivation"] == "predation"


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"latitude": None}, "latitude", "is missing"),
        ({"latitude": "3°S"}, "latitude", "is not a number"),
        ({"latitude": "-95", "longitude": "2"}, "latitude/longitude", "out of range"),
        ({"latitude": "2.0", "longitude": "-3.0"}, "latitude/longitude", "looks swapped"),
        ({"latitude": "0", "longitude": "0"}, "latitude/longitude", "(0, 0)"),
        ({"latitude": "10.0", "longitude": "20.0"}, "latitude/longitude", "outside the mission"),
        ({"date": "03/04/2024"}, "date", "ambiguous"),
        ({"date": "last week"}, "date", "is not a date"),
        ({"date": "2027-01-01"}, "date", "in the future"),
        ({"motivation": "jealousy"}, "motivation", "is not a known code"),
        ({"fatalities": "-2"}, "fatalities", "is negative"),
        ({"fatalities": "two"}, "fatalities", "is not a number"),
        ({"incident_type": None}, "incident_type", "is missing"),
    ],
)
def test_each_bad_cell_rejects_its_row_and_says_why(changes, column, words) -> None:
    result = check([row(1), row(2, **changes)])
    assert result.counts[REJECTED] == 1
    assert result.outcomes.loc[3] == REJECTED and result.outcomes.loc[2] == ACCEPTED
    assert any(p.startswith(f"{column}: ") and words in p for p in problems(result, 3)), problems(
        result, 3
    )
    line = result.report[result.report["row"] == 3].iloc[0]
    assert line["expected"], "every problem says what would be accepted"
    assert list(result.accepted.index) == [2]


def test_the_office_date_order_resolves_ambiguous_dates() -> None:
    result = check([row(1, date="03/04/2024")], date_order="day_first")
    assert result.accepted.loc[2, "date"] == pd.Timestamp("2024-04-03")


def test_duplicate_ids_within_the_file_and_against_the_store() -> None:
    stored = {"A-3": 7}
    result = check(
        [row(1), row(2, incident_id="A-1"), row(3)],
        existing_ids=lambda ids: {i: stored[i] for i in ids if i in stored},
    )
    assert result.outcomes.tolist() == [ACCEPTED, REJECTED, REJECTED]
    assert "repeats the id of row 2" in problems(result, 3)[0]
    assert "already in the store (batch 7)" in problems(result, 4)[0]


def test_near_duplicates_are_flagged_not_dropped() -> None:
    near = row(2, latitude="-2.951", longitude="2.003")  # about 350 m from row 1
    far = row(3, latitude="-2.95", longitude="2.05")  # about 5.5 km away
    other_day = row(4, latitude="-2.95", longitude="2.0", date="2025-03-02")
    result = check([row(1, latitude="-2.95"), near, far, other_day])
    assert result.outcomes.tolist() == [WARNING, WARNING, ACCEPTED, ACCEPTED]
    assert len(result.accepted) == 4
    assert "may repeat row 3 of this file" in problems(result, 2)[0]


def test_different_perpetrators_the_same_day_in_one_place_are_not_repeats() -> None:
    # Issue 20: two groups in one town on one day are two incidents; the same group named
    # alike (case and spaces aside) is a possible repeat, and so is one unnamed of its type.
    militia = row(1, latitude="-2.95", perpetrator_name="Anti-balaka")
    army = row(2, latitude="-2.951", perpetrator_type="state_forces", perpetrator_name="FACA")
    same = row(3, latitude="-2.9505", perpetrator_name=" anti-BALAKA ")
    unnamed = row(4, latitude="-2.9502")
    other_group = row(5, latitude="-2.9501", perpetrator_name="3R")
    result = check([militia, army, same, unnamed, other_group])
    assert result.outcomes.tolist() == [WARNING, ACCEPTED, WARNING, WARNING, WARNING]
    assert problems(result, 2) == [
        "date/incident_type/location: may repeat row 4 of this file (56 m), "
        "row 5 of this file (22 m): same day, type and perpetrator within 1 km"
    ]  # not row 3 (the army) nor row 6 (3R is not Anti-balaka)
    assert problems(result, 3) == []
    assert problems(result, 6) == [
        "date/incident_type/location: may repeat row 5 of this file (11 m): "
        "same day, type and perpetrator within 1 km"
    ]  # the unnamed militia could be 3R


def test_near_duplicates_against_the_store() -> None:
    stored = pd.DataFrame(
        {"incident_id": ["S-9"], "date": ["2025-03-01"], "incident_type": ["killing"]}
    )
    import geopandas as gpd

    stored = gpd.GeoDataFrame(stored, geometry=[Point(2.0, -2.9505)], crs="EPSG:4326")
    result = check([row(1, latitude="-2.95")], stored_incidents=stored)
    assert result.outcomes.tolist() == [WARNING]
    assert "stored incident S-9" in problems(result, 2)[0]


def test_missing_optional_columns_get_stated_defaults() -> None:
    bare = {k: v for k, v in GOOD.items() if k not in ("motivation", "location_precision")}
    result = check([bare], upload_sha256="abcdef0123456789")
    assert result.counts[ACCEPTED] == 1
    assert result.accepted.iloc[0]["motivation"] == "unknown"
    assert any("unknown" in note for note in result.notes)
    assert any("approximate" in note for note in result.notes)


def test_a_required_column_missing_rejects_every_row_with_the_reason() -> None:
    rows = [{k: v for k, v in row(n).items() if k != "perpetrator_type"} for n in (1, 2)]
    result = check(rows)
    assert result.counts[REJECTED] == 2
    assert result.accepted.empty
    assert "perpetrator_type" in set(result.report["column"])


def _agreement(n: int, geometry) -> dict:
    return {
        "agreement_id": f"LA-{n}",
        "name": f"Pact {n}",
        "agreement_type": "farmer_herder",
        "status": "signed",
        "mission_role": "facilitator",
        "field_office": "Kalondo",
        "poc_language": "yes",
        "sgbv_provisions": "no",
        "freedom_of_movement": "oui",
        "geometry": geometry,
    }


def test_shapes_invalid_repaired_and_flagged_empty_rejected() -> None:
    bowtie = Polygon([(1.5, -3.5), (2.5, -2.5), (2.5, -3.5), (1.5, -2.5), (1.5, -3.5)])
    rows = [
        _agreement(1, box(1.5, -3.5, 2.0, -3.0)),
        _agreement(2, bowtie),
        _agreement(3, shapely.Polygon()),
        _agreement(4, None),
        _agreement(5, box(10, 10, 11, 11)),
    ]
    result = check(rows, layer="local_agreements")
    assert result.outcomes.tolist() == [ACCEPTED, WARNING, REJECTED, REJECTED, REJECTED]
    repaired = result.accepted.geometry.loc[3]
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon"
    assert "repaired" in problems(result, 3)[0]
    # The shape as sent is kept with the row.
    stored = as_stored(rows, layer="local_agreements")
    assert json.loads(stored.loc[3, "source_record"])["geometry"] == bowtie.wkt
    assert result.accepted.loc[2, "poc_language"] is True or result.accepted.loc[2, "poc_language"]


def test_accounting_holds_on_a_mixed_file() -> None:
    rows = [row(n) for n in range(1, 30)] + [row(40, date="nope"), row(41, latitude="x")]
    result = check(rows)
    counts = result.counts
    assert sum(counts.values()) == result.rows_read == 31
    assert len(result.accepted) == counts[ACCEPTED] + counts[WARNING]
    assert set(result.report["row"]) <= set(result.outcomes.index)
