"""Incidents as cells on the map: each cell filled with its main motivation's colour.

What the map draws when a selection is too large for one marker per incident, and what
exports and shareable maps draw instead of points. Hot-spot cells (Gi*, 95 %) are
outlined when the frame says which they are.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from folium.map import Layer
from folium.template import Template

from analysis.metric import WGS84
from languages import N_, _, current, ngettext
from layers.escaping import escape, script_json
from layers.incidents import MOTIVATION_COLOURS
from schema.incidents import MOTIVATION_LABELS, MOTIVATIONS

HOT_SPOT_OUTLINE = "#7F0000"
NAME = N_("Incidents per cell")
"""The layer's name in English (drawn in the current language)."""
COUNT_MARK = "\u2063"
"""Where the tooltip's text takes a cell's count (an invisible separator: in no word)."""


class CellLayer(Layer):
    """Cells drawn in the browser from compact rows: ``[ring, motivation, incidents, hot]``
    where ``ring`` is ``[lat, lon, lat, lon, ...]`` and ``motivation`` a position in
    ``MOTIVATIONS`` (its colour and its escaped label)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var rows = {{ this.rows_json }};
                var colours = {{ this.colours|tojson }};
                var labels = {{ this.labels|tojson }};
                var words = {{ this.words|tojson }}, language = {{ this.language|tojson }};
                var group = L.featureGroup();
                for (var i = 0; i < rows.length; i++) {
                    var r = rows[i], ring = [];
                    for (var k = 0; k < r[0].length; k += 2) {
                        ring.push([r[0][k], r[0][k + 1]]);
                    }
                    var hot = r[3] === 1;
                    L.polygon(ring, {
                        fillColor: colours[r[1]],
                        fillOpacity: 0.25 + 0.6 * Math.sqrt(r[2] / {{ this.most }}),
                        color: hot ? {{ this.outline|tojson }} : '#FFFFFF',
                        weight: hot ? 2.5 : 0.5, smoothFactor: 0.5, pocmapCell: true
                    }).bindTooltip(labels[r[1]] + ' · '
                        + words[r[2] > 1 ? 1 : 0].replace(
                            {{ this.count_mark|tojson }}, r[2].toLocaleString(language))
                        + (hot ? ' · ' + words[2] : '')).addTo(group);
                }
                return group;
            })();
        {% endmacro %}"""
    )

    def __init__(self, rows: list[list], *, name: str | None = None, show: bool = True) -> None:
        name = escape(_(NAME)) if name is None else name
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "CellLayer"
        self.rows = rows
        self.rows_json = script_json(rows)
        self.colours = [MOTIVATION_COLOURS[m] for m in MOTIVATIONS]
        self.labels = [escape(MOTIVATION_LABELS[m]) for m in MOTIVATIONS]
        # The tooltip's words in the current language, escaped (the tooltip is HTML):
        # one incident, several (the count put where the mark is), a hot spot.
        self.count_mark = COUNT_MARK
        self.words = [
            escape(ngettext("{count} incident", "{count} incidents", n, count=COUNT_MARK))
            for n in (1, 2)
        ] + [escape(_("hot spot (Gi*)"))]
        self.language = current().replace("_", "-")
        self.outline = HOT_SPOT_OUTLINE
        # Fuller colour for busier cells (square root: a few very busy cells do not wash
        # out the rest).
        self.most = max([row[2] for row in rows], default=1) or 1


def build(cells: gpd.GeoDataFrame, *, name: str | None = None, show: bool = True) -> CellLayer:
    """Cells (any CRS) with ``incidents`` and ``dominant_motivation`` (and optionally
    ``hot_spot``) as one layer of polygons, coloured by main motivation. ``name``
    defaults to "Incidents per cell" in the current language (escaped: the layer control
    reads it as HTML)."""
    name = name or _(NAME)
    if not len(cells):
        return CellLayer([], name=escape(name), show=show)
    shown = cells.to_crs(WGS84)
    exterior = shapely.get_exterior_ring(shown.geometry.to_numpy())
    sizes = shapely.get_num_coordinates(exterior)
    coords = np.round(shapely.get_coordinates(exterior)[:, ::-1], 5)  # (lat, lon)
    ends = np.cumsum(sizes)
    position = {m: i for i, m in enumerate(MOTIVATIONS)}
    motivation = [position.get(m, position["unknown"]) for m in shown["dominant_motivation"]]
    hot = shown["hot_spot"] if "hot_spot" in shown else [False] * len(shown)
    rows = [
        [coords[end - size : end].ravel().tolist(), m, int(n), int(bool(h))]
        for end, size, m, n, h in zip(ends, sizes, motivation, shown["incidents"], hot, strict=True)
    ]
    return CellLayer(rows, name=escape(name), show=show)


def legend_section() -> tuple[str, list[tuple[str, str]]]:
    """The legend section of :func:`build`."""
    swatch = "<span style='display:inline-block;width:14px;height:12px;{}'></span>"
    entries = [
        (swatch.format(f"background:{MOTIVATION_COLOURS[m]};opacity:.8"), label)
        for m, label in MOTIVATION_LABELS.items()
    ]
    entries.append((swatch.format(f"border:2.5px solid {HOT_SPOT_OUTLINE}"), _("Hot spot (Gi*)")))
    return _("Incident cells, by main motivation"), entries
