"""Agreement between two coders: Cohen's kappa, overall and per motivation, in words.

Pure: codes in, numbers out. Cohen's kappa (Cohen 1960) is the agreement observed beyond
the agreement expected by chance from each coder's own use of the codes:
``kappa = (p_o - p_e) / (1 - p_e)``. Per motivation it is the binary kappa of "this
motivation or not" (one against the rest), which says which codes the coders read alike.

The interval is the large-sample one: ``kappa ± 1.96 SE`` with the standard error of
Fleiss, Cohen & Everitt (1969), "Large sample standard errors of kappa and weighted kappa",
*Psychological Bulletin* 72(5), 323-327 (Fleiss, Levin & Paik 2003, eq. 18.15). It is
given only from :data:`MIN_PAIRS_FOR_INTERVAL` pairs and when the standard error is not 0:
with fewer pairs, or when every pair agrees (the error is then 0), a normal interval is
too narrow to be trusted, and no interval is better than a false one.

The words are Landis & Koch's (1977), "The measurement of observer agreement for
categorical data", *Biometrics* 33(1), 159-174: below 0 poor, up to 0.20 slight, 0.40
fair, 0.60 moderate, 0.80 substantial, above almost perfect.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from languages import N_, Labels

MIN_PAIRS_FOR_INTERVAL = 30
Z_95 = 1.959963984540054  # the normal distribution's 97.5th percentile

LEVELS = Labels(
    {
        "undefined": N_("undefined (both coders used a single code)"),
        "poor": N_("poor agreement (less than chance)"),
        "slight": N_("slight agreement"),
        "fair": N_("fair agreement"),
        "moderate": N_("moderate agreement"),
        "substantial": N_("substantial agreement"),
        "almost_perfect": N_("almost perfect agreement"),
    }
)
"""Landis & Koch's (1977) words for a kappa."""
_UPPER = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
)


def level(kappa: float) -> str:
    """Landis & Koch's level of ``kappa`` (a key of :data:`LEVELS`); ``undefined`` for NaN.

    A kappa below 0 is ``poor``; a bound belongs to the lower level (0.20 is slight, 0.21
    fair), as Landis & Koch's table reads (0.00-0.20, 0.21-0.40, ...).
    """
    if math.isnan(kappa):
        return "undefined"
    if kappa < 0:
        return "poor"
    for upper, name in _UPPER:
        if kappa <= upper + 1e-12:
            return name
    return "almost_perfect"


@dataclass(frozen=True)
class Agreement:
    """Cohen's kappa of two coders' codes of the same items.

    ``kappa`` is NaN when undefined (no pair, or both coders used one same code only, so
    chance agreement is 1). ``low``/``high``: the 95% interval, ``None`` when not given
    (module docstring). ``first_uses``/``second_uses``: per-motivation rows only, how many
    items each coder gave that motivation.
    """

    pairs: int
    observed: float
    expected: float
    kappa: float
    se: float | None
    low: float | None
    high: float | None
    code: str | None = None
    first_uses: int | None = None
    second_uses: int | None = None

    @property
    def level(self) -> str:
        """Landis & Koch's level (a key of :data:`LEVELS`)."""
        return level(self.kappa)

    @property
    def words(self) -> str:
        """The level in words, in the current language: ``substantial agreement``."""
        return LEVELS[self.level]


def _confusion(first: Sequence[str], second: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    index = {code: n for n, code in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)), dtype=float)
    for a, b in zip(first, second, strict=True):
        table[index[a], index[b]] += 1
    return table


def _fleiss_se(p: np.ndarray, kappa: float, expected: float, n: int) -> float:
    """Fleiss, Cohen & Everitt's (1969) large-sample standard error of ``kappa`` (not under
    the null hypothesis), from the table of proportions ``p`` (rows: first coder)."""
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    diagonal = np.diag(p)
    a = float(np.sum(diagonal * (1 - (rows + cols) * (1 - kappa)) ** 2))
    # Off the diagonal, cell (i, j) weighs (p.i + pj.)^2: column i's and row j's marginals.
    weights = (cols[:, None] + rows[None, :]) ** 2
    off = p * weights
    b = (1 - kappa) ** 2 * float(off.sum() - np.trace(off))
    c = (kappa - expected * (1 - kappa)) ** 2
    variance = max(a + b - c, 0.0) / (n * (1 - expected) ** 2)
    return math.sqrt(variance)


def cohen_kappa(
    first: Sequence[str], second: Sequence[str], labels: Sequence[str] | None = None
) -> Agreement:
    """Cohen's kappa of ``first[i]`` and ``second[i]``, two coders' codes of item ``i``.

    Parameters
    ----------
    first, second : the codes, one per item, in the same order.
    labels : every code that could be given (default: those given); codes neither coder
        gave change nothing.

    Raises
    ------
    ValueError
        when the two lists differ in length or a code is not among ``labels``.
    """
    first, second = [str(c) for c in first], [str(c) for c in second]
    if len(first) != len(second):
        raise ValueError(
            f"the first coder gave {len(first)} codes and the second {len(second)}; "
            "kappa compares codes of the same items, one each"
        )
    codes = list(labels) if labels is not None else sorted(set(first) | set(second))
    unknown = sorted((set(first) | set(second)) - set(codes))
    if unknown:
        raise ValueError(f"codes {unknown} are not among the labels {codes}")
    n = len(first)
    if n == 0:
        return Agreement(0, math.nan, math.nan, math.nan, None, None, None)
    p = _confusion(first, second, codes) / n
    observed = float(np.trace(p))
    expected = float(p.sum(axis=1) @ p.sum(axis=0))
    if expected >= 1 - 1e-12:
        return Agreement(n, observed, expected, math.nan, None, None, None)
    kappa = (observed - expected) / (1 - expected)
    se = _fleiss_se(p, kappa, expected, n)
    low = high = None
    if n >= MIN_PAIRS_FOR_INTERVAL and se > 0:
        low, high = max(-1.0, kappa - Z_95 * se), min(1.0, kappa + Z_95 * se)
    return Agreement(n, observed, expected, kappa, se, low, high)


def per_code(first: Sequence[str], second: Sequence[str], labels: Sequence[str]) -> list[Agreement]:
    """One row per code of ``labels`` that either coder gave: the binary kappa of "this
    code or another" (one against the rest), with how often each coder gave it."""
    rows = []
    for code in labels:
        a = ["yes" if c == code else "no" for c in first]
        b = ["yes" if c == code else "no" for c in second]
        uses = (a.count("yes"), b.count("yes"))
        if not any(uses):
            continue
        found = cohen_kappa(a, b, labels=["yes", "no"])
        rows.append(
            Agreement(
                **{**found.__dict__, "code": code, "first_uses": uses[0], "second_uses": uses[1]}
            )
        )
    return rows


def agreement_table(
    first: Sequence[str], second: Sequence[str], labels: Sequence[str]
) -> list[Agreement]:
    """The overall kappa (``code`` None) followed by :func:`per_code`'s rows."""
    return [cohen_kappa(first, second, labels), *per_code(first, second, labels)]
