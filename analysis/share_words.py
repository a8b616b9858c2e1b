"""A share and its 95 % interval in words, for the tables that report proportions.

``share_words(8, 12)`` gives "67 % (95 % interval 39-86 %)" (with an en dash). The interval is
Wilson's score interval (scipy's ``binomtest(...).proportion_ci(method="wilson")``): unlike the
normal approximation it stays within 0-100 % and keeps its coverage for few incidents and
shares near 0 or 1, which is where these tables' rows often are.
"""

from __future__ import annotations

from scipy import stats

from analysis.effect_words import DASH, FEW_INCIDENTS, TIMES
from analysis.words import fixed, g, significant
from languages import N_, _

LEVEL = 0.95


def share_interval(k: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval for ``k`` of ``n``; ``(nan, nan)`` when ``n`` is 0.

    Parameters
    ----------
    k, n
        Successes and trials (incidents of the kind, incidents).
    level
        Confidence level.

    Returns
    -------
    tuple of float
        The interval's low and high bounds, as shares (0-1).
    """
    if n <= 0:
        return float("nan"), float("nan")
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)


def percent(share: float) -> str:
    """``0.423`` -> "42 %"; a share above 0 that rounds to 0 keeps one decimal ("0.4 %")."""
    return _("{number} %", number=_percent_number(share))


def _percent_number(share: float) -> str:
    value = 100 * share
    if 0 < value < 0.5:
        return fixed(value, 1)
    if 99.5 <= value < 100:  # "100 %" would claim all
        return fixed(min(value, 99.9), 1)
    return fixed(value, 0)


def share_words(k: int, n: int, level: float = LEVEL) -> str:
    """``k`` of ``n`` as a percentage with its interval: "67 % (95 % interval 39-86 %)"."""
    if n <= 0:
        return _("no incidents")
    return _("{share} ({interval})", share=percent(k / n), interval=interval_words(k, n, level))


def interval_words(k: int, n: int, level: float = LEVEL) -> str:
    """The interval alone, "95 % interval 39-86 %" (an en dash), for a sentence that
    places the share itself."""
    low, high = share_interval(k, n, level)
    return _(
        "{level} % interval {low}{dash}{high}",
        level=g(level * 100),
        low=_percent_number(low),
        dash=DASH,
        high=percent(high),
    )


def multiple(value: float) -> str:
    """A multiple as "1.9x", with a multiplication sign: two significant figures, whole from 10."""
    if value >= 10:
        return fixed(value, 0) + TIMES
    return significant(value) + TIMES


INCIDENTS = N_("incidents")


def few_caution(n: int, what: str = INCIDENTS) -> str:
    """The caution for a share resting on fewer than ``FEW_INCIDENTS``, else ``""``
    (``what``: what was counted, marked with ``N_``)."""
    if n >= FEW_INCIDENTS:
        return ""
    return _("few {what} ({n}): the interval is wide; the share may be chance", what=_(what), n=n)
