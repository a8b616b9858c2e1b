"""Proposed links: candidates in the windows, scored, the best one per report per other source."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from ingest.linking.nearby import close_pairs, haversine
from ingest.linking.prepared import Reports, prepare
from ingest.linking.rivals import losses
from ingest.linking.scores import agreement
from ingest.linking.tolerances import DATE_ORDER, LOCATION_ORDER, Tolerances
from ingest.linking.words import family_words, reasons
from languages import _, format_number

COLUMNS = ("a", "b", "score", "certain", "reason", "days", "km", "duplicate")


def candidate_links(events: pd.DataFrame, tolerances: Tolerances | None = None) -> pd.DataFrame:
    """Links proposed between reports of the same event.

    Parameters
    ----------
    events : one row per report: ``incident_id``, ``family`` (see
        :func:`ingest.linking.source_family`), ``date`` (datetime64 or dates),
        ``date_precision`` (day/week/month/year; empty: day), ``location_precision``
        (exact/approximate/admin2/admin1/country; empty or other: approximate),
        ``longitude``, ``latitude``, ``incident_type``, ``perpetrator_type``,
        ``perpetrator_name`` (optional), ``fatalities``. Reports without a date, or without a
        point unless placed only to the country, are not linked.
    tolerances : the windows, weights and thresholds (:class:`Tolerances`).

    Returns
    -------
    One row per proposed link: ``a``, ``b`` (incident ids, ``a < b``), ``score`` (0..1),
    ``certain`` (made without asking), ``reason`` (words), ``days`` (between the dates as
    given), ``km``, ``duplicate`` (True: two reports of one source, possibly one event
    reported twice; never certain). Links between different sources are one-to-one per pair
    of sources and score at least ``tolerances.possible``; sorted by ``a``, ``b``.
    """
    tol = tolerances or Tolerances()
    r = prepare(events)
    duplicates = _duplicates(r, tol)
    found = [_across(r, tol, duplicates), duplicates]
    found = [f for f in found if len(f)]
    if not found:
        return _empty()
    links = pd.concat(found, ignore_index=True)
    # Each link read as a then b (the smaller id first), its words in that order too.
    i, j = links["i"].to_numpy(), links["j"].to_numpy()
    swap = r.ids(i) > r.ids(j)
    links["i"], links["j"] = np.where(swap, j, i), np.where(swap, i, j)
    links["reason"] = [
        f"{words}{note}" for words, note in zip(reasons(r, links), links["note"], strict=True)
    ]
    links["a"], links["b"] = r.ids(links["i"].to_numpy()), r.ids(links["j"].to_numpy())
    out = links[list(COLUMNS)].sort_values(["a", "b"], ignore_index=True)
    return out.astype({"certain": bool, "duplicate": bool})


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": pd.Series(dtype=object),
            "b": pd.Series(dtype=object),
            "score": pd.Series(dtype=float),
            "certain": pd.Series(dtype=bool),
            "reason": pd.Series(dtype=object),
            "days": pd.Series(dtype=float),
            "km": pd.Series(dtype=float),
            "duplicate": pd.Series(dtype=bool),
        }
    )


def _across(r: Reports, tol: Tolerances, duplicates: pd.DataFrame) -> pd.DataFrame:
    """Links between sources: for each pair of sources, every pair in the windows, scored;
    then the best per report (one-to-one), kept if at least ``possible``; each judged by its
    rivals (:mod:`ingest.linking.rivals`; a possible duplicate of the partner is none)."""
    chosen = []
    twins = pd.DataFrame({"p": pd.Series(dtype=np.int64), "q": pd.Series(dtype=np.int64)})
    if len(duplicates):
        i, j = duplicates["i"].to_numpy(), duplicates["j"].to_numpy()
        twins = pd.DataFrame({"p": np.r_[i, j], "q": np.r_[j, i]})
    for f, g in itertools.combinations(range(len(r.families)), 2):
        i, j = _in_windows(r, f, g, tol)
        if not len(i):
            continue
        scored = agreement(r, i, j, tol)
        best = _one_to_one(scored[scored["score"] >= tol.possible], r)
        best["loss"] = losses(scored, best, twins)
        chosen.append(_judged(best, tol))
    return pd.concat(chosen, ignore_index=True) if chosen else pd.DataFrame()


def _in_windows(r: Reports, f: int, g: int, tol: Tolerances) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i of f, j of g)`` whose dates are at most ``days`` apart and whose points are
    within the distance their precisions allow.

    A k-d tree per pair of precision classes (place and date precision: a handful in real
    data), over the points' 3-d positions and the dates' midpoints, each scaled by that
    class pair's widest window: the trees' box search (a superset: a chord is shorter than
    its arc) is then checked exactly.
    """
    place_km = np.array([tol.place_km[name] for name in LOCATION_ORDER], dtype=float)
    mid, half = (r.start + r.end) / 2, (r.end - r.start) / 2
    # Day and week share a class (a week is only three days either side).
    klass = r.place_level * 8 + np.where(r.date_level <= 1, 0, r.date_level)
    in_f, in_g = np.flatnonzero(r.family == f), np.flatnonzero(r.family == g)
    if not len(in_f) or not len(in_g):
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    xyz = np.zeros((len(r), 3))
    xyz[in_f], xyz[in_g] = r.xyz(in_f), r.xyz(in_g)
    found_i, found_j = [], []
    for cf in np.unique(klass[in_f]):
        rows_f = in_f[klass[in_f] == cf]
        for cg in np.unique(klass[in_g]):
            rows_g = in_g[klass[in_g] == cg]
            reach_km = tol.km + place_km[cf // 8] + place_km[cg // 8]
            reach_days = tol.days + half[rows_f].max() + half[rows_g].max()
            scale = 0.0 if not np.isfinite(reach_km) else 1 / reach_km

            def points(rows: np.ndarray, scale: float = scale, reach: float = reach_days):
                return np.column_stack([xyz[rows] * scale, mid[rows] / max(reach, 1e-9)])

            pairs = cKDTree(points(rows_f)).sparse_distance_matrix(
                cKDTree(points(rows_g)), 1 + 1e-9, p=np.inf, output_type="ndarray"
            )
            found_i.append(rows_f[pairs["i"]])
            found_j.append(rows_g[pairs["j"]])
    if not found_i:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    gap = np.maximum(0.0, np.maximum(r.start[i] - r.end[j], r.start[j] - r.end[i]))
    reach = tol.km + place_km[r.place_level[i]] + place_km[r.place_level[j]]
    close = gap <= tol.days + 1e-9
    placed = close & np.isfinite(reach)  # else a report placed only to the country
    metres = haversine(r.lon[i[placed]], r.lat[i[placed]], r.lon[j[placed]], r.lat[j[placed]])
    close[placed] = metres <= reach[placed] * 1000 + 1e-6
    return i[close], j[close]


def _one_to_one(scored: pd.DataFrame, r: Reports) -> pd.DataFrame:
    """The best match per report, as MELTT selects them: best score first, each report taken
    once (ties: by the reports' ids). Found in rounds: each round takes every pair that is the
    best remaining for both its reports, which is what taking them one by one would take."""
    if scored.empty:
        return scored
    i, j = scored["i"].to_numpy(), scored["j"].to_numpy()
    # Ties by the reports' ids: each report's id read once, ranked.
    reports = np.unique(np.concatenate([i, j]))
    rank = np.empty(len(reports), dtype=np.int64)
    rank[np.argsort(r.ids(reports), kind="stable")] = np.arange(len(reports))
    order = np.lexsort(
        (
            rank[np.searchsorted(reports, j)],
            rank[np.searchsorted(reports, i)],
            -scored["score"].to_numpy(),
        )
    )
    ranked = scored.iloc[order].reset_index(drop=True)
    i, j = ranked["i"].to_numpy(), ranked["j"].to_numpy()
    alive = np.ones(len(ranked), dtype=bool)
    taken = np.zeros(len(ranked), dtype=bool)
    while alive.any():
        at = np.flatnonzero(alive)
        # Pairs are in rank order: a report's first alive pair is its best remaining.
        _found_i, first_i = np.unique(i[at], return_index=True)
        _found_j, first_j = np.unique(j[at], return_index=True)
        best_i = np.zeros(len(at), dtype=bool)
        best_j = np.zeros(len(at), dtype=bool)
        best_i[first_i], best_j[first_j] = True, True
        now = at[best_i & best_j]
        taken[now] = True
        alive &= ~np.isin(i, i[now]) & ~np.isin(j, j[now])
    return ranked[taken].reset_index(drop=True)


def _judged(best: pd.DataFrame, tol: Tolerances) -> pd.DataFrame:
    """Certain or not, and why not in words."""
    if best.empty:
        return best
    out = best.copy()
    high = out["score"] >= tol.certain
    coarse = out["coarse"].to_numpy()
    clear = out["loss"] >= np.where(coarse, tol.coarse_margin, tol.margin)
    out["certain"] = high & ~out["contradiction"] & ~out["country"] & clear
    notes = np.full(len(out), "", dtype=object)
    why: list[tuple[Any, str]] = [
        (out["contradiction"], _("; not certain: the perpetrators contradict")),
        (out["country"], _("; not certain: one is placed only to the country")),
        (
            coarse & ~clear,
            _("; not certain: a date or place known only roughly, and another report fits it too"),
        ),
        (~coarse & ~clear, _("; not certain: another report fits almost as well")),
    ]
    for flag, words in why:
        at = flag.to_numpy() & high.to_numpy()
        notes[at] = notes[at] + words
    low = ~high.to_numpy()
    notes[low] = [
        _(
            "; score {score}, below {certain}",
            score=format_number(s, digits=2),
            certain=format_number(tol.certain, digits=2),
        )
        for s in out["score"][low]
    ]
    out["note"] = notes
    out["duplicate"] = False
    return out


def _duplicates(r: Reports, tol: Tolerances) -> pd.DataFrame:
    """Possible duplicates within one source: the same day (and date precision), type and
    perpetrator, within ``duplicate_km``; never certain."""
    if not len(r):
        return pd.DataFrame()
    # One code per source, day and date precision (integers: factorised at C speed).
    span = int(r.day.max() - r.day.min()) + 1
    key = (r.family * len(DATE_ORDER) + r.date_level) * span + (r.day - r.day.min()).astype(
        np.int64
    )
    day, _uniques = pd.factorize(key)
    me, other, _metres = close_pairs(
        np.asarray(day, dtype=np.int64),
        r.type_code,
        r.lon,
        r.lat,
        len(r),
        metres=tol.duplicate_km * 1000,
        actors=r.actors,
    )
    once = me < other
    if not once.any():
        return pd.DataFrame()
    out = agreement(r, me[once], other[once], tol)
    out["certain"] = False
    out["duplicate"] = True
    families = r.families[r.family[out["i"].to_numpy()]]
    out["note"] = [
        _(
            "; possibly one report twice in {source}: same day, type and perpetrator",
            source=family_words(str(f)),
        )
        for f in families
    ]
    return out
