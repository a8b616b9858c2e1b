"""COD-AB files built from the real CAR admin2 shapefile (``tests/real_data/car``): the
newer column names, an admin1 layer dissolved from the admin2 areas, GeoPackages and an
HDX-style GeoPackage of several layers, all on the real geometry."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

CAR = Path(__file__).resolve().parents[1] / "real_data" / "car"
ADM2_ZIP = CAR / "cod_ab_caf_admbnda_adm2_200k_sigcaf_reach_itos_v2.zip"
RELEASE = "200k_sigcaf_reach_itos_v2"


def real() -> gpd.GeoDataFrame:
    """The real file as GDAL reads it."""
    return gpd.read_file(f"zip://{ADM2_ZIP}")


NEW_NAMES = {
    "admin0Name": "ADM0_FR",
    "admin0Pcod": "ADM0_PCODE",
    "admin1Name": "ADM1_FR",
    "admin1Pcod": "ADM1_PCODE",
    "admin2Name": "ADM2_FR",
    "admin2RefN": "ADM2_EN",
    "admin2Pcod": "ADM2_PCODE",
    "admin2AltN": "ADM2ALT1FR",
}


def new_style(real: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The real rows under the newer COD-AB column names (upper case, French and English)."""
    renamed = real.rename(columns=NEW_NAMES)
    renamed["ADM1_EN"] = renamed["ADM1_FR"].str.normalize("NFKD").str.encode("ascii", "ignore")
    renamed["ADM1_EN"] = renamed["ADM1_EN"].str.decode("ascii")
    return renamed


def dissolved(real: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Admin1 areas as an HDX adm1 layer: the real admin2 areas dissolved by admin1."""
    adm1 = real.dissolve(by="admin1Pcod", as_index=False)[
        ["admin0Name", "admin0Pcod", "admin1Name", "admin1Pcod", "geometry"]
    ]
    return adm1.rename(columns=NEW_NAMES)


def zip_shapefile(frame: gpd.GeoDataFrame, tmp_path: Path, stem: str) -> bytes:
    """``frame`` as a zipped shapefile named ``stem``."""
    folder = tmp_path / stem
    folder.mkdir()
    frame.to_file(folder / f"{stem}.shp", engine="pyogrio")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, part.name)
    return out.getvalue()


def gpkg(layers: dict[str, gpd.GeoDataFrame], path: Path) -> bytes:
    """``layers`` written as one GeoPackage at ``path``; its bytes."""
    for name, frame in layers.items():
        frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
    return path.read_bytes()


def hdx_layers(real: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """An HDX COD-AB GeoPackage: areas of levels 0 to 2, then lines and points."""
    adm1 = dissolved(real)
    adm0 = adm1.dissolve(by="ADM0_PCODE", as_index=False)[["ADM0_FR", "ADM0_PCODE", "geometry"]]
    lines = gpd.GeoDataFrame(
        {"ADM_LEVEL": [1]}, geometry=[shapely.boundary(adm1.union_all())], crs=real.crs
    )
    points = new_style(real)[["ADM2_FR", "ADM2_PCODE", "ADM1_PCODE"]].copy()
    points = gpd.GeoDataFrame(points, geometry=real.geometry.representative_point(), crs=real.crs)
    return {
        f"caf_admbnda_adm0_{RELEASE}": adm0,
        f"caf_admbnda_adm1_{RELEASE}": adm1,
        f"caf_admbnda_adm2_{RELEASE}": new_style(real),
        f"caf_admbndl_admall_{RELEASE}": lines,
        f"caf_admbndp_adm2_{RELEASE}": points,
    }
