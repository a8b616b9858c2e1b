"""``ingest.review_pairs``: each row of a batch beside the stored event it is linked to or
may repeat, from the store's links and from what the linking proposes now."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from ingest.linking import Tolerances
from ingest.review_pairs import KINDS, PAIR_COLUMNS, place_of, review_pairs, side_by_side
from store.links import LINK_COLUMNS


def _incidents(rows: list[tuple], batch_id: int) -> gpd.GeoDataFrame:
    """``(id, day, lon, lat, perpetrator type, source, fatalities)`` per row."""
    frame = pd.DataFrame(
        {
            "incident_id": [r[0] for r in rows],
            "date": pd.to_datetime([r[1] for r in rows]),
            "date_precision": "day",
            "location_precision": "exact",
            "incident_type": "killing",
            "perpetrator_type": [r[4] for r in rows],
            "perpetrator_name": None,
            "fatalities": pd.array([r[6] for r in rows], dtype="Int64"),
            "source": [r[5] for r in rows],
            "admin1": "Ouaka",
            "admin2": [None if r[0].endswith("2") else "Bambari" for r in rows],
            "narrative": [f"[SYNTHETIC] {r[0]}" for r in rows],
            "batch_id": batch_id,
        }
    )
    points = gpd.points_from_xy([r[2] for r in rows], [r[3] for r in rows], crs=4326)
    return gpd.GeoDataFrame(frame, geometry=points)


STORED = _incidents(
    [
        ("A-1", "2024-03-04", 20.67, 5.75, "state_forces", "ACLED", 4),
        ("A-2", "2024-06-01", 21.50, 6.20, "state_forces", "ACLED", 1),
        ("O-7", "2024-04-10", 20.00, 5.00, "community_militia", "office", 2),
    ],
    batch_id=1,
)
OFFICES = {1: "JMAC"}
LINKS = pd.DataFrame(columns=list(LINK_COLUMNS))


def test_a_row_sent_again_by_another_source_is_paired_with_the_stored_report():
    rows = _incidents(
        [
            ("K-1", "2024-03-04", 20.67, 5.75, "state_forces", "office", 4),  # A-1 again
            ("K-2", "2024-09-09", 22.9, 4.1, "state_forces", "office", 0),  # nothing near
        ],
        batch_id=2,
    )
    pairs = review_pairs(rows, STORED, LINKS, office="Kalondo office", stored_offices=OFFICES)
    assert list(pairs.columns) == list(PAIR_COLUMNS)
    assert pairs[["row_id", "stored_id"]].values.tolist() == [["K-1", "A-1"]]
    assert pairs["kind"].iloc[0] in ("would_link", "possible_link")
    assert pairs["score"].iloc[0] > 0.5 and pairs["reason"].iloc[0]


def test_the_same_office_sending_a_report_twice_is_a_possible_duplicate():
    rows = _incidents(
        [("K-7", "2024-04-10", 20.0005, 5.0, "community_militia", "office", 2)], batch_id=2
    )
    pairs = review_pairs(rows, STORED, LINKS, office="JMAC", stored_offices=OFFICES)
    assert pairs[["row_id", "stored_id", "kind"]].values.tolist() == [
        ["K-7", "O-7", "possible_duplicate"]
    ]
    # From another office, the same report is another source's.
    other = review_pairs(rows, STORED, LINKS, office="Kalondo office", stored_offices=OFFICES)
    assert other["kind"].tolist() != ["possible_duplicate"]


def test_links_kept_in_the_store_come_first_and_are_not_repeated():
    rows = _incidents([("K-1", "2024-03-04", 20.67, 5.75, "state_forces", "office", 4)], batch_id=2)
    links = pd.DataFrame(
        [
            [1, "A-1", "K-1", 0.9, True, "same day, same place", "confirmed", "t", "ana", "t", "x"],
            [2, "A-2", "Z-9", 0.9, True, "elsewhere", "linked", "t", None, None, None],
        ],
        columns=list(LINK_COLUMNS),
    )
    pairs = review_pairs(rows, STORED, links, office="Kalondo office", stored_offices=OFFICES)
    assert pairs[["row_id", "stored_id", "kind"]].values.tolist() == [["K-1", "A-1", "confirmed"]]
    assert set(KINDS) >= set(pairs["kind"])


def test_rows_of_the_batch_are_never_paired_with_themselves_and_none_without_stored():
    rows = STORED.iloc[:1].copy()
    assert review_pairs(rows, STORED, LINKS, office="JMAC", stored_offices=OFFICES).empty
    assert review_pairs(rows, STORED.iloc[:0], LINKS, office="JMAC", stored_offices={}).empty


def test_side_by_side_shows_both_reports_and_places():
    rows = _incidents([("K-2", "2024-03-04", 20.67, 5.75, "state_forces", "office", 4)], batch_id=2)
    pairs = review_pairs(
        rows, STORED, LINKS, office="Kalondo office", stored_offices=OFFICES,
        tolerances=Tolerances(),
    )  # fmt: skip
    table = side_by_side(pairs, rows, STORED)
    line = table.iloc[0]
    assert (line["row_incident_id"], line["stored_incident_id"]) == ("K-2", "A-1")
    assert (line["row_date"], line["stored_date"]) == ("2024-03-04", "2024-03-04")
    assert line["row_place"] == "Ouaka"  # no admin2 given: the region
    assert line["stored_place"] == "Bambari, Ouaka"
    assert (line["row_source"], line["stored_source"]) == ("office", "ACLED")
    assert line["stored_narrative"] == "[SYNTHETIC] A-1"
    assert line["row_fatalities"] == 4


def test_a_place_without_names_is_its_coordinates():
    point = gpd.points_from_xy([20.123456], [5.5])[0]
    assert (
        place_of({"admin1": None, "admin2": float("nan"), "geometry": point}) == "5.5000, 20.1235"
    )
    assert place_of({}) == ""
