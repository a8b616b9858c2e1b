"""The map: each layer's style and folium builder, and the pages composed from them.

The vocabulary the layers draw (fields, codes, labels) is in ``schema``. Importing this
package loads nothing of folium: the builders do, and install the render-once patch
(:func:`layers.render_once.install_render_once`) before they build a map.
"""
