"""Leaflet and its plugins served from this app, never from a CDN.

Missions work on closed or poor networks, and a CDN is one more party that sees who
opens the map. Folium's elements name their JavaScript and CSS as CDN links; this
module points every one of them at the copies in ``static/vendor/`` (served by
Streamlit at ``/app/static/vendor/``), and drops what the map does not use
(jQuery, Bootstrap, Font Awesome, awesome-markers).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import folium
from branca.element import Element

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
STREAMLIT_STATIC_URL = "/app/static/vendor"

LOCAL_JS = {
    "leaflet": "leaflet/leaflet.js",
    "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet-heat.js": "leaflet.heat/leaflet-heat.js",
}
LOCAL_CSS = {
    "leaflet_css": "leaflet/leaflet.css",
    "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/MarkerCluster.Default.css",
}
# Folium's Map asks for these by default; the pocmap map draws no awesome-marker
# icons and no Bootstrap widgets, so they are left out rather than vendored.
_UNUSED = {
    "jquery",
    "bootstrap",
    "awesome_markers",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
}


def _elements(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _elements(child)


def _localise(links: list[tuple[str, str]], local: dict[str, str], base: str) -> list:
    out = []
    for name, url in links:
        if name in _UNUSED:
            continue
        if name not in local:
            raise ValueError(
                f"asset {name!r} ({url}) has no local copy; add it to static/vendor/ and to "
                f"layers/assets.py (known: {sorted(local)})"
            )
        out.append((name, f"{base}/{local[name]}"))
    return out


def use_local_assets(m: folium.Map, base_url: str = STREAMLIT_STATIC_URL) -> folium.Map:
    """Point every JS/CSS link of ``m`` and its children at ``base_url``; returns ``m``.

    Raises
    ------
    ValueError
        if an element needs an asset that has no local copy (so a new plugin can
        never quietly fetch from the internet).
    """
    for element in _elements(m):
        if hasattr(element, "default_js"):
            element.default_js = _localise(element.default_js, LOCAL_JS, base_url)
        if hasattr(element, "default_css"):
            element.default_css = _localise(element.default_css, LOCAL_CSS, base_url)
    return m
