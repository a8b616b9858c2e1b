"""A rate ratio and its interval in words, for a table row a reader can weigh.

``ratio_words(3.1, 2.2, 4.3)`` gives "about 3.1x the rate before, 95 % interval 2.2-4.3x" (written
with a multiplication sign and an en dash).
Ratios are rounded to two significant figures (one for whole numbers from 3 up): the
interval, not the third digit, is what the reader needs.
"""

from __future__ import annotations

import math

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
        return f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")
    return f"{float(f'{value:.2g}'):g}"


def ratio_words(ratio: float, low: float, high: float, baseline: str = "the rate before") -> str:
    """``ratio`` (second rate / first) with its 95 % interval, in words.

    Parameters
    ----------
    ratio, low, high
        The rate ratio and its 95 % interval (NaN when nothing can be compared).
    baseline
        What the ratio is relative to ("the rate before", "the previous 90 days").

    Returns
    -------
    str
        E.g. "about 3x the rate before, 95 % interval 2-4x" (with the signs);
        "no comparison possible" when the ratio is NaN and there is no interval.
    """
    if not (ratio == ratio) and not (high == high):
        return "no comparison possible"
    if not (ratio == ratio):  # nothing in either window: only the interval is known
        return f"no incidents in either window (95 % interval 0{DASH}{_fmt(high)}{TIMES})"
    if ratio == math.inf:
        head = f"from none to some: no finite multiple of {baseline}"
    else:
        head = f"about {_fmt(ratio)}{TIMES} {baseline}"
    return f"{head}, 95 % interval {_fmt(low)}{DASH}{_fmt(high)}{TIMES}"


def few_words(n: int, what: str = "in the two windows") -> str:
    """The caution for a row with fewer than :data:`FEW_INCIDENTS` incidents, else ``""``."""
    if n >= FEW_INCIDENTS:
        return ""
    return (
        f"few incidents ({n} {what}): the interval is wide and the test cannot tell a "
        "change from chance"
    )
