"""What each incident's date and place are precise enough for.

A source that knows an event only to the month (ACLED ``time_precision`` 3, UCDP
``date_prec`` 4-5) still gives it a day, one the source chose inside the month: such an
event counts in monthly and yearly tallies but is not placed in a window of days. A point
known only to the country (UCDP ``where_prec`` 6-7) is counted but never drawn or binned
as a place. Both are said in the result's notes, with how many.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from languages import N_, _, ngettext

COARSE_DATES = ("month", "year")
"""Date precisions too coarse for windows of days (``schema.incidents.DATE_PRECISIONS``)."""

NOT_A_PLACE = ("country",)
"""Location precisions that are no place on the map (``schema.incidents.LOCATION_PRECISIONS``)."""


def in_day_windows(incidents: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Which incidents can be placed in windows of days, and a note on those that cannot.

    Returns
    -------
    ``(keep, note)``: ``keep`` per incident (all True without a ``date_precision``
    column); ``note`` is empty when every incident is kept, else e.g. "3 events known
    only to the month were not placed in day windows".
    """
    if "date_precision" not in incidents or not len(incidents):
        return np.ones(len(incidents), dtype=bool), ""
    precision = incidents["date_precision"].astype(object).to_numpy()
    coarse = np.isin(precision, COARSE_DATES)
    if not coarse.any():
        return ~coarse, ""
    months = int((precision == "month").sum())
    years = int(coarse.sum()) - months
    n = int(coarse.sum())
    if months and years:
        note = ngettext(
            "{n} event known only to the month or the year was not placed in day windows",
            "{n} events known only to the month or the year were not placed in day windows",
            n,
        )
    elif months:
        note = ngettext(
            "{n} event known only to the month was not placed in day windows",
            "{n} events known only to the month were not placed in day windows",
            n,
        )
    else:
        note = ngettext(
            "{n} event known only to the year was not placed in day windows",
            "{n} events known only to the year were not placed in day windows",
            n,
        )
    return ~coarse, note


def placed(incidents: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Which incidents are places on the map (not known only to the country), and how many
    are not."""
    if "location_precision" not in incidents or not len(incidents):
        return np.ones(len(incidents), dtype=bool), 0
    country = np.isin(incidents["location_precision"].astype(object).to_numpy(), NOT_A_PLACE)
    return ~country, int(country.sum())


ON_THE_MAP_OR_IN_CELLS = N_("on the map or in cells")
IN_CELLS = N_("in cells")
IN_ANY_AGREEMENTS_AREA = N_("in any agreement's area")


def left_off_words(n: int, where: str = ON_THE_MAP_OR_IN_CELLS) -> str:
    """The note for ``n`` incidents known only to the country ("" for none); ``where``
    they were not placed (one of the ``N_`` phrases above)."""
    if not n:
        return ""
    return ngettext(
        "{n} incident known only to the country was left off (not placed {where})",
        "{n} incidents known only to the country were left off (not placed {where})",
        n,
        where=_(where),
    )
