"""The interactive map: each layer's style and folium builder, and the maps composed of them.

The vocabulary the layers draw (fields, codes, labels) is ``schema``. Importing this
package loads nothing of folium and patches nothing; the map builders install the
render-once patch (:func:`layers.render_once.install_render_once`) before they build.
"""
