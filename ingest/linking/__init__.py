"""Reports of the same event from different sources (ACLED, UCDP GED, a mission's own), linked.

The method follows MELTT (Donnay, Dunford, McGrath, Backer and Cunningham, "Integrating
Conflict Event Data", Journal of Conflict Resolution 2019; R package ``meltt``): two
reports from different sources are candidates when they fall within a spatio-temporal window;
candidates are scored by how well their secondary characteristics agree, each on a taxonomy
whose broader levels count for less (incident type; perpetrator: name, type, side); each
report is matched to at most one report of each other source, the best first. What this adds:
the windows widen by each report's precision (a month-precision date is its whole month; an
admin1 point stands for its region; a country-level point for anywhere) instead of one window
for all; fatalities agree softly; contradicting perpetrators, near rivals, and rough dates or
places with other candidates make a link one an analyst confirms rather than one made without
asking; possible duplicates within one source need the same perpetrator. See
:class:`Tolerances` for the numbers, :func:`candidate_links` and :func:`groups`.

Pure: numpy, pandas, scipy and the schema only.
"""

from ingest.linking.candidates import candidate_links
from ingest.linking.groups import groups
from ingest.linking.tolerances import Tolerances, source_family

__all__ = ["Tolerances", "candidate_links", "groups", "source_family"]
