"""The five layers of the joint map, one module each: schema, style and folium builder."""

from layers._raw import install as _render_text_once

_render_text_once()
