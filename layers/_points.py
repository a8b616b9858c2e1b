"""A clustered point layer drawn in the browser from a compact array.

One ``folium.Marker`` per incident costs about 0.9 KB of HTML and freezes the
browser near 10k (folium#1814). Here each point is one short JSON row and the
browser builds circle markers and their popups from it, adding them to
Leaflet.markercluster in one ``addLayers`` call (chunked, so the page stays
responsive). Strings in the rows must already be HTML-escaped.
"""

from __future__ import annotations

from typing import Any

from folium.plugins import MarkerCluster
from folium.template import Template

from layers.escaping import script_json


class PointCluster(MarkerCluster):
    """Clustered circle markers.

    Parameters
    ----------
    rows : ``[lat, lon, colour_index, value_1, ..., value_n]`` per point. A value is
        either an index into that field's lookup or an already-escaped string.
    colours : fill colour for each ``colour_index``.
    fields : ``(label, lookup)`` for each value: the popup shows ``label: value``
        (``lookup[value]`` when a lookup is given); empty values are skipped.
    tooltip_fields : positions in ``fields`` joined by `` · `` for the hover text.
    name, overlay, control, show : as for every folium layer.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var rows = {{ this.rows_json }};
                var colours = {{ this.colours|tojson }};
                var fields = {{ this.fields|tojson }};
                var tipFields = {{ this.tooltip_fields|tojson }};
                function value(r, j) {
                    var v = r[j + 3], lookup = fields[j][1];
                    if (v === null || v === '') { return ''; }
                    return lookup ? lookup[v] : String(v);
                }
                function popup(r) {
                    var html = '<table style="font-size:12px">';
                    for (var j = 0; j < fields.length; j++) {
                        var v = value(r, j);
                        if (v !== '') {
                            html += '<tr><th style="text-align:left;padding-right:6px">'
                                + fields[j][0] + '</th><td>' + v + '</td></tr>';
                        }
                    }
                    return html + '</table>';
                }
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                // Unticked in the layer control while it still loads in chunks,
                // Leaflet.markercluster would throw in its next chunk and lose the
                // markers not yet placed (Leaflet.markercluster#1017). Off the map,
                // they wait as markers added to a cluster off the map do, and are
                // clustered when the layer is ticked again.
                var clusterOne = cluster._addLayer;
                cluster._addLayer = function (layer, zoom) {
                    if (!this._map) { this._needsClustering.push(layer); return; }
                    return clusterOne.call(this, layer, zoom);
                };
                var makeLevels = cluster._generateInitialClusters;
                cluster._generateInitialClusters = function () {
                    makeLevels.call(this);
                    // Off the map, the last chunk has no map to draw the clusters on:
                    // they are drawn when the layer is ticked again.
                    var top = this._topClusterLevel, toMap = top._recursivelyAddChildrenToMap;
                    top._recursivelyAddChildrenToMap = function () {
                        if (this._group._map) { return toMap.apply(this, arguments); }
                    };
                };
                // Each cluster is a ring showing the colour mix of its points (for
                // incidents: the motivation mix), with the count in the middle.
                cluster.options.iconCreateFunction = function (c) {
                    var kids = c.getAllChildMarkers(), n = kids.length, counts = {};
                    for (var k = 0; k < n; k++) {
                        var ci = kids[k].options.colourIndex;
                        counts[ci] = (counts[ci] || 0) + 1;
                    }
                    var stops = [], at = 0;
                    for (var ci = 0; ci < colours.length; ci++) {
                        if (!counts[ci]) { continue; }
                        var to = at + 100 * counts[ci] / n;
                        stops.push(colours[ci] + ' ' + at.toFixed(2) + '% ' + to.toFixed(2) + '%');
                        at = to;
                    }
                    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48, inner = size - 12;
                    return L.divIcon({
                        html: '<div style="width:' + size + 'px;height:' + size + 'px;'
                            + 'border-radius:50%;background:conic-gradient(' + stops.join(',')
                            + ');display:flex;align-items:center;justify-content:center;'
                            + 'box-shadow:0 0 3px rgba(0,0,0,0.6)"><div style="width:' + inner
                            + 'px;height:' + inner + 'px;font:bold 11px sans-serif;'
                            + 'line-height:' + inner + 'px;border-radius:50%;background:#fff;'
                            + 'color:#222;text-align:center">' + n + '</div></div>',
                        className: 'pocmap-cluster', iconSize: [size, size]
                    });
                };
                var markers = new Array(rows.length);
                for (var i = 0; i < rows.length; i++) {
                    var r = rows[i];
                    var m = L.circleMarker([r[0], r[1]], {
                        radius: 6, color: '#ffffff', weight: 1,
                        fillColor: colours[r[2]], fillOpacity: 0.9,
                        colourIndex: r[2]
                    });
                    m.bindTooltip(tipFields.map(function (j) { return value(r, j); })
                        .filter(function (v) { return v !== ''; }).join(' · '));
                    m.bindPopup(popup.bind(null, r), {maxWidth: 340});
                    markers[i] = m;
                }
                cluster.addLayers(markers);
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(
        self,
        rows: list[list[Any]],
        colours: list[str],
        fields: list[tuple[str, list[str] | None]],
        tooltip_fields: list[int],
        *,
        name: str,
        overlay: bool = True,
        control: bool = True,
        show: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(
            name=name,
            overlay=overlay,
            control=control,
            show=show,
            options={
                "chunkedLoading": True,
                "showCoverageOnHover": False,
                "disableClusteringAtZoom": 12,
                **options,
            },
        )
        self._name = "PointCluster"
        self.rows = rows
        self.rows_json = script_json(rows)
        self.colours = colours
        self.fields = [[label, lookup] for label, lookup in fields]
        self.tooltip_fields = tooltip_fields
