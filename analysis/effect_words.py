"""A rate ratio and its interval in words, for a table row a reader can weigh.

``ratio_words(3.1, 2.2, 4.3)`` gives "about 3.1x the rate before, 95 % interval 2.2-4.3x" (written
with a multiplication sign and an en dash).
Ratios are rounded to two significant figures (one for whole numbers from 3 up): the
interval, not the third digit, is what the reader needs.
"""

from __future__ import annotations

import math

from analysis.words import g, significant
from languages import N_, _

TIMES = "\u00d7"
DASH = "\u2013"

FEW_INCIDENTS = 10
"""Fewer incidents than this in the two windows compared: the interval is too wide for a
verdict either way, and the row says so."""


def _fmt(value: float) -> str:
    if value == math.inf:
        return "∞"
    if value == 0:
        return "0"
    if value >= 3:
        return g(round(value)) if value >= 10 else g(float(f"{value:.1f}"))
    return significant(value)


THE_RATE_BEFORE = N_("the rate before")


def ratio_words(ratio: float, low: float, high: float, baseline: str = THE_RATE_BEFORE) -> str:
    """``ratio`` (second rate / first) with its 95 % interval, in words.

    Parameters
    ----------
    ratio, low, high
        The rate ratio and its 95 % interval (NaN when nothing can be compared).
    baseline
        What the ratio is relative to ("the rate before", "the previous 90 days"), in
        the reader's language (an English one marked with ``N_`` is translated here).

    Returns
    -------
    str
        E.g. "about 3x the rate before, 95 % interval 2-4x" (with the signs);
        "no comparison possible" when the ratio is NaN and there is no interval.
    """
    baseline = _(baseline)
    if not (ratio == ratio) and not (high == high):
        return _("no comparison possible")
    if not (ratio == ratio):  # nothing in either window: only the interval is known
        return _(
            "no incidents in either window (95 % interval 0{dash}{high}{times})",
            dash=DASH,
            high=_fmt(high),
            times=TIMES,
        )
    interval = {"low": _fmt(low), "high": _fmt(high), "dash": DASH, "times": TIMES}
    if ratio == math.inf:
        return _(
            "from none to some: no finite multiple of {baseline}, "
            "95 % interval {low}{dash}{high}{times}",
            baseline=baseline,
            **interval,
        )
    return _(
        "about {ratio}{times} {baseline}, 95 % interval {low}{dash}{high}{times}",
        ratio=_fmt(ratio),
        baseline=baseline,
        **interval,
    )


IN_THE_TWO_WINDOWS = N_("in the two windows")


def few_words(n: int, what: str = IN_THE_TWO_WINDOWS) -> str:
    """The caution for a row with fewer than :data:`FEW_INCIDENTS` incidents, else ``""``.

    ``what`` says where they were counted ("around signature"), marked with ``N_``."""
    if n >= FEW_INCIDENTS:
        return ""
    return _(
        "few incidents ({n} {what}): the interval is wide and the test cannot tell a "
        "change from chance",
        n=n,
        what=_(what),
    )
