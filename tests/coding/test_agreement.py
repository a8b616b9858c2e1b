"""Cohen's kappa against scikit-learn's (``cohen_kappa_score``) on many random and edge
cases, a textbook example worked by hand (kappa and its standard error), the standard
error against the spread of kappa over simulated samples, and Landis & Koch's words."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coding.agreement import (
    LEVELS,
    MIN_PAIRS_FOR_INTERVAL,
    agreement_table,
    cohen_kappa,
    level,
    per_code,
)
from languages import use
from schema.incidents import MOTIVATIONS


def _sklearn(first, second, labels=None) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns when kappa is undefined (NaN)
        return float(cohen_kappa_score(first, second, labels=labels))


def _same(ours: float, theirs: float) -> bool:
    return (math.isnan(ours) and math.isnan(theirs)) or math.isclose(ours, theirs, abs_tol=1e-12)


def _random_case(rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """Two coders who agree with a random probability, over a random number of codes used
    with random (often very unbalanced) frequencies."""
    n = int(rng.integers(1, 80))
    k = int(rng.integers(1, len(MOTIVATIONS) + 1))
    codes = list(rng.choice(MOTIVATIONS, size=k, replace=False))
    weights = rng.dirichlet(np.full(k, rng.choice([0.2, 1.0, 5.0])))
    first = list(rng.choice(codes, size=n, p=weights))
    agree = rng.uniform()
    second = [a if rng.uniform() < agree else str(rng.choice(codes)) for a in first]
    return [str(c) for c in first], second


def test_kappa_equals_sklearns_on_many_random_cases():
    rng = np.random.default_rng(23)
    undefined = 0
    for _ in range(500):
        first, second = _random_case(rng)
        ours = cohen_kappa(first, second)
        assert _same(ours.kappa, _sklearn(first, second)), (first, second)
        # Codes nobody gave change nothing.
        assert _same(cohen_kappa(first, second, MOTIVATIONS).kappa, ours.kappa)
        assert _same(ours.kappa, _sklearn(first, second, labels=list(MOTIVATIONS)))
        assert ours.observed == pytest.approx(np.mean(np.array(first) == np.array(second)))
        undefined += math.isnan(ours.kappa)
    assert 0 < undefined < 100  # the undefined case was met, and was not most cases


def test_per_motivation_kappa_is_sklearns_one_against_the_rest():
    rng = np.random.default_rng(5)
    for _ in range(200):
        first, second = _random_case(rng)
        rows = per_code(first, second, MOTIVATIONS)
        assert [r.code for r in rows] == [m for m in MOTIVATIONS if m in {*first, *second}]
        for row in rows:
            a = [c == row.code for c in first]
            b = [c == row.code for c in second]
            assert _same(row.kappa, _sklearn(a, b)), (row.code, first, second)
            assert (row.first_uses, row.second_uses) == (sum(a), sum(b))
            assert row.pairs == len(first)


@pytest.mark.parametrize(
    ("first", "second", "expected", "words"),
    [
        # All agree, over several codes: perfect.
        (["predation", "revenge", "political"] * 4, ["predation", "revenge", "political"] * 4,
         1.0, "almost perfect agreement"),
        # None agree, two codes swapped: the worst there is.
        (["predation", "revenge"] * 5, ["revenge", "predation"] * 5, -1.0,
         "poor agreement (less than chance)"),
        # One code only, both coders: chance agreement is 1, kappa is undefined.
        (["revenge"] * 7, ["revenge"] * 7, math.nan,
         "undefined (both coders used a single code)"),
        # Unbalanced: 98 of one code, the coders differ on the two rare items.
        (["revenge"] * 98 + ["political", "revenge"], ["revenge"] * 98 + ["revenge", "political"],
         None, "poor agreement (less than chance)"),
        # One coder uses one code only: no agreement beyond chance.
        (["revenge", "political", "revenge", "predation"], ["revenge"] * 4, 0.0,
         "slight agreement"),
    ],
)  # fmt: skip
def test_edge_cases(first, second, expected, words):
    found = cohen_kappa(first, second)
    reference = _sklearn(first, second)
    assert _same(found.kappa, reference)
    if expected is not None:
        assert _same(found.kappa, expected)
    assert found.words == words


def test_a_textbook_example_worked_by_hand():
    # 50 items, yes/no: both yes 20, first yes second no 5, first no second yes 10, both no
    # 15. p_o = 35/50 = 0.7; p_e = 0.5 x 0.6 + 0.5 x 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    found = cohen_kappa(first, second, labels=["yes", "no"])
    assert (found.pairs, found.observed, found.expected) == (50, pytest.approx(0.7), 0.5)
    assert found.kappa == pytest.approx(0.4)
    assert found.words == "fair agreement"  # 0.40 is the top of "fair"
    # Fleiss, Cohen & Everitt (1969), by hand: p = [[.4, .1], [.2, .3]], rows .5/.5, columns
    # .6/.4, 1 - kappa = .6.
    #   A = .4 (1 - 1.1 x .6)^2 + .3 (1 - .9 x .6)^2           = .04624 + .06348 = .10972
    #   B = .36 [.1 (.6 + .5)^2 + .2 (.4 + .5)^2] = .36 x .283 = .10188
    #   C = (.4 - .5 x .6)^2                                     = .01
    #   var = (A + B - C) / (50 x .5^2) = .2016 / 12.5 = .016128; SE = .126996
    assert found.se == pytest.approx(math.sqrt(0.016128), abs=1e-9)
    assert found.low == pytest.approx(0.4 - 1.959964 * 0.126996, abs=1e-5)
    assert found.high == pytest.approx(0.4 + 1.959964 * 0.126996, abs=1e-5)


def test_the_standard_error_is_the_spread_of_kappa_over_samples():
    """The large-sample SE at n = 400 is kappa's standard deviation over 1,000 simulated
    samples of a three-code population, within 10%."""
    p = np.array([[0.30, 0.05, 0.02], [0.04, 0.25, 0.06], [0.03, 0.05, 0.20]])
    codes = ["predation", "revenge", "political"]
    cells = [(a, b) for a in codes for b in codes]
    rng = np.random.default_rng(1969)
    kappas, errors = [], []
    for counts in rng.multinomial(400, p.ravel(), size=1000):
        pairs = [cell for cell, n in zip(cells, counts, strict=True) for _ in range(n)]
        found = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs], codes)
        kappas.append(found.kappa)
        errors.append(found.se)
    assert np.mean(errors) == pytest.approx(np.std(kappas), rel=0.10)
    # And the interval covers the population's kappa about 95% of the time.
    observed, expected = np.trace(p), p.sum(axis=1) @ p.sum(axis=0)
    truth = (observed - expected) / (1 - expected)
    covered = np.mean([abs(k - truth) <= 1.959964 * e for k, e in zip(kappas, errors, strict=True)])
    assert 0.92 <= covered <= 0.98


def test_no_interval_below_the_minimum_pairs_or_when_every_pair_agrees():
    few = cohen_kappa(["a", "b"] * 7 + ["a"], ["a", "b"] * 7 + ["b"])
    assert few.pairs < MIN_PAIRS_FOR_INTERVAL and few.se is not None
    assert (few.low, few.high) == (None, None)
    perfect = cohen_kappa(["a", "b"] * 20, ["a", "b"] * 20)
    assert perfect.kappa == 1.0 and perfect.se == 0.0 and perfect.low is None
    none = cohen_kappa([], [])
    assert none.pairs == 0 and math.isnan(none.kappa) and none.level == "undefined"


@pytest.mark.parametrize(
    ("kappa", "expected"),
    [
        (-0.01, "poor"), (0.0, "slight"), (0.20, "slight"), (0.2001, "fair"), (0.40, "fair"),
        (0.41, "moderate"), (0.60, "moderate"), (0.61, "substantial"), (0.80, "substantial"),
        (0.81, "almost_perfect"), (1.0, "almost_perfect"), (math.nan, "undefined"),
    ],
)  # fmt: skip
def test_landis_and_koch_levels(kappa, expected):
    assert level(kappa) == expected


def test_the_table_is_overall_then_each_motivation_given():
    first = ["predation", "revenge", "revenge", "political"]
    second = ["predation", "revenge", "political", "political"]
    table = agreement_table(first, second, MOTIVATIONS)
    assert [row.code for row in table] == [None, "predation", "revenge", "political"]
    assert table[0].kappa == pytest.approx(_sklearn(first, second))


def test_unequal_lists_or_unknown_codes_are_refused():
    with pytest.raises(ValueError, match="first coder gave 2 codes and the second 1"):
        cohen_kappa(["a", "b"], ["a"])
    with pytest.raises(ValueError, match=r"codes \['greed'\] are not among the labels"):
        cohen_kappa(["greed"], ["revenge"], MOTIVATIONS)


def test_the_words_in_french():
    with use("fr"):
        assert cohen_kappa(["a", "b"] * 20, ["a", "b"] * 20).words == "accord presque parfait"
        assert {LEVELS[k] for k in LEVELS} >= {"accord substantiel", "accord modéré"}
