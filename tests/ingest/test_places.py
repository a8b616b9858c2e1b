"""Places and offices from the map: hand-made areas with known answers.

Two prefectures side by side on the equator (0.01 degree is 1.11 km there): Ouaka
(CF1, x 0..1) split into Bambari (CF11, x 0..0.5) and Ippy (CF12, x 0.5..1); Kémo (CF2,
x 1..2) holding Sibut (CF21). Bambari's office covers x 0..0.5, Sibut's x 1..2; Ippy
is in no office's area.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from ingest.places import OUTSIDE_AREAS, OUTSIDE_BOUNDARIES, place_incidents, placements, prepare
from schema.places import name_key


def _boxes(rows: list[dict]) -> gpd.GeoDataFrame:
    geometry = [shapely.box(*r.pop("box")) for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")


def boundaries(*, admin2: bool = True) -> gpd.GeoDataFrame:
    rows = [
        {"admin_id": "CF1", "name": "Ouaka", "level": "1", "parent_id": None, "box": (0, 0, 1, 1)},
        {"admin_id": "CF2", "name": "Kémo", "level": "1", "parent_id": None, "box": (1, 0, 2, 1)},
    ]
    if admin2:
        rows += [
            {"admin_id": "CF11", "name": "Bambari", "level": "2", "parent_id": "CF1",
             "box": (0, 0, 0.5, 1)},
            {"admin_id": "CF12", "name": "Ippy", "level": "2", "parent_id": "CF1",
             "box": (0.5, 0, 1, 1)},
            {"admin_id": "CF21", "name": "Sibut", "level": "2", "parent_id": "CF2",
             "box": (1, 0, 2, 1)},
        ]  # fmt: skip
    return _boxes(rows)


def presence() -> gpd.GeoDataFrame:
    areas = _boxes(
        [
            {"presence_id": "AOR-B", "name": "Bambari AoR", "kind": "area_of_responsibility",
             "field_office": "Bambari", "box": (0, 0, 0.5, 1)},
            {"presence_id": "AOR-S", "name": "Sibut AoR", "kind": "area_of_responsibility",
             "field_office": "Sibut", "box": (1, 0, 2, 1)},
        ]
    )  # fmt: skip
    # An office's own point is no area: it places nothing.
    office = gpd.GeoDataFrame(
        [{"presence_id": "FO-I", "name": "Ippy office", "kind": "field_office",
          "field_office": "Ippy"}],
        geometry=[shapely.Point(0.75, 0.5)],
        crs="EPSG:4326",
    )  # fmt: skip
    return pd.concat([areas, office], ignore_index=True)


def incidents(rows: list[tuple]) -> gpd.GeoDataFrame:
    """``(x, y, precision, admin1, admin2, field_office)`` per incident."""
    frame = pd.DataFrame(
        [r[2:] for r in rows],
        columns=["location_precision", "admin1", "admin2", "field_office"],
        dtype="str",
    )
    frame.index = pd.RangeIndex(2, len(rows) + 2)  # row numbers, as an import has them
    points = [shapely.Point(r[0], r[1]) for r in rows]
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def _row(values: pd.DataFrame, number: int) -> dict:
    row = values.loc[number]
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ("Ouaka", "ouaka"),
        ("OUAKA province", "ouaka"),
        ("Kémo prefecture", "kemo"),
        ("Kemo", "kemo"),
        ("Préfecture de la Ouaka", "ouaka"),
        ("Nana-Grébizi", "nana grebizi"),
        ("Nana Grebizi Region", "nana grebizi"),
        ("Territoire de Beni", "beni"),
        ("Unity State", "unity"),
        ("Region", "region"),  # a name that is only the word stays
        ("  ", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_names_compare_without_case_accents_or_kind_of_area(given, key):
    assert name_key(given) == key


def test_a_point_gets_its_admin_areas_and_office_and_the_source_names_are_kept():
    frame = incidents([(0.25, 0.5, "exact", "OUAKA province", "bambari", "JMAC")])
    values = place_incidents(frame, boundaries(), presence())
    assert list(values.index) == [2]
    assert _row(values, 2) == {
        "admin1": "Ouaka",
        "admin2": "Bambari",
        "field_office": "Bambari",
        "admin1_reported": "OUAKA province",
        "admin2_reported": "bambari",
        "place_note": None,
    }


def test_a_point_with_no_names_is_named_by_the_map():
    frame = incidents([(1.5, 0.5, "exact", None, None, "JMAC")])
    assert _row(place_incidents(frame, boundaries(), presence()), 2) == {
        "admin1": "Kémo",
        "admin2": "Sibut",
        "field_office": "Sibut",
        "admin1_reported": None,
        "admin2_reported": None,
        "place_note": None,
    }


def test_a_point_on_a_shared_edge_goes_to_the_first_area_unless_the_source_names_the_other():
    frame = incidents(
        [
            (1.0, 0.5, "exact", None, None, None),
            (1.0, 0.5, "exact", "Kemo prefecture", "Sibut", None),
            (0.5, 0.5, "exact", None, None, None),
        ]
    )
    placement = placements(frame, prepare(boundaries(), presence()))
    values = placement.values
    # In id order: Ippy (CF12) before Sibut (CF21); Bambari's area (AOR-B) before Sibut's.
    assert (values.loc[2, "admin1"], values.loc[2, "admin2"]) == ("Ouaka", "Ippy")
    assert (values.loc[3, "admin1"], values.loc[3, "admin2"]) == ("Kémo", "Sibut")
    assert (values.loc[4, "admin1"], values.loc[4, "admin2"]) == ("Ouaka", "Bambari")
    assert values["place_note"].isna().tolist()[:2] == [True, True]
    assert placement.disagreed == 0


@pytest.mark.parametrize(
    ("x", "precision", "admin1", "note"),
    [
        # 0.005 degree across the line is 0.56 km: within an exact point's 1 km.
        (1.005, "exact", "Ouaka", None),
        # 0.05 degree is 5.6 km: beyond 1 km for an exact point...
        (1.05, "exact", "Kémo", "admin1 reported as 'Ouaka' but the point is in Kémo, 5.6 km "
         "outside Ouaka (exact location: 1 km allowed)"),
        # ... 0.03 degree (3.3 km) within an approximate point's 5 km ...
        (1.03, "approximate", "Ouaka", None),
        # ... 0.08 degree (8.9 km) beyond it.
        (1.08, "approximate", "Kémo", "admin1 reported as 'Ouaka' but the point is in Kémo, "
         "8.9 km outside Ouaka (approximate location: 5 km allowed)"),
    ],
)  # fmt: skip
def test_a_point_across_the_line_disagrees_only_beyond_its_precision(x, precision, admin1, note):
    frame = incidents([(x, 0.5, precision, "Ouaka", None, None)])
    placement = placements(frame, prepare(boundaries(admin2=False), None))
    row = _row(placement.values, 2)
    assert (row["admin1"], row["admin1_reported"], row["place_note"]) == (
        "Ouaka" if note is None else admin1,
        "Ouaka",
        note,
    )
    assert placement.disagreed == (note is not None)


def test_an_admin2_named_across_the_line_brings_its_own_admin1():
    frame = incidents([(1.005, 0.5, "exact", "Ouaka", "Ippy", None)])
    row = _row(place_incidents(frame, boundaries(), None), 2)
    assert (row["admin1"], row["admin2"], row["place_note"]) == ("Ouaka", "Ippy", None)


def test_a_name_no_boundary_has_is_a_disagreement_that_names_it():
    frame = incidents([(0.25, 0.5, "exact", "Atlantis", "Bambari", None)])
    placement = placements(frame, prepare(boundaries(), None))
    row = _row(placement.values, 2)
    assert row["admin1"] == "Ouaka" and row["admin1_reported"] == "Atlantis"
    assert row["place_note"] == (
        "admin1 reported as 'Atlantis', which is not a loaded admin1 area; the point is in Ouaka"
    )
    assert placement.disagreed == 1


def test_outside_every_boundary_and_area_the_names_and_office_are_kept_and_noted():
    frame = incidents([(5.0, 5.0, "exact", "Nowhere", "Far", "JMAC")])
    placement = placements(frame, prepare(boundaries(), presence()))
    assert _row(placement.values, 2) == {
        "admin1": "Nowhere",
        "admin2": "Far",
        "field_office": "JMAC",
        "admin1_reported": "Nowhere",
        "admin2_reported": "Far",
        "place_note": f"{OUTSIDE_BOUNDARIES}; {OUTSIDE_AREAS}",
    }
    assert (placement.placed, placement.outside, placement.outside_areas) == (0, 1, 1)
    assert "0 incident(s) placed" in placement.summary()
    assert "1 outside the loaded boundaries" in placement.summary()


def test_precision_decides_what_the_point_may_say():
    frame = incidents(
        [
            # country: nothing from the point, names and office as given, no note.
            (0.25, 0.5, "country", None, None, "JMAC"),
            # admin1: admin1 from the point, admin2 as reported (the point is a centre).
            (0.75, 0.5, "admin1", "Ouaka", "Somewhere", "JMAC"),
            # admin2: both from the point, compared at both levels.
            (1.5, 0.5, "admin2", "Kémo", "Sibut", "JMAC"),
        ]
    )
    values = place_incidents(frame, boundaries(), presence())
    assert _row(values, 2) == {
        "admin1": None,
        "admin2": None,
        "field_office": "JMAC",
        "admin1_reported": None,
        "admin2_reported": None,
        "place_note": None,
    }
    assert (values.loc[3, "admin1"], values.loc[3, "admin2"]) == ("Ouaka", "Somewhere")
    # Ippy has no office's area: the office stays as given, noted.
    assert values.loc[3, "field_office"] == "JMAC"
    assert values.loc[3, "place_note"] == OUTSIDE_AREAS
    assert (values.loc[4, "admin1"], values.loc[4, "admin2"]) == ("Kémo", "Sibut")
    assert values.loc[4, "field_office"] == "Sibut"


def test_admin1_boundaries_alone_give_admin1_only():
    frame = incidents([(0.25, 0.5, "exact", "ouaka", "Bambari town", "JMAC")])
    row = _row(place_incidents(frame, boundaries(admin2=False), None), 2)
    assert (row["admin1"], row["admin2"], row["field_office"]) == ("Ouaka", "Bambari town", "JMAC")
    assert row["place_note"] is None


def test_with_nothing_loaded_the_rows_stay_as_read():
    frame = incidents([(0.25, 0.5, "exact", "Ouaka", "Bambari", "JMAC")])
    placement = placements(frame, prepare(None, None))
    assert prepare(None, None).empty
    row = _row(placement.values, 2)
    assert (row["admin1"], row["admin2"], row["field_office"]) == ("Ouaka", "Bambari", "JMAC")
    assert row["place_note"] is None and placement.placed == 0


def test_names_stored_as_reported_are_the_ones_compared_again():
    # Stored before: placed in Kémo by the map, the source having said "Ouaka".
    frame = incidents([(1.05, 0.5, "exact", "Kémo", None, None)])
    frame["admin1_reported"] = pd.array(["Ouaka"], dtype="str")
    frame["admin2_reported"] = pd.array([None], dtype="str")
    row = _row(place_incidents(frame, boundaries(admin2=False), None), 2)
    assert (row["admin1"], row["admin1_reported"]) == ("Kémo", "Ouaka")
    assert row["place_note"].startswith("admin1 reported as 'Ouaka' but the point is in Kémo")
    # With the boundaries gone, the source's name comes back and the note goes.
    row = _row(place_incidents(frame, None, None), 2)
    assert (row["admin1"], row["admin1_reported"], row["place_note"]) == ("Ouaka", "Ouaka", None)


def test_the_sample_mission_is_placed_as_its_generator_placed_it():
    """The synthetic sample names each point's admin areas from the same boundaries: the
    map agrees with every one of its 4943 incidents."""
    from schema.mission import SAMPLE_DIR, load_folder

    mission = load_folder(SAMPLE_DIR)
    placement = placements(
        mission.incidents, prepare(mission.admin_boundaries, mission.mission_presence)
    )
    values = placement.values
    assert placement.disagreed == 0 and placement.outside == 0
    for column in ("admin1", "admin2"):
        pd.testing.assert_series_equal(
            values[column], mission.incidents[column].astype("str"), check_names=False
        )
    inside = values["place_note"].isna()
    assert (values["field_office"][inside] == mission.incidents["field_office"][inside]).all()
    assert placement.outside_areas == int((~inside).sum()) > 0
