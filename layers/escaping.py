"""Escaping for every string that reaches HTML.

Folium's ``Popup``, ``Tooltip``, ``GeoJsonTooltip`` and ``GeoJsonPopup`` and Leaflet's
layer control insert their text as raw HTML, so a narrative or a place name sent
by a field office could run script in every analyst's browser. Every
user-supplied value goes through :func:`escape` before it is put in any of them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup


def escape(value: Any) -> str:
    """``value`` as text safe to place in HTML (missing values become ``""``)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return html.escape(str(value), quote=True)


def script_json(value: Any) -> Markup:
    """``value`` as the templates' ``|tojson`` writes it (JSON safe inside a ``<script>``:
    ``<``, ``>``, ``&`` and ``'`` as ``\\u`` escapes; keys sorted). For the big lists a
    layer is drawn from: written once, placed as is at every render (streamlit-folium
    renders each element twice per page run)."""
    return htmlsafe_json_dumps(value, sort_keys=True)


def table(rows: Iterable[tuple[str, Any]], *, title: Any = None) -> str:
    """A small two-column HTML table for a popup; labels and values are escaped."""
    head = f"<b>{escape(title)}</b><br>" if title is not None else ""
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:6px'>{escape(label)}</th>"
        f"<td>{escape(value)}</td></tr>"
        for label, value in rows
        if escape(value) != ""
    )
    return f"{head}<table style='font-size:12px'>{body}</table>"


def escaped_columns(gdf: gpd.GeoDataFrame, columns: Iterable[str]) -> gpd.GeoDataFrame:
    """A copy of ``gdf`` keeping only ``columns`` (and the geometry), each escaped as text."""
    columns = list(columns)
    out = gdf[[*columns, gdf.geometry.name]].copy()
    for column in columns:
        out[column] = out[column].map(escape).astype(object)
    return out


class Popup(MacroElement):
    """A popup whose (already escaped) HTML reaches Leaflet as a JSON string.

    ``folium.Popup`` and ``folium.Tooltip`` paste their text into a JavaScript
    template literal, where ``${...}`` or a backtick in a field office's text would
    run as code even after HTML escaping. Here the text goes through ``tojson``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }},
                {maxWidth: {{ this.max_width|tojson }}});
        {% endmacro %}"""
    )

    def __init__(self, html: str, max_width: int = 320) -> None:
        super().__init__()
        self._name = "SafePopup"
        self.html = html
        self.max_width = max_width


class Tooltip(MacroElement):
    """A hover text passed to Leaflet as a JSON string (see :class:`Popup`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindTooltip({{ this.html|tojson }}, {sticky: true});
        {% endmacro %}"""
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "SafeTooltip"
        self.html = html
