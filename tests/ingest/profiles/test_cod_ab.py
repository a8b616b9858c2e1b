"""OCHA COD-AB boundaries as missions have them: the real CAR admin2 shapefile (old column
names), and built from it, the newer column names (``ADM2_PCODE``, ``ADM2_FR``...), GeoJSON,
a GeoPackage and an HDX-style GeoPackage of several layers, each on the real geometry,
imported through the pipeline into a real store with the profile detected.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from ingest import profiles
from ingest.boundaries import DISSOLVED
from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.profiles import cod_ab
from schema.mission import SAMPLE_DIR
from schema.upload import IngestError, Limits, RawTable, Upload
from store import open_store
from tests.ingest import cod_ab_files as files
from tests.ingest.cod_ab_files import ADM2_ZIP, RELEASE

PREFECTURES = 17
SUB_PREFECTURES = 72


@pytest.fixture(scope="module")
def real() -> gpd.GeoDataFrame:
    """The real file as GDAL reads it (to build the other forms from)."""
    return files.real()


def _store(tmp_path: Path, name: str = "pocmap.gpkg"):
    return open_store(tmp_path / name)


def _preview(store, name: str, data: bytes, **options):
    return preview_import(
        store,
        Upload(name, data),
        ImportOptions(layer="admin_boundaries", office="Bangui", uploader="pytest", **options),
    )


def _import(store, name: str, data: bytes, **options):
    preview = _preview(store, name, data, **options)
    return preview, commit_import(store, preview)


def _accounted(preview, rows: int) -> None:
    counts = preview.result.counts
    assert preview.result.rows_read == len(preview.table.records) == rows
    assert counts["accepted"] + counts["accepted_with_warning"] + counts["rejected"] == rows


def _check_admin2(stored: gpd.GeoDataFrame, real: gpd.GeoDataFrame) -> None:
    admin2 = stored[stored["level"] == "2"].set_index("admin_id")
    assert sorted(admin2.index) == sorted(real["admin2Pcod"])  # P-codes kept as ids
    expected = real.set_index("admin2Pcod")
    assert (admin2["parent_id"] == expected.loc[admin2.index, "admin1Pcod"]).all()
    assert all(str(p).startswith("CF") and len(str(p)) == 5 for p in admin2.index)


def _check_dissolved(stored: gpd.GeoDataFrame) -> None:
    """The admin1 areas cover their admin2 areas, and only theirs."""
    admin1 = stored[stored["level"] == "1"].set_index("admin_id")
    admin2 = stored[stored["level"] == "2"]
    assert len(admin1) == PREFECTURES and admin1["parent_id"].isna().all()
    assert set(admin2["parent_id"]) == set(admin1.index)
    for code, members in admin2.groupby("parent_id"):
        area = admin1.loc[code, "geometry"]
        for shape in members.geometry:
            assert area.buffer(1e-7).covers(shape), code
        # nothing but its members: the same area, to a sliver
        assert area.area == pytest.approx(shapely.area(members.geometry.to_numpy()).sum(), rel=1e-6)


def test_the_real_cod_ab_shapefile_is_accepted_whole_with_admin1_dissolved(tmp_path, real):
    store = _store(tmp_path)
    preview, batch = _import(store, ADM2_ZIP.name, ADM2_ZIP.read_bytes())
    assert preview.mapped.profile == "cod_ab"
    assert "admin2Pcod" in preview.profile_reason and "admin1Pcod" in preview.profile_reason
    _accounted(preview, SUB_PREFECTURES)
    assert preview.result.counts["accepted"] == SUB_PREFECTURES  # was 0 of 72
    assert (batch.rows_read, batch.accepted, batch.rejected) == (SUB_PREFECTURES,) * 2 + (0,)
    # The dissolved admin1 areas are their own batch, said in the file's notes.
    dissolved = preview.boundary_plan.dissolved.batch
    assert dissolved.source_name == ADM2_ZIP.name + DISSOLVED
    assert (dissolved.rows_read, dissolved.accepted) == (PREFECTURES, PREFECTURES)
    assert any("17 admin1 areas dissolved" in note for note in batch.notes)
    assert any(f"batch {batch.batch_id}" in note for note in dissolved.notes)
    made = {"areas": PREFECTURES, "batch": dissolved.batch_id}
    assert preview.accounting()["dissolved_admin1"] == made
    stored = store.layer("admin_boundaries")
    assert len(stored) == SUB_PREFECTURES + PREFECTURES
    _check_admin2(stored, real)
    _check_dissolved(stored)
    names = stored.set_index("admin_id")["name"]
    assert names["CF41"] == "Kémo" and names["CF121"] == "Mbaïki"
    # Every other column stays with each row, as sent.
    with closing(sqlite3.connect(tmp_path / "pocmap.gpkg")) as db:
        kept = dict(db.execute("SELECT admin_id, source_record FROM admin_boundaries"))
    record = json.loads(kept["CF121"])
    assert record["admin2RefN"] == "Mbaiki" and record["admin0Pcod"] == "CF"
    made = json.loads(kept["CF12"])
    assert made["admin1 P-code"] == "CF12" and "CF121" in made["admin2 P-codes"]


def test_new_column_names_prefer_the_french_name_and_fall_back_row_by_row(tmp_path, real):
    new = files.new_style(real)
    new.loc[new["ADM2_PCODE"] == "CF121", "ADM2_FR"] = None  # a row without French name
    data = files.zip_shapefile(new, tmp_path, "caf_admbnda_adm2_new")
    store = _store(tmp_path)
    preview, _ = _import(store, "caf_admbnda_adm2_new.zip", data)
    assert preview.mapped.profile == "cod_ab"
    assert preview.mapped.mapping["admin_id"] == "ADM2_PCODE"
    assert preview.mapped.mapping["name"] == "ADM2_FR"
    _accounted(preview, SUB_PREFECTURES)
    assert preview.result.counts["accepted"] == SUB_PREFECTURES
    stored = store.layer("admin_boundaries")
    _check_admin2(stored, real)
    _check_dissolved(stored)
    names = stored.set_index("admin_id")["name"]
    assert names["CF213"] == "Carnot"
    assert names["CF121"] == "Mbaiki"  # its English name, the next in the order
    assert names["CF41"] == "Kémo"  # the admin1 name in French, not "Kemo"


@pytest.mark.parametrize("kind", ["geojson", "gpkg"])
def test_geojson_and_geopackage_variants(tmp_path, real, kind):
    path = tmp_path / f"caf_adm2.{kind}"
    if kind == "geojson":
        real.to_file(path, driver="GeoJSON", engine="pyogrio")
        data = path.read_bytes()
    else:
        data = files.gpkg(
            {"caf_admbnda_adm2_200k_sigcaf_reach_itos_v2": files.new_style(real)}, path
        )
    store = _store(tmp_path)
    preview, batch = _import(store, path.name, data)
    assert preview.mapped.profile == "cod_ab"
    _accounted(preview, SUB_PREFECTURES)
    assert batch.accepted == SUB_PREFECTURES
    stored = store.layer("admin_boundaries")
    _check_admin2(stored, real)
    _check_dissolved(stored)


def test_an_hdx_geopackage_reads_its_admin1_and_admin2_layers_itself(tmp_path, real):
    data = files.gpkg(files.hdx_layers(real), tmp_path / "caf_adm_hdx.gpkg")
    store = _store(tmp_path)
    preview, batch = _import(store, "caf_adm_hdx.gpkg", data)  # no --source-layer
    assert preview.mapped.profile == "cod_ab"
    rows = PREFECTURES + SUB_PREFECTURES
    _accounted(preview, rows)
    assert (batch.rows_read, batch.accepted, batch.rejected) == (rows, rows, 0)
    assert preview.boundary_plan.dissolved is None  # the file holds its admin1 areas
    notes = " | ".join(batch.notes)
    for level, first, last in ((1, 1, 17), (2, 18, 89)):
        layer = f"caf_admbnda_adm{level}_200k_sigcaf_reach_itos_v2 (admin{level})"
        assert f"layer {layer}: its features are rows {first} to {last}" in notes
    left = next(n for n in batch.notes if n.startswith("layers left"))
    for name in ("adm0", "admbndl_admall", "admbndp_adm2"):
        assert name in left
    stored = store.layer("admin_boundaries")
    assert len(stored) == rows
    _check_admin2(stored, real)
    _check_dissolved(stored)
    admin1 = stored[stored["level"] == "1"]
    assert admin1["source_row"].tolist() == list(range(1, PREFECTURES + 1))


def test_an_hdx_geopackage_keeps_the_limits_for_the_layers_together(tmp_path, real):
    data = files.gpkg(files.hdx_layers(real), tmp_path / "caf_adm_hdx.gpkg")
    store = _store(tmp_path)
    # Each layer is under the limit (17 and 72 features), the two together are not.
    with pytest.raises(IngestError, match=r"caf_adm_hdx.gpkg has 89 features .* limit is 80"):
        _preview(store, "caf_adm_hdx.gpkg", data, limits=Limits(max_records=80))
    with pytest.raises(IngestError, match=r"caf_adm_hdx.gpkg.*72"):  # one layer over alone
        _preview(store, "caf_adm_hdx.gpkg", data, limits=Limits(max_records=50))
    layers = files.hdx_layers(real)
    adm1, adm2 = (
        int(shapely.get_num_coordinates(layers[f"caf_admbnda_adm{n}_{RELEASE}"].geometry).sum())
        for n in (1, 2)
    )
    between = adm2 + adm1 // 2  # over either layer's count (and estimate), under both's
    with pytest.raises(IngestError, match=rf"{adm1 + adm2} vertices in its admin1 and admin2"):
        _preview(store, "caf_adm_hdx.gpkg", data, limits=Limits(max_vertices=between))


def test_the_official_admin1_file_replaces_the_dissolved_areas(tmp_path, real):
    store = _store(tmp_path)
    _import(store, ADM2_ZIP.name, ADM2_ZIP.read_bytes())
    dissolved = next(b for b in store.batches() if b.source_name.endswith(DISSOLVED))
    official = files.dissolved(real)
    data = files.gpkg(
        {"caf_admbnda_adm1_200k_sigcaf_reach_itos_v2": official}, tmp_path / "a1.gpkg"
    )
    preview, batch = _import(store, "caf_admbnda_adm1.gpkg", data)
    assert preview.result.counts["accepted"] == PREFECTURES
    assert any(f"batch {dissolved.batch_id}" in n and "replace" in n for n in batch.notes)
    assert store.batch(dissolved.batch_id).status == "withdrawn"  # kept, reversible
    stored = store.layer("admin_boundaries")
    assert len(stored) == PREFECTURES + SUB_PREFECTURES  # no area twice
    assert set(stored.loc[stored["level"] == "1", "batch_id"]) == {batch.batch_id}
    _check_dissolved(stored)


def test_an_admin2_file_after_the_admin1_file_dissolves_nothing(tmp_path, real):
    store = _store(tmp_path)
    official = files.dissolved(real)
    data = files.gpkg(
        {"caf_admbnda_adm1_200k_sigcaf_reach_itos_v2": official}, tmp_path / "a1.gpkg"
    )
    _, first = _import(store, "caf_admbnda_adm1.gpkg", data)
    preview, _ = _import(store, ADM2_ZIP.name, ADM2_ZIP.read_bytes())
    assert preview.boundary_plan.dissolved.batch is None
    assert any("already stored" in n and "kept" in n for n in preview.notes)
    stored = store.layer("admin_boundaries")
    assert len(stored) == PREFECTURES + SUB_PREFECTURES
    assert set(stored.loc[stored["level"] == "1", "batch_id"]) == {first.batch_id}


def test_a_partial_admin1_file_leaves_the_dissolved_batch_and_says_why(tmp_path, real):
    store = _store(tmp_path)
    _import(store, ADM2_ZIP.name, ADM2_ZIP.read_bytes())
    dissolved = next(b for b in store.batches() if b.source_name.endswith(DISSOLVED))
    official = files.dissolved(real)
    official = official[official["ADM1_PCODE"] != "CF71"]  # Bangui missing
    data = files.gpkg(
        {"caf_admbnda_adm1_200k_sigcaf_reach_itos_v2": official}, tmp_path / "a1.gpkg"
    )
    preview = _preview(store, "caf_admbnda_adm1_part.gpkg", data)
    assert preview.result.counts["rejected"] == PREFECTURES - 1
    assert any("CF71" in n and "withdraw it first" in n for n in preview.notes)
    report = preview.result.report
    assert set(report["column"]) == {"admin_id"}
    assert report["problem"].str.contains(f"batch {dissolved.batch_id}").all()
    assert report["expected"].str.contains("withdraw its batch first").all()
    assert store.batch(dissolved.batch_id).status == "active"


def test_a_failed_commit_puts_the_dissolved_batch_back(tmp_path, real, monkeypatch):
    store = _store(tmp_path)
    _import(store, ADM2_ZIP.name, ADM2_ZIP.read_bytes())
    dissolved = next(b for b in store.batches() if b.source_name.endswith(DISSOLVED))
    data = files.gpkg({"caf_admbnda_adm1": files.dissolved(real)}, tmp_path / "a1.gpkg")
    preview = _preview(store, "caf_admbnda_adm1.gpkg", data)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "commit_batch", broken)
    with pytest.raises(OSError, match="disk full"):
        commit_import(store, preview)
    assert store.batch(dissolved.batch_id).status == "active"


def test_a_boundary_file_in_pocmaps_columns_still_goes_through_the_native_profile(tmp_path):
    source = SAMPLE_DIR / "admin_boundaries.geojson"
    store = _store(tmp_path)
    preview, batch = _import(store, source.name, source.read_bytes())
    assert preview.mapped.profile == "native"
    assert batch.rejected == 0 and preview.boundary_plan is None


def test_a_missing_p_code_is_refused_on_its_row_naming_the_column(tmp_path, real):
    broken = files.new_style(real)
    broken.loc[broken.index[4], "ADM2_PCODE"] = None
    data = files.gpkg({"caf_admbnda_adm2": broken}, tmp_path / "adm2.gpkg")
    store = _store(tmp_path)
    preview = _preview(store, "adm2.gpkg", data)
    _accounted(preview, SUB_PREFECTURES)
    assert preview.result.counts["rejected"] == 1
    line = preview.result.report.iloc[0]
    assert (line["row"], line["column"], line["outcome"]) == (5, "admin_id", "rejected")
    assert "None" not in line["problem"] and "nan" not in line["problem"]
    # its admin1 area is dissolved from the others, and the notes say so
    assert any("only some of their admin2 areas" in n for n in preview.notes)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (
            {"ADM0_PCODE": "CF", "ADM0_FR": "République centrafricaine"},
            r"caf_adm0.geojson has only admin0 \(the country outline, ADM0_PCODE\); .*"
            r"send the COD-AB adm1 or adm2 file",
        ),
        (
            {"ADM3_PCODE": "CF1211", "ADM2_PCODE": "CF121", "ADM1_PCODE": "CF12"},
            r"caf_adm0.geojson holds admin3 areas \(column ADM3_PCODE\); .*send the COD-AB "
            r"adm2 file",
        ),
    ],
)
def test_levels_pocmap_does_not_keep_are_refused_with_what_to_send(
    tmp_path, real, columns, message
):
    frame = gpd.GeoDataFrame(columns, index=[0], geometry=[real.geometry.iloc[0]], crs=real.crs)
    path = tmp_path / "caf_adm0.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    with pytest.raises(IngestError, match=message):
        _preview(_store(tmp_path), path.name, path.read_bytes(), profile="cod_ab")


@pytest.mark.parametrize(
    ("headers", "pcodes", "first_name"),
    [
        (["admin1Name", "admin1Pcod", "admin2Name", "admin2Pcod", "admin2RefN"],
         {1: "admin1Pcod", 2: "admin2Pcod"}, "admin2Name"),
        (["ADM2_EN", "ADM2_FR", "ADM2_PCODE", "ADM2_REF", "ADM2ALT1FR", "ADM1_PCODE"],
         {1: "ADM1_PCODE", 2: "ADM2_PCODE"}, "ADM2_FR"),
        (["adm2_pt", "adm2_en", "adm2_pcode"], {2: "adm2_pcode"}, "adm2_en"),
        (["ADM1_PC", "ADM1_HT", "ADM1_FR"], {1: "ADM1_PC"}, "ADM1_FR"),
        (["admin1Name_en", "admin1Name_fr", "admin1Pcode"], {1: "admin1Pcode"}, "admin1Name_fr"),
    ],
)  # fmt: skip
def test_old_and_new_column_names_in_any_case(headers, pcodes, first_name) -> None:
    found = cod_ab.columns(headers)
    assert found is not None and found.pcodes == pcodes
    assert found.names[max(pcodes)][0] == first_name


def test_detection_needs_a_p_code_and_leaves_other_layers_alone() -> None:
    def table(headers: list[str]) -> RawTable:
        return RawTable("f.csv", "csv", pd.DataFrame(columns=headers))

    assert profiles.detect(table(["ADM1_PCODE", "ADM1_FR"]), "admin_boundaries") == "cod_ab"
    assert profiles.detect(table(["name", "region"]), "admin_boundaries") == "custom"
    assert profiles.detect(table(["admin_id", "name", "level", "ADM1_PCODE"]), "admin_boundaries")
    assert profiles.detect(table(["ADM1_PCODE", "date"]), "incidents") != "cod_ab"
    with pytest.raises(ValueError, match="reads admin_boundaries only"):
        profiles.apply(table(["ADM1_PCODE"]), "incidents", "cod_ab")


@pytest.mark.parametrize(
    ("layers", "chosen"),
    [
        (["caf_admbnda_adm0_x", "caf_admbnda_adm1_x", "caf_admbnda_adm2_x", "caf_admbnda_adm3_x",
          "caf_admbndl_admall_x", "caf_admbndp_adm2_x"], {1: "caf_admbnda_adm1_x",
                                                         2: "caf_admbnda_adm2_x"}),
        (["som_adm1", "som_adm2_lines", "som_adm2"], {1: "som_adm1", 2: "som_adm2"}),
        (["incidents", "offices"], {}),
        (["a_adm2_v1", "a_adm2_v2"], {}),  # two candidates: the person chooses
    ],
)  # fmt: skip
def test_layers_are_chosen_by_their_hdx_names(layers, chosen) -> None:
    found, left = cod_ab.choose_layers(layers)
    assert found == chosen
    assert sorted([*found.values(), *left]) == sorted(layers)


@pytest.mark.postgis
def test_on_postgis_the_dissolved_areas_then_the_official_ones(postgis_url, tmp_path, real):
    store = open_store(postgis_url)
    preview, _ = _import(store, ADM2_ZIP.name, ADM2_ZIP.read_bytes())
    dissolved = preview.boundary_plan.dissolved.batch
    _check_dissolved(store.layer("admin_boundaries"))
    official = files.gpkg(
        {f"caf_admbnda_adm1_{RELEASE}": files.dissolved(real)}, tmp_path / "a.gpkg"
    )
    _, batch = _import(store, "caf_admbnda_adm1.gpkg", official)
    assert store.batch(dissolved.batch_id).status == "withdrawn"
    stored = store.layer("admin_boundaries")
    assert len(stored) == PREFECTURES + SUB_PREFECTURES
    assert set(stored.loc[stored["level"] == "1", "batch_id"]) == {batch.batch_id}
    _check_admin2(stored, real)
