"""The CAR real-format fixtures are what car/README.md says they are."""

from __future__ import annotations

import csv
import importlib.util
import math
import sys
from datetime import date
from types import ModuleType

import pytest

from tests.ingest.uploads import UCDP_COLUMNS
from tests.real_data import (
    CAR_ACLED,
    CAR_ACLED_GENERATOR,
    CAR_ACLED_ROWS,
    CAR_README,
    CAR_TRUTH,
    CAR_TRUTH_PAIRS,
    CAR_UCDP,
    CAR_UCDP_ROWS,
)

ACLED_EXPORT_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
INTER_WORDS = [
    "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
    "Protesters", "Civilians", "External/Other forces",
]  # fmt: skip


def _read(path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def ucdp() -> list[dict[str, str]]:
    columns, rows = _read(CAR_UCDP)
    assert columns == UCDP_COLUMNS  # GED's 49 published columns, in GED's order
    return rows


@pytest.fixture(scope="module")
def acled() -> list[dict[str, str]]:
    columns, rows = _read(CAR_ACLED)
    assert columns == ACLED_EXPORT_COLUMNS
    return rows


@pytest.fixture(scope="module")
def truth() -> list[dict[str, str]]:
    return _read(CAR_TRUTH)[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_acled_format", CAR_ACLED_GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_ucdp_subset_is_every_car_event_of_2018_to_2022(ucdp) -> None:
    assert len(ucdp) == CAR_UCDP_ROWS
    assert CAR_UCDP.stat().st_size < 1_000_000
    assert {r["country"] for r in ucdp} == {"Central African Republic"}
    assert {r["country_id"] for r in ucdp} == {"482"}
    assert {r["year"] for r in ucdp} == {"2018", "2019", "2020", "2021", "2022"}
    assert len({r["id"] for r in ucdp}) == len(ucdp)
    kinds = [r["type_of_violence"] for r in ucdp]
    assert (kinds.count("1"), kinds.count("2"), kinds.count("3")) == (238, 56, 184)
    precisions = {r["where_prec"] for r in ucdp}, {r["date_prec"] for r in ucdp}
    assert precisions == ({"1", "2", "3", "4", "5"}, {"1", "2", "3", "4", "5"})
    # UCDP's own spelling, kept: "Ouaka province", "Kémo province"
    assert {"Ouaka province", "Kémo province", "Bangui province"} <= {r["adm_1"] for r in ucdp}
    for r in ucdp:
        assert r["geom_wkt"] == f"POINT ({r['longitude']} {r['latitude']})"
        assert r["date_start"].endswith(" 00:00:00.000") and r["relid"] == ""
        assert r["date_start"][:4] == r["year"]


def test_acled_format_file_is_reproduced_byte_for_byte_by_its_generator() -> None:
    acled_text, truth_text = _generator().generate()
    assert acled_text.encode("utf-8") == CAR_ACLED.read_bytes()
    assert truth_text.encode("utf-8") == CAR_TRUTH.read_bytes()


def test_acled_format_rows_use_current_export_codes(acled) -> None:
    assert len(acled) == CAR_ACLED_ROWS
    ids = [r["event_id_cnty"] for r in acled]
    assert len(set(ids)) == len(ids) and all(i.startswith("CEN") for i in ids)
    order = {w: n for n, w in enumerate(INTER_WORDS, start=1)}
    for r in acled:
        assert r["inter1"] in INTER_WORDS and r["inter2"] in [*INTER_WORDS, ""]
        if r["inter2"]:
            low, high = sorted((r["inter1"], r["inter2"]), key=order.__getitem__)
            assert r["interaction"] == f"{low}-{high}"
        else:
            assert r["interaction"] == f"{r['inter1']} only"
        assert r["admin1"].isascii() and not r["admin1"].endswith(" province")
        assert (r["iso"], r["country"]) == ("140", "Central African Republic")
        assert r["event_date"][:4] == r["year"]
        assert r["civilian_targeting"] in ("", "Civilian targeting")
    # legitimate same-day events at one place have different actors: no duplicates
    keys = [(r["event_date"], r["location"], r["actor1"], r["actor2"]) for r in acled]
    assert len(set(keys)) == len(keys)
    same_place_day = {(r["event_date"], r["location"]) for r in acled}
    assert len(acled) - len(same_place_day) >= 12


def test_acled_format_file_has_every_kind_of_row_the_readme_lists(acled) -> None:
    types = {r["event_type"] for r in acled}
    assert {"Battles", "Protests", "Riots", "Strategic developments"} <= types
    external = {(r["actor1"].split(":")[0], r["event_type"]) for r in acled
                if r["inter1"] == "External/Other forces"}  # fmt: skip
    for actor in ("Wagner Group", "Military Forces of Russia (2000-) Wagner Group",
                  "Military Forces of Rwanda (2000-)", "MINUSCA"):  # fmt: skip
        assert (actor, "Violence against civilians") in external
        assert (actor, "Battles") in external
    assert {r["time_precision"] for r in acled} == {"1", "2", "3"}
    assert {r["geo_precision"] for r in acled} == {"1", "2", "3"}
    assert any(r["sub_event_type"] == "Attack" and r["fatalities"] == "0" for r in acled)
    assert {"Ouaka", "Kemo", "Bangui"} <= {r["admin1"] for r in acled}


def test_truth_pairs_refer_to_existing_rows_and_say_how_far_apart(acled, ucdp, truth) -> None:
    assert len(truth) == CAR_TRUTH_PAIRS
    by_acled = {r["event_id_cnty"]: r for r in acled}
    by_ucdp = {r["id"]: r for r in ucdp}
    assert len({t["ucdp_id"] for t in truth}) == len(truth)  # a UCDP event reported once
    for t in truth:
        a, u = by_acled[t["event_id_cnty"]], by_ucdp[t["ucdp_id"]]
        days = date.fromisoformat(a["event_date"]) - date.fromisoformat(u["date_start"][:10])
        assert days.days == int(t["days_apart"])
        km = _km((float(a["latitude"]), float(a["longitude"])),
                 (float(u["latitude"]), float(u["longitude"])))  # fmt: skip
        assert km == pytest.approx(float(t["km_apart"]), abs=0.06) and km < 26
        assert (a["event_type"], u["type_of_violence"]) == (
            t["acled_event_type"], t["ucdp_type_of_violence"])  # fmt: skip
    one_sided = {r["id"] for r in ucdp if r["type_of_violence"] == "3"}
    reported = one_sided & {t["ucdp_id"] for t in truth}
    assert 0.4 <= len(reported) / len(one_sided) <= 0.6


def test_acled_only_rows_have_no_ucdp_event_near_them(acled, ucdp, truth) -> None:
    paired = {t["event_id_cnty"] for t in truth}
    points = [(date.fromisoformat(u["date_start"][:10]), float(u["latitude"]),
               float(u["longitude"])) for u in ucdp]  # fmt: skip
    alone = [r for r in acled if r["event_id_cnty"] not in paired]
    assert len(alone) == CAR_ACLED_ROWS - len(paired)
    for r in alone:
        day, here = date.fromisoformat(r["event_date"]), (float(r["latitude"]),
                                                           float(r["longitude"]))  # fmt: skip
        near = [p for p in points if abs((day - p[0]).days) <= 20 and _km(here, p[1:]) <= 60]
        assert not near, f"{r['event_id_cnty']} has UCDP events near it: {near}"


def test_readme_states_source_licence_attribution_and_counts() -> None:
    text = CAR_README.read_text(encoding="utf-8")
    for needed in (
        "optgeo/ucdp-23.1-482", "b0d1d425a4bc3db44f56ad068295472a70fa8ded", "CC BY 4.0",
        "Davies, Shawn", "Sundberg, Ralph", "No ACLED data", f"{CAR_UCDP_ROWS} rows",
        f"{CAR_ACLED_ROWS} rows", f"{CAR_TRUTH_PAIRS} pairs", "make_acled_format.py",
    ):  # fmt: skip
        assert needed in text, needed
