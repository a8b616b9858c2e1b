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
    known = " or ".join(part for part, n in (("the month", months), ("the year", years)) if n)
    n = int(coarse.sum())
    what = "event known only to " if n == 1 else "events known only to "
    verb = "was" if n == 1 else "were"
    return ~coarse, f"{n} {what}{known} {verb} not placed in day windows"


def placed(incidents: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Which incidents are places on the map (not known only to the country), and how many
    are not."""
    if "location_precision" not in incidents or not len(incidents):
        return np.ones(len(incidents), dtype=bool), 0
    country = np.isin(incidents["location_precision"].astype(object).to_numpy(), NOT_A_PLACE)
    return ~country, int(country.sum())


def left_off_words(n: int, where: str = "on the map or in cells") -> str:
    """The note for ``n`` incidents known only to the country ("" for none)."""
    if not n:
        return ""
    return (
        f"{n} incident{'' if n == 1 else 's'} known only to the country "
        f"{'was' if n == 1 else 'were'} left off (not placed {where})"
    )
