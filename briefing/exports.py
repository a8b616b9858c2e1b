"""The current selection as files: GeoPackage, GeoJSON, CSV and one standalone HTML map.

Every export is built from a :class:`~briefing.selection.Prepared`, so it shows the
incidents only as its :class:`~briefing.disclosure.Disclosure` allows (coarsened points,
or cells with small ones suppressed) and never a column of
:data:`~briefing.disclosure.WITHHELD_COLUMNS`. Everything is in WGS84 (EPSG:4326).
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import pyogrio

from analysis.filters import motivation_origins
from analysis.joint import table_csv
from analysis.metric import WGS84
from briefing.disclosure import without_withheld
from briefing.figures import default_marking, filters_text, period_text
from briefing.selection import Prepared
from languages import _
from layers import incident_cells
from layers.assets import LOCAL_CSS, LOCAL_JS, VENDOR_DIR
from layers.escaping import escape
from layers.incident_cells import build as incident_cells_layer
from layers.joint_map import build_joint_map
from layers.render_once import Raw, install_render_once
from schema.mission import plain

if TYPE_CHECKING:
    from layers.joint_map import MapLayer

FORMATS = ("gpkg", "geojson", "csv", "html")
COORDINATE_DECIMALS = 5
"""Decimals of the CSV's longitude and latitude (about 1 m: finer than any coarsening)."""

# At "shareable" a cell's per-motivation counts and fatalities can be small numbers.
_SHAREABLE_CELL_COLUMNS = ["cell_id", "incidents", "dominant_motivation", "bin", "hot_spot"]

# The map asks for its Leaflet files at this made-up base; each link is then replaced by
# the file itself, so the exported page needs nothing but itself.
_INLINE_BASE = "pocmap-inline:"
_SCRIPT_LINK = re.compile(f'<script src="{re.escape(_INLINE_BASE)}/([^"]+)"></script>')
_STYLESHEET_LINK = re.compile(f'<link rel="stylesheet" href="{re.escape(_INLINE_BASE)}/([^"]+)"/>')
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?!data:|#)([^)'"]+)\1\s*\)""")
_VENDOR_FILES = frozenset(LOCAL_JS.values()) | frozenset(LOCAL_CSS.values())


def export_layers(prepared: Prepared) -> dict[str, pd.DataFrame]:
    """Every layer of the selection as it may be exported, in WGS84.

    Returns ``incidents`` (coarsened points, level ``points``) or ``incident_cells``
    (``cells`` and ``shareable``; at ``shareable`` only ``cell_id``, ``incidents``,
    ``dominant_motivation``, ``bin``, ``hot_spot`` and the geometry), then
    ``local_processes`` and ``local_agreements`` (of the chosen field offices),
    ``national_milestones`` (a table, no geometry), ``mission_presence`` and
    ``admin_boundaries``. No withheld column is in any of them. Columns keep their
    nullable dtypes, so a GeoPackage gets integer, boolean and date-time fields.
    """
    name, incidents = _incident_layer(prepared)
    layers = {
        name: incidents,
        "local_processes": prepared.local_processes,
        "local_agreements": prepared.agreements,
        "national_milestones": prepared.data.national_milestones,
        "mission_presence": prepared.data.mission_presence,
        "admin_boundaries": prepared.data.admin_boundaries,
    }
    return {name: _exportable(frame) for name, frame in layers.items()}


def about(prepared: Prepared, generated_at: dt.datetime | None = None) -> pd.DataFrame:
    """What an export holds, one ``key``/``value`` row each: the data, the filters, the
    period, the disclosure level in words, the incidents, the classification marking
    and when it was made (``generated_at``, default now; written in UTC)."""
    disclosure = prepared.disclosure
    when = (generated_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    rows = [
        ("data", _(prepared.data.label)),
        ("selection", filters_text(prepared.selection)),
        ("period", period_text(prepared)),
        ("level", disclosure.describe()),
        ("incidents", disclosure.count(prepared.incident_count)),
    ]
    if prepared.cells is None:
        rows.append(("precision_km", f"{disclosure.precision_km:g}"))
    else:
        rows.append(("cell_km", f"{prepared.cells.width_m / 1000:g}"))
        rows.append(("suppressed_incidents", disclosure.count(prepared.cells.suppressed_incidents)))
    rows.append(("marking", default_marking()))
    rows.append(("generated_utc", when.isoformat(timespec="seconds")))
    return pd.DataFrame(rows, columns=["key", "value"])


def write_gpkg(layers: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write each frame of ``layers`` as a GeoPackage layer of that name; a frame without
    geometry becomes an attribute table. An existing file at ``path`` is replaced (only
    once the new one is complete)."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial.gpkg")  # GDAL wants .gpkg
    partial.unlink(missing_ok=True)
    try:
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, partial, layer=name, driver="GPKG")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def to_geojson(prepared: Prepared) -> bytes:
    """The incidents (points or cells) as a GeoJSON FeatureCollection in WGS84."""
    _, incidents = _incident_layer(prepared)
    frame: gpd.GeoDataFrame = plain(incidents)  # a GeoDataFrame in, a GeoDataFrame out
    return frame.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def to_csv(prepared: Prepared) -> bytes:
    """The incidents as CSV for Excel (see :func:`analysis.joint.table_csv`), with
    ``longitude`` and ``latitude`` (of each point, or of each cell's centre) instead
    of a geometry."""
    _, incidents = _incident_layer(prepared)
    where = incidents.geometry
    if prepared.cells is not None:  # a centroid is measured in metres, not degrees
        where = where.to_crs(prepared.crs).centroid.to_crs(WGS84)
    table = plain(pd.DataFrame(incidents.drop(columns=incidents.geometry.name)))
    table["longitude"] = where.x.round(COORDINATE_DECIMALS).to_numpy()
    table["latitude"] = where.y.round(COORDINATE_DECIMALS).to_numpy()
    return table_csv(table)


def to_html(prepared: Prepared) -> str:
    """The joint map of the selection as one standalone HTML page.

    Leaflet and its plugins (and the images their CSS names) are inside the page, so
    it opens from a file with no network. Incidents are the coarsened points (level
    ``points``, without ids) or an :func:`incident_cells_layer`. OpenStreetMap stays
    in the layer control, fetched only if someone chooses it.
    """
    install_render_once()  # each text rendered once, never read as a template
    data = prepared.data
    analysis_layers: tuple[MapLayer, ...] = ()
    sections: tuple[tuple[str, list[tuple[str, str]]], ...] = ()
    if prepared.points is None:
        shown = data.incidents.iloc[:0]
        analysis_layers = (incident_cells_layer(_incident_layer(prepared)[1]),)
        sections = (incident_cells.legend_section(),)
    else:
        # The popups read `incident_id`, which never leaves: an empty one is left out.
        shown = prepared.points.assign(incident_id="")
    m = build_joint_map(
        data,
        shown,
        local_processes=prepared.local_processes,
        agreements=prepared.agreements,
        asset_url=_INLINE_BASE,
        with_legend=True,
        analysis_layers=analysis_layers,
        legend_sections=sections,
    )
    title = _("{data}: {period}", data=_(data.label) or "pocmap", period=period_text(prepared))
    # A map's root is a branca Figure, which has a header; folium types it as an Element.
    header = m.get_root().header  # type: ignore[attr-defined]
    header.add_child(Raw(f"<title>{escape(title)}</title>"), name="title")
    return _inline_assets(m.get_root().render())


def export(prepared: Prepared, fmt: str, path: str | Path) -> Path:
    """Write the selection to ``path`` in ``fmt``, one of :data:`FORMATS`.

    ``gpkg`` holds :func:`export_layers` and an ``about`` table (:func:`about`); the
    others hold the incidents only (``html``: the whole map).

    Raises
    ------
    ValueError
        if ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(_unknown_format(fmt))
    path = Path(path)
    if fmt == "gpkg":
        return write_gpkg({**export_layers(prepared), "about": about(prepared)}, path)
    if fmt == "html":
        path.write_text(to_html(prepared), encoding="utf-8")
    else:
        path.write_bytes(to_geojson(prepared) if fmt == "geojson" else to_csv(prepared))
    return path


def to_bytes(prepared: Prepared, fmt: str) -> bytes:
    """The file :func:`export` would write, as bytes (for a download button)."""
    if fmt == "gpkg":
        with tempfile.TemporaryDirectory(prefix="pocmap-export-") as folder:
            return export(prepared, fmt, Path(folder) / "export.gpkg").read_bytes()
    if fmt not in FORMATS:
        raise ValueError(_unknown_format(fmt))
    if fmt == "html":
        return to_html(prepared).encode("utf-8")
    return to_geojson(prepared) if fmt == "geojson" else to_csv(prepared)


def _unknown_format(fmt: str) -> str:
    return _(
        "`fmt` was {value} but is expected to be in {allowed}",
        value=repr(fmt),
        allowed=repr(FORMATS),
    )


def _incident_layer(prepared: Prepared) -> tuple[str, gpd.GeoDataFrame]:
    """The incidents' layer name and frame (WGS84, nothing withheld, fresh index)."""
    if prepared.points is not None:
        return "incidents", _exportable(_origins_written(prepared.points))
    if prepared.cells is None:
        raise ValueError("the prepared selection has neither points nor cells to export")
    cells = prepared.cells.cells
    if prepared.disclosure.level == "shareable":
        cells = cells[[*_SHAREABLE_CELL_COLUMNS, cells.geometry.name]]
    return "incident_cells", _exportable(cells)


def _origins_written(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``points`` with every ``motivation_origin`` written out: an empty one (as sent, in
    the store) becomes ``source``, so a reader of the file needs no convention to tell
    suggestion-coded incidents from the others."""
    if "motivation_origin" not in points:
        return points
    return points.assign(motivation_origin=motivation_origins(points).to_numpy())


def _exportable(frame: pd.DataFrame) -> pd.DataFrame:
    if isinstance(frame, gpd.GeoDataFrame):
        frame = frame.to_crs(WGS84)  # every layer has its CRS: none is guessed
    return without_withheld(frame).reset_index(drop=True)


def _inline_assets(html: str) -> str:
    """``html`` with every link to a vendored script or stylesheet replaced by its text."""
    html = _SCRIPT_LINK.sub(lambda m: f"<script>{_vendor_text(m[1], '</script')}</script>", html)
    html = _STYLESHEET_LINK.sub(lambda m: f"<style>{_stylesheet(m[1])}</style>", html)
    for attribute in ("src", "href"):
        if f'{attribute}="{_INLINE_BASE}' in html:
            raise ValueError(f"a {attribute} link to {_INLINE_BASE} was left in the page")
    return html


def _vendor_text(relative: str, closing_tag: str) -> str:
    if relative not in _VENDOR_FILES:
        raise ValueError(
            f"asset {relative!r} is not a vendored file (known: {sorted(_VENDOR_FILES)})"
        )
    text = (VENDOR_DIR / relative).read_text(encoding="utf-8")
    # Inside a <script> or <style> block, this would end the block early.
    if closing_tag in text.lower():
        raise ValueError(f"{relative} contains {closing_tag!r} and cannot be inlined")
    return text


def _stylesheet(relative: str) -> str:
    """The vendored stylesheet with each image it names as a ``data:`` URI."""
    folder = (VENDOR_DIR / relative).parent

    def data_uri(match: re.Match) -> str:
        image = (folder / match[2]).resolve()
        if not image.is_relative_to(VENDOR_DIR) or not image.is_file():
            raise ValueError(f"{relative} names {match[2]!r}, which is not in {VENDOR_DIR}")
        kind = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
        return f"url(data:{kind};base64,{base64.b64encode(image.read_bytes()).decode()})"

    return _CSS_URL.sub(data_uri, _vendor_text(relative, "</style"))
