"""The generator of the synthetic country Carana, in the order a run uses it.

- :mod:`~sample_data.carana.settings`: the knobs (projection, shape, names, period, pattern sizes).
- :mod:`~sample_data.carana.tables`: the weight tables incident codes are drawn from.
- :mod:`~sample_data.carana.geometry`: metres to rounded WGS84 and back.
- :mod:`~sample_data.carana.outline`, :mod:`~sample_data.carana.lines`,
  :mod:`~sample_data.carana.geography`: the coast, roads and river, admin areas and towns.
- :mod:`~sample_data.carana.presence`, :mod:`~sample_data.carana.political`,
  :mod:`~sample_data.carana.features`: field offices and bases, milestones, local processes and
  agreements, and the sites of the planted patterns.
- :mod:`~sample_data.carana.patterns`, :mod:`~sample_data.carana.incidents`: where and when
  incidents happen (background and planted patterns), then their codes and narratives.
- :mod:`~sample_data.carana.writers`: the deterministic GeoJSON, CSV and JSON writers.

:mod:`sample_data.generate` runs them from one random generator.
"""
