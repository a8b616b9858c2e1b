"""The joint map: every layer on one folium map, with basemaps, legend and layer control."""

from __future__ import annotations

import os
from dataclasses import dataclass

import folium
import geopandas as gpd
import shapely
from branca.element import Element, MacroElement
from folium.template import Template

from analysis.metric import WGS84
from languages import N_, Labels, _
from layers import (
    admin_boundaries,
    basemap,
    incident_cells,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from layers.assets import use_local_assets
from layers.escaping import escape
from layers.render_once import install_render_once
from schema.mission import MissionData

OFFLINE = "offline"
OPENSTREETMAP = "openstreetmap"
CUSTOM = "custom"
BASEMAPS = (OFFLINE, OPENSTREETMAP, CUSTOM)
BASEMAP_LABELS = Labels(
    {
        OFFLINE: N_("Offline basemap (no internet needed)"),
        OPENSTREETMAP: N_("OpenStreetMap (needs internet)"),
        CUSTOM: N_("Mission tile server"),
    }
)
"""The basemaps' names in the current language (a lookup translates)."""

MapLayer = folium.map.Layer
"""What the joint map can draw as a layer (a folium layer), for callers' annotations."""

MAX_ZOOM = 18

POINTS_UP_TO = 5_000
"""A selection this small is drawn as one (clustered) marker per incident."""
POINTS_WHEN_CLOSE_UP_TO = 25_000
"""Up to this many, the map holds both: cells when the view is wide, markers when close."""
CLOSE_ZOOM = 10
"""From this zoom on (about 30 km across the screen), a map holding both shows markers."""

POINTS, POINTS_WHEN_CLOSE, CELLS = "points", "points_when_close", "cells"


def incident_view(selected: int) -> str:
    """How the map draws ``selected`` incidents: ``points``, ``points_when_close`` (cells
    when wide, markers when close, switched in the browser) or ``cells``.

    The page's payload then never grows with the data: at most
    :data:`POINTS_WHEN_CLOSE_UP_TO` markers, or one shape per cell.
    """
    if selected <= POINTS_UP_TO:
        return POINTS
    return POINTS_WHEN_CLOSE if selected <= POINTS_WHEN_CLOSE_UP_TO else CELLS


TILE_URL_ENV = "POCMAP_TILE_URL"
TILE_ATTRIBUTION_ENV = "POCMAP_TILE_ATTRIBUTION"


@dataclass(frozen=True)
class TileServer:
    """A mission's own XYZ tile server, e.g. ``https://tiles.mission.un/{z}/{x}/{y}.png``."""

    url: str
    attribution: str


def tile_server_from_env() -> TileServer | None:
    """The custom tile server configured in ``POCMAP_TILE_URL`` (and its attribution)."""
    url = os.environ.get(TILE_URL_ENV, "").strip()
    if not url:
        return None
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise ValueError(
            _(
                "{variable} was {value} but is expected to be an XYZ template containing "
                "{{z}}, {{x}} and {{y}}, such as https://tiles.example.org/{{z}}/{{x}}/{{y}}.png",
                variable=TILE_URL_ENV,
                value=repr(url),
            )
        )
    attribution = os.environ.get(TILE_ATTRIBUTION_ENV, "").strip() or _("Mission tile server")
    return TileServer(url, attribution)


class _ZoomSwitch(MacroElement):
    """Shows ``wide`` below ``zoom`` and ``close`` from it on (both layers stay in the
    layer control; Leaflet ticks and unticks them as they change).

    ``close`` should start off the map (``show=False``): this decides. A marker cluster
    that loads in chunks is never taken off the map before its last chunk: removed
    midway, Leaflet.markercluster throws in the next chunk and the markers not yet
    placed are lost for good (a slow browser lost a third of them so). Zoomed out while
    it loads, the map shows ``wide`` at once and removes ``close`` when it is done."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var map = {{ this._parent.get_name() }};
                var wide = {{ this.wide.get_name() }}, close = {{ this.close.get_name() }};
                var loading = false;
                if (close.options && close.options.chunkedLoading) {
                    close.options.chunkProgress = function (done, total) {
                        loading = done < total;
                        // After the cluster has finished its own last step.
                        if (!loading) { setTimeout(pick, 0); }
                    };
                }
                function pick() {
                    var near = map.getZoom() >= {{ this.zoom }};
                    var show = near ? close : wide, hide = near ? wide : close;
                    if (!map.hasLayer(show)) { map.addLayer(show); }
                    if (map.hasLayer(hide) && !(hide === close && loading)) {
                        map.removeLayer(hide);
                    }
                }
                map.on('zoomend', pick);
                map.whenReady(pick);
            })();
        {% endmacro %}"""
    )

    def __init__(self, wide: Element, close: Element, zoom: int) -> None:
        super().__init__()
        self._name = "ZoomSwitch"
        self.wide, self.close, self.zoom = wide, close, int(zoom)


class _Legend(MacroElement):
    """A fixed legend in the map's corner; entries are (symbol html, escaped label)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var legend = L.control({position: 'bottomleft'});
                legend.onAdd = function () {
                    var div = L.DomUtil.create('div', 'pocmap-legend');
                    div.style.cssText = 'background:rgba(255,255,255,0.92);padding:6px 9px;'
                        + 'font:11px sans-serif;line-height:16px;border-radius:4px;'
                        + 'box-shadow:0 0 4px rgba(0,0,0,0.4);max-height:60vh;overflow:auto';
                    div.innerHTML = {{ this.html|tojson }};
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                legend.addTo({{ this._parent.get_name() }});
            })();
        {% endmacro %}"""
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


def _motivation_entries() -> list[tuple[str, str]]:
    dot = (
        "<span style='display:inline-block;width:12px;height:12px;border-radius:50%;"
        "background:{};border:1px solid #fff;box-shadow:0 0 1px #000'></span>"
    )
    return [(dot.format(colour), label) for colour, label in incidents.legend_entries()]


LegendSection = tuple[str, list[tuple[str, str]]]
"""A legend heading and its ``(symbol html, label)`` entries."""


def _legend_sections() -> list[LegendSection]:
    return [
        (_("Incidents by motivation"), _motivation_entries()),
        (
            _("Political work"),
            political_processes.legend_entries() + local_agreements.legend_entries(),
        ),
        (_("Mission presence"), mission_presence.legend_entries()),
        (_("Boundaries"), admin_boundaries.legend_entries()),
    ]


def legend_html(data_label: str, *, columns: int = 2, extra: tuple[LegendSection, ...] = ()) -> str:
    """The joint map's legend as HTML (symbols are ours; every label is escaped).

    Parameters
    ----------
    data_label : what the data is, shown under the entries (e.g. "synthetic sample").
    columns : entries per row in each section.
    extra : sections for added layers, shown first (their labels are escaped too).
    """
    grid = f"display:grid;grid-template-columns:repeat({columns},auto);column-gap:10px"
    parts = ["<div style='font:12px sans-serif;line-height:17px'>"]
    for title, entries in [*extra, *_legend_sections()]:
        parts.append(f"<div style='font-weight:bold;margin-top:3px'>{escape(title)}</div>")
        parts.append(f"<div style='{grid}'>")
        parts.extend(
            "<div style='display:flex;align-items:center;gap:5px'>"
            f"<span style='display:inline-flex;width:20px;justify-content:center'>{symbol}"
            f"</span>{escape(label)}</div>"
            for symbol, label in entries
        )
        parts.append("</div>")
    parts.append(f"<div style='color:#666;margin-top:4px'>{escape(_(data_label))}</div></div>")
    return "".join(parts)


def legend(data_label: str, extra: tuple[LegendSection, ...] = ()) -> _Legend:
    """The legend as a control inside the map (folds away under its title)."""
    return _Legend(
        "<details open><summary style='cursor:pointer;font-weight:bold'>"
        + escape(_("Legend"))
        + "</summary>"
        + legend_html(data_label, extra=extra)
        + "</details>"
    )


def _cell_centres(cells: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One weighted point per cell, so the density layer stays small at any size (the
    centre in degrees: a cell is small enough for that to be its centre on the map)."""
    centres = shapely.centroid(cells.to_crs(WGS84).geometry.to_numpy())
    weight = cells["incidents"].to_numpy()
    return gpd.GeoDataFrame({"weight": weight}, geometry=centres, crs=WGS84)


def _capital(data: MissionData) -> tuple[float, float]:
    capitals = data.basemap[data.basemap["kind"] == "capital"]
    if len(capitals):
        point = capitals.geometry.iloc[0]
    else:
        point = data.admin_boundaries.union_all().representative_point()
    return (point.y, point.x)


def build_joint_map(
    data: MissionData,
    selected_incidents: gpd.GeoDataFrame,
    *,
    base: str = OFFLINE,
    tile_server: TileServer | None = None,
    show_density: bool = False,
    local_processes: gpd.GeoDataFrame | None = None,
    agreements: gpd.GeoDataFrame | None = None,
    asset_url: str | None = None,
    with_legend: bool = True,
    analysis_layers: tuple[MapLayer, ...] = (),
    legend_sections: tuple[LegendSection, ...] = (),
    incident_cells_frame: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The joint POC-political map of ``data``, showing ``selected_incidents``.

    Parameters
    ----------
    base : which basemap is shown first, one of :data:`BASEMAPS`; the others stay
        in the layer control. ``custom`` needs ``tile_server``.
    show_density : whether the incident density layer starts switched on.
    local_processes, agreements : the subsets to draw (all of ``data``'s by default).
    asset_url : where Leaflet's files are served (see :mod:`layers.assets`).
    with_legend : whether the legend is drawn inside the map; a page that shows
        :func:`legend_html` beside the map turns it off so it hides nothing.
    analysis_layers : drawn above the boundaries and below the political layers
        (the hot-spot cells of the joint analysis).
    legend_sections : what the in-map legend says of ``analysis_layers``.
    incident_cells_frame : the selection as cells (:mod:`layers.incident_cells`), drawn
        instead of ``selected_incidents`` when those are empty, and below
        :data:`CLOSE_ZOOM` when both are given (markers from it on).
    """
    install_render_once()  # each text rendered once, never read as a template
    if base not in BASEMAPS:
        raise ValueError(
            _(
                "`base` was {value} but is expected to be in {allowed}",
                value=repr(base),
                allowed=repr(BASEMAPS),
            )
        )
    if base == CUSTOM and tile_server is None:
        raise ValueError(
            _(
                "`base` was 'custom' but no tile server is set ({variable})",
                variable=TILE_URL_ENV,
            )
        )
    minx, miny, maxx, maxy = data.admin_boundaries.total_bounds
    # Without a tile layer Leaflet knows no maximum zoom, which marker clustering needs.
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True, maxZoom=MAX_ZOOM)
    m.fit_bounds([[miny, minx], [maxy, maxx]])

    m.add_child(basemap.sea_background())
    basemap.build(data.basemap, name=BASEMAP_LABELS[OFFLINE], show=base == OFFLINE).add_to(m)
    # The layer control reads the names as HTML: escaped, as every name it shows.
    folium.TileLayer(
        "OpenStreetMap",
        name=escape(BASEMAP_LABELS[OPENSTREETMAP]),
        show=base == OPENSTREETMAP,
        overlay=False,
    ).add_to(m)
    if tile_server is not None:
        folium.TileLayer(
            tiles=tile_server.url,
            attr=escape(tile_server.attribution),
            name=escape(BASEMAP_LABELS[CUSTOM]),
            show=base == CUSTOM,
            overlay=False,
        ).add_to(m)

    admin_boundaries.build(data.admin_boundaries).add_to(m)
    for layer in analysis_layers:
        layer.add_to(m)
    mission_presence.build(data.mission_presence).add_to(m)
    local_agreements.build(data.local_agreements if agreements is None else agreements).add_to(m)
    political_processes.build_local_processes(
        data.local_processes if local_processes is None else local_processes
    ).add_to(m)
    political_processes.build_national_process(data.national_milestones, _capital(data)).add_to(m)
    cells_layer = points_layer = None
    if incident_cells_frame is not None and len(incident_cells_frame):
        incidents.build_density(_cell_centres(incident_cells_frame), show=show_density).add_to(m)
        cells_layer = incident_cells.build(incident_cells_frame).add_to(m)
    elif len(selected_incidents):
        incidents.build_density(selected_incidents, show=show_density).add_to(m)
    if len(selected_incidents):
        # Beside cells, the markers wait for the zoom switch to add them.
        show_points = cells_layer is None
        points_layer = incidents.build(selected_incidents, show=show_points).add_to(m)
    if cells_layer is not None and points_layer is not None:
        m.add_child(_ZoomSwitch(cells_layer, points_layer, CLOSE_ZOOM))
    # Folded into the usual layers button (hover or tap opens it), so it hides no
    # part of the map; the legend names every symbol.
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    if with_legend:
        legend(_(data.label), legend_sections).add_to(m)
    return use_local_assets(m) if asset_url is None else use_local_assets(m, asset_url)
