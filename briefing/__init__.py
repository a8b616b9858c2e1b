"""Briefings and exports of the current selection, rendered offline (no streamlit here).

- :mod:`briefing.disclosure`: what an output may show of the incidents (data responsibility);
- :mod:`briefing.selection`: the selection analysed and made safe to show;
- :mod:`briefing.figures`: the key figures, the period and filters in words, the sources;
- :mod:`briefing.render`: the briefing page as PNG or PDF (matplotlib);
- :mod:`briefing.exports`: GeoPackage, GeoJSON, CSV and standalone HTML exports.
"""
