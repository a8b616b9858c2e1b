"""The briefing's map, drawn with matplotlib in the mission's equal-area projection.

Offline by design: land, boundaries, towns, roads and the river come from the data (the
same offline basemap the app draws). Tiles are added only when a tile server is given and
answers; the map never waits on one.
"""

from __future__ import annotations

import math
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import mapclassify
import numpy as np
import pyproj
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch
from matplotlib_scalebar.scalebar import ScaleBar

from analysis.metric import WGS84, to_metric
from briefing import fit
from briefing.selection import Prepared
from languages import N_, Labels, _, format_number
from layers import basemap as basemap_layer
from layers.admin_boundaries import ADMIN1_COLOUR, ADMIN2_COLOUR
from layers.incidents import MOTIVATION_COLOURS
from layers.joint_map import TileServer
from layers.local_agreements import STATUS_COLOURS
from layers.mission_presence import UN_BLUE
from layers.political_processes import LOCAL_PROCESS_COLOUR, NATIONAL_PROCESS_COLOUR
from schema.incidents import MOTIVATION_LABELS, MOTIVATIONS
from schema.local_agreements import AGREEMENT_STATUSES, STATUS_LABELS

HOT_SPOT_EDGE = "#111111"
MARGIN = 0.04
"""Space around the mission area, as a share of its longer side."""
INTENSITY_CLASSES = 4
TILE_TIMEOUT_S = 4.0
"""How long a tile server has to answer before the briefing goes on without it."""
_PRESENCE_MARKERS = {
    "field_office": ("s", 7),
    "base": ("^", 7),
    "temporary_operating_base": ("o", 6),
}


_PRESENCE_LEGEND = Labels(
    {
        "field_office": N_("Field office"),
        "base": N_("Base"),
        "temporary_operating_base": N_("TOB"),
    }
)
"""The briefing's short names of the presence symbols (the map's legend is narrow)."""


@dataclass(frozen=True)
class LegendEntry:
    """A symbol (a matplotlib legend handle) and its label."""

    handle: object
    label: str


def draw_map(
    ax: Axes, prepared: Prepared, tiles: TileServer | None = None
) -> tuple[dict[str, list[LegendEntry]], str]:
    """Draw every layer of ``prepared`` on ``ax``, over ``tiles`` when they answer.

    Returns the legend, by section, and a note on the basemap for the footer.
    """
    crs = prepared.crs
    data = prepared.data
    ax.set_facecolor(basemap_layer.SEA_COLOUR)
    _extent(ax, to_metric(data.admin_boundaries.geometry, crs))
    tiled, basemap_note = _add_tiles(ax, crs, tiles) if tiles is not None else (False, "")
    basemap_note = basemap_note or _(OFFLINE_NOTE)
    base = to_metric(data.basemap, crs)
    land = base[base["kind"] == "land"]
    if len(land):
        fill = "none" if tiled else basemap_layer.LAND_COLOUR
        land.plot(ax=ax, fc=fill, edgecolor="#B8B2A0", lw=0.8, zorder=1)
    for kind, style in (
        ("river", {"color": basemap_layer.RIVER_COLOUR, "lw": 1.6}),
        ("road", {"color": basemap_layer.ROAD_COLOUR, "lw": 1.1}),
        ("mining_road", {"color": basemap_layer.ROAD_COLOUR, "lw": 1.1, "ls": "--"}),
    ):
        lines = base[base["kind"] == kind]
        if len(lines):
            lines.plot(ax=ax, zorder=2, **style)
    admin = to_metric(data.admin_boundaries, crs)
    for level, colour, width in (("2", ADMIN2_COLOUR, 0.5), ("1", ADMIN1_COLOUR, 1.3)):
        areas = admin[admin["level"] == level]
        if len(areas):
            areas.boundary.plot(ax=ax, color=colour, lw=width, zorder=3)

    incidents_title = (
        _("Incidents") if prepared.points is not None else _("Incident cells, by main motivation")
    )
    legend = {incidents_title: _draw_incidents(ax, prepared)}
    legend[_("Political work")] = _draw_political(ax, prepared)
    legend[_("Mission presence")] = _draw_presence(ax, to_metric(data.mission_presence, crs))
    legend[_("Base map")] = [
        *_draw_towns(ax, base),
        LegendEntry(Line2D([], [], color=ADMIN1_COLOUR, lw=1.3), _("Admin1 boundary")),
        LegendEntry(Line2D([], [], color=ADMIN2_COLOUR, lw=0.5), _("Admin2 boundary")),
        LegendEntry(Line2D([], [], color=basemap_layer.ROAD_COLOUR, lw=1.1), _("Road")),
        LegendEntry(Line2D([], [], color=basemap_layer.RIVER_COLOUR, lw=1.6), _("River")),
    ]
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_color("#777777")
    scale = ScaleBar(
        1, "m", location="lower left", box_alpha=0.8, font_properties={"size": 9},
        scale_formatter=_scale_label,
    )  # fmt: skip
    ax.add_artist(scale)
    north_arrow(ax, crs)
    return legend, basemap_note


OFFLINE_NOTE = N_("Basemap drawn from the mission's own data (offline).")
"""The footer's note when no tiles are drawn, in English (drawn with :func:`_`)."""


def _scale_label(value: float, unit: str) -> str:
    """The scale bar's label, its number written as the language writes it."""
    return f"{format_number(value)} {unit}"


def add_tiles(ax: Axes, crs: pyproj.CRS, tiles: TileServer) -> str:
    """Draw ``tiles`` under the map if the server answers within :data:`TILE_TIMEOUT_S`;
    return the footer's note on the basemap. The server's address is never printed (it
    can hold a key)."""
    return _add_tiles(ax, crs, tiles)[1]


def _add_tiles(ax: Axes, crs: pyproj.CRS, tiles: TileServer) -> tuple[bool, str]:
    """:func:`add_tiles`, and whether the tiles were drawn."""
    try:
        import contextily
    except ImportError:
        return False, _(
            "Basemap drawn from the mission's own data (offline). Tiles need contextily: "
            "pip install 'pocmap[tiles]'."
        )
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    lon, lat = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True).transform(
        (west + east) / 2, (south + north) / 2
    )
    if not _answers(tiles.url, lon, lat):
        return False, _(
            "Basemap drawn from the mission's own data (offline). The tile server did not "
            "answer; no tiles drawn."
        )
    try:
        contextily.add_basemap(
            ax, source=tiles.url, crs=crs.to_wkt(), attribution=False, zorder=0.5,
            timeout=TILE_TIMEOUT_S,
        )  # fmt: skip
    except Exception as error:  # any failure of a remote server must not stop the briefing
        return False, _(
            "Basemap drawn from the mission's own data (offline). Tiles failed ({error}); "
            "none drawn.",
            error=type(error).__name__,
        )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    return True, _(
        "Tiles: {attribution}; boundaries and places from the mission's data.",
        attribution=tiles.attribution,
    )


def _answers(template: str, lon: float, lat: float, zoom: int = 6) -> bool:
    """Whether the tile server returns the tile over (lon, lat) at ``zoom``."""
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    url = template.format(z=zoom, x=min(max(x, 0), n - 1), y=min(max(y, 0), n - 1), s="a")
    try:
        with urllib.request.urlopen(url, timeout=TILE_TIMEOUT_S) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _extent(ax: Axes, area: gpd.GeoSeries) -> None:
    """Fit the mission area in the axes' box at one scale in both directions."""
    west, south, east, north = area.total_bounds
    pad = MARGIN * max(east - west, north - south, 1.0)
    west, south, east, north = west - pad, south - pad, east + pad, north + pad
    box = ax.get_position()
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("the map's axes are on no figure: add them to one before fitting")
    width_in, height_in = figure.get_size_inches()
    box_ratio = (box.height * height_in) / (box.width * width_in)
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w, half_h = (east - west) / 2, (north - south) / 2
    if half_h / half_w > box_ratio:
        half_w = half_h / box_ratio
    else:
        half_h = half_w * box_ratio
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_aspect("equal", adjustable="box")


def _motivation_entries() -> list[LegendEntry]:
    return [
        LegendEntry(
            Line2D([], [], marker="o", ls="", mfc=MOTIVATION_COLOURS[m], mec="white", ms=8),
            MOTIVATION_LABELS[m],
        )
        for m in MOTIVATIONS
    ]


def _draw_incidents(ax: Axes, prepared: Prepared) -> list[LegendEntry]:
    if prepared.points is not None:
        points = to_metric(prepared.points, prepared.crs)
        if len(points):
            colours = points["motivation"].map(MOTIVATION_COLOURS).fillna("#8C8C8C")
            ax.scatter(
                points.geometry.x,
                points.geometry.y,
                s=14,
                c=colours.to_list(),
                edgecolors="white",
                linewidths=0.3,
                alpha=0.85,
                zorder=6,
            )
        where = _(
            "Incidents moved to {km} km squares",
            km=format_number(prepared.disclosure.precision_km),
        )
        return [*_motivation_entries(), LegendEntry(Patch(alpha=0), where)]
    cells = prepared.cells.cells if prepared.cells is not None else None
    entries = [
        LegendEntry(Patch(fc=MOTIVATION_COLOURS[m], ec="none"), MOTIVATION_LABELS[m])
        for m in MOTIVATIONS
    ]
    if cells is None or not len(cells):
        return entries
    cells = cells.to_crs(prepared.crs)
    level, ranges = intensity_classes(cells["incidents"].to_numpy())
    alphas = np.linspace(0.35, 0.9, len(ranges)) if len(ranges) > 1 else np.array([0.7])
    colours = cells["dominant_motivation"].map(MOTIVATION_COLOURS).to_numpy()
    for k in range(len(ranges)):
        chosen = level == k
        if chosen.any():
            cells[chosen].plot(ax=ax, color=list(colours[chosen]), alpha=alphas[k], lw=0, zorder=5)
    hot = cells[cells["hot_spot"]]
    if len(hot):
        hot.boundary.plot(ax=ax, color=HOT_SPOT_EDGE, lw=1.4, zorder=5.5)
    outline = Patch(fc="none", ec=HOT_SPOT_EDGE, lw=1.4)
    entries.append(LegendEntry(outline, _("Hot spot on these cells (Gi*, 95 %+)")))
    for (low, high), alpha in zip(ranges, alphas, strict=True):
        text = format_number(low) if low == high else f"{format_number(low)}-{format_number(high)}"
        patch = Patch(fc="#555555", alpha=alpha, ec="none")
        entries.append(LegendEntry(patch, _("{count} a cell", count=text)))
    return entries


def intensity_classes(counts: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Up to :data:`INTENSITY_CLASSES` quantile classes of the cells' incident counts:
    the class of each cell, and each class's lowest and highest count."""
    counts = np.asarray(counts, dtype=np.int64)
    unique = np.unique(counts)
    if len(unique) <= INTENSITY_CLASSES:
        uppers = unique
    else:
        # Many tied counts make fewer distinct classes, which mapclassify warns of: the
        # classes are de-duplicated here.
        with warnings.catch_warnings(action="ignore", category=UserWarning):
            scheme = mapclassify.Quantiles(counts, k=INTENSITY_CLASSES)
        uppers = np.unique(scheme.bins.astype(np.int64))
    level = np.searchsorted(uppers, counts)
    lows = [int(counts.min())] + [int(u) + 1 for u in uppers[:-1]] if len(counts) else []
    return level, [(low, int(high)) for low, high in zip(lows, uppers, strict=True)]


def _draw_political(ax: Axes, prepared: Prepared) -> list[LegendEntry]:
    crs = prepared.crs
    agreements = to_metric(prepared.agreements, crs)
    kinds = agreements.geom_type
    for status in AGREEMENT_STATUSES:
        colour = STATUS_COLOURS[status]
        of_status = agreements[agreements["status"] == status]
        kind = kinds[agreements["status"] == status]
        areas = of_status[kind.str.contains("Polygon")]
        if len(areas):
            areas.plot(ax=ax, fc=colour, alpha=0.18, zorder=4)
            areas.boundary.plot(ax=ax, color=colour, lw=1.2, ls="--", zorder=4)
        lines = of_status[kind.str.contains("LineString")]
        if len(lines):
            lines.plot(ax=ax, color=colour, lw=2.6, ls="--", zorder=4)
        points = of_status[kind == "Point"]
        if len(points):
            ax.plot(
                points.geometry.x, points.geometry.y, "s", ms=7, mfc=colour, mec="white",
                mew=0.8, zorder=8,
            )  # fmt: skip
    processes = to_metric(prepared.local_processes, crs)
    if len(processes):
        ax.plot(
            processes.geometry.x, processes.geometry.y, "D", ms=7, mfc=LOCAL_PROCESS_COLOUR,
            mec="white", mew=0.8, zorder=8,
        )  # fmt: skip
    capital = _capital(prepared)
    if capital is not None and len(prepared.data.national_milestones):
        ax.plot(*capital, "*", ms=16, mfc=NATIONAL_PROCESS_COLOUR, mec="white", zorder=9)
    entries = [
        LegendEntry(
            Line2D([], [], marker="*", ls="", ms=12, mfc=NATIONAL_PROCESS_COLOUR, mec="white"),
            _("National political process"),
        ),
        LegendEntry(
            Line2D([], [], marker="D", ls="", ms=7, mfc=LOCAL_PROCESS_COLOUR, mec="white"),
            _("Local political process"),
        ),
    ]
    entries += [
        LegendEntry(
            Line2D([], [], marker="s", ls="", ms=7, mfc=STATUS_COLOURS[s], mec="white"),
            _("Agreement {status}", status=STATUS_LABELS[s].lower()),
        )
        for s in AGREEMENT_STATUSES
    ]
    return entries


def _capital(prepared: Prepared) -> tuple[float, float] | None:
    base = prepared.data.basemap
    capitals = base[base["kind"] == "capital"]
    source = capitals if len(capitals) else prepared.data.admin_boundaries
    if not len(source):
        return None
    point = to_metric(source, prepared.crs).geometry.iloc[0].representative_point()
    return point.x, point.y


def _draw_presence(ax: Axes, presence: gpd.GeoDataFrame) -> list[LegendEntry]:
    areas = presence[presence["kind"] == "area_of_responsibility"]
    if len(areas):
        areas.boundary.plot(ax=ax, color=UN_BLUE, lw=1.4, ls="--", zorder=4)
    area = Patch(fc="none", ec=UN_BLUE, ls="--", lw=1.4)
    entries = [LegendEntry(area, _("Field office area"))]
    for kind, (marker, size) in _PRESENCE_MARKERS.items():
        sites = presence[presence["kind"] == kind]
        filled = kind != "temporary_operating_base"
        style: dict[str, Any] = {
            "mfc": UN_BLUE if filled else "white",
            "mec": UN_BLUE if not filled else "white",
        }
        if len(sites):
            ax.plot(sites.geometry.x, sites.geometry.y, marker, ms=size, mew=1.2, zorder=8, **style)
        symbol = Line2D([], [], marker=marker, ls="", ms=size, mew=1.2, **style)
        entries.append(LegendEntry(symbol, _PRESENCE_LEGEND[kind]))
    return entries


def _draw_towns(ax: Axes, base: gpd.GeoDataFrame) -> list[LegendEntry]:
    towns = base[base["kind"].isin(["town", "capital"])]
    for row in towns.itertuples():
        capital = row.kind == "capital"
        size = 4 if capital else 3
        ax.plot(row.geometry.x, row.geometry.y, "o", ms=size, color="#333333", zorder=7)
        if isinstance(row.name, str) and row.name:
            # Clipped to the map; a name longer than a sixth of the slide is cut as well.
            ax.annotate(
                fit.shorten(row.name, 180, 8.5 if capital else 7.5),
                (row.geometry.x, row.geometry.y),
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=8.5 if capital else 7.5,
                fontweight="bold" if capital else "normal",
                color="#222222",
                zorder=10,
                clip_on=True,
                parse_math=False,
            )
    return [LegendEntry(Line2D([], [], marker="o", ls="", ms=3, color="#333333"), _("Town"))]


def north_arrow(ax: Axes, crs: pyproj.CRS) -> None:
    """An arrow pointing to true north at the map's upper right corner."""
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    x, y = east - 0.06 * (east - west), north - 0.14 * (north - south)
    to_geo = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
    to_map = pyproj.Transformer.from_crs(WGS84, crs, always_xy=True)
    lon, lat = to_geo.transform(x, y)
    x2, y2 = to_map.transform(lon, min(lat + 0.05, 89.9))
    angle = math.atan2(x2 - x, y2 - y)
    length = 0.07 * (north - south)
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    ax.add_patch(
        FancyArrow(
            x, y, dx, dy, width=length * 0.12, head_width=length * 0.35,
            head_length=length * 0.35, length_includes_head=True, color="#222222", zorder=11,
        )
    )  # fmt: skip
    ax.annotate(
        _("N"), (x + dx, y + dy), xytext=(0, 4), textcoords="offset points", ha="center",
        va="bottom", fontsize=11, fontweight="bold", zorder=11,
    )  # fmt: skip
