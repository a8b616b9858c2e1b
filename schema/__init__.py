"""The vocabulary every other package speaks: the ground floor.

Each layer's fields, code lists and labels (one module per layer), validation against
them (:mod:`schema.fields`), the layer catalogue (:mod:`schema.catalogue`), a mission's
layers together (:mod:`schema.mission`), the filter value (:mod:`schema.filters`), the
upload value and its limits and errors (:mod:`schema.upload`) and id comparison
(:mod:`schema.ids`).

Nothing here imports another pocmap package but :mod:`languages` (labels and messages are
written in English, marked, and said in the current language), nor a map, page or plotting
library (folium, branca, streamlit, matplotlib): ``docs/architecture.md`` says why, and
``tests/test_architecture.py`` checks it.
"""
