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
                var rows = {{ this.rows|tojson }};
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
                cluster.options.iconCreateFunction = function (c) {
                    var n = c.getChildCount();
                    var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
                    return L.divIcon({
                        html: '<div style="background:rgba(40,48,60,0.85);color:#fff;'
                            + 'border:2px solid #fff;border-radius:50%;width:' + size
                            + 'px;height:' + size + 'px;line-height:' + (size - 4)
                            + 'px;text-align:center;font:bold 12px sans-serif">' + n + '</div>',
                        className: 'pocmap-cluster', iconSize: [size, size]
                    });
                };
                var markers = new Array(rows.length);
                for (var i = 0; i < rows.length; i++) {
                    var r = rows[i];
                    var m = L.circleMarker([r[0], r[1]], {
                        radius: 6, color: '#ffffff', weight: 1,
                        fillColor: colours[r[2]], fillOpacity: 0.9
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
            options={"chunkedLoading": True, "showCoverageOnHover": False, **options},
        )
        self._name = "PointCluster"
        self.rows = rows
        self.colours = colours
        self.fields = [[label, lookup] for label, lookup in fields]
        self.tooltip_fields = tooltip_fields
