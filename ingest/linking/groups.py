"""Linked reports as events: which report is counted, and the range of their death tolls."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ingest.linking.tolerances import DATE_ORDER, LOCATION_ORDER, family_rank

OUT_COLUMNS = ("event_group", "counted", "fatalities_low", "fatalities_high")


def groups(events: pd.DataFrame, links: pd.DataFrame, priority: Sequence[str]) -> pd.DataFrame:
    """The events the links in force make: one row per report in a group of two or more.

    Parameters
    ----------
    events : one row per report: ``incident_id``, ``family``, ``fatalities``; optional
        ``fatalities_low``/``fatalities_high`` (a report's own range), ``location_precision``,
        ``date_precision``, ``perpetrator_type`` (to break ties between reports of one family).
    links : the links in force: ``a``, ``b`` (incident ids); optional ``score`` (stronger
        links are kept first when links disagree). Links naming a report not in ``events``
        are left out.
    priority : families most preferred first, e.g. ``('office', 'UCDP GED', 'ACLED')``;
        ``'office'`` stands for every mission office's family (``'office: <name>'``, which may
        also be listed itself). Unlisted families come last.

    Returns
    -------
    Indexed by ``incident_id``: ``event_group`` (the counted report's id), ``counted`` (True for
    exactly one report per group: the one of the most preferred family; ties: fewer unknowns
    and better precision, then the smaller id), ``fatalities_low`` and ``fatalities_high``
    (the least and most of the group's figures, each report's own low/high included).

    Connected reports form one event, but a group never holds two reports of one family unless
    a link between reports of that family says so: where links would join them (A1-U1-M1-A2),
    links are added strongest first and a link that would is left out.
    """
    at = pd.Index(events["incident_id"].astype(str))
    if not at.is_unique:
        repeated = at[at.duplicated()].unique()[:5].tolist()
        raise ValueError(f"incident_id repeats in the events: {repeated}; expected each once")
    a = at.get_indexer(pd.Index(links["a"].astype(str))) if len(links) else np.array([], np.int64)
    b = at.get_indexer(pd.Index(links["b"].astype(str))) if len(links) else np.array([], np.int64)
    score = (
        pd.to_numeric(links["score"], errors="coerce").fillna(1.0).to_numpy(dtype=float)
        if "score" in links and len(links)
        else np.ones(len(a))
    )
    known = (a >= 0) & (b >= 0) & (a != b)
    if not known.any():
        return _empty()
    # Only the reports some link names are read again (a few among a million).
    named, inverse = np.unique(np.r_[a[known], b[known]], return_inverse=True)
    a, b = inverse[: known.sum()], inverse[known.sum() :]
    score = score[known]
    events = events.iloc[named]
    ids = events["incident_id"].astype(str).to_numpy(dtype=object)
    n = len(ids)
    family, _ = pd.factorize(events["family"].astype(str))
    label = _components(n, a, b)
    same = family[a] == family[b]
    # Reports of one family joined only by their own family's links ("allowed" together).
    allowed = _components(n, a[same], b[same])
    clash = _clashing(label, family, allowed)
    if clash.any():
        label = _split(label, clash, a, b, score, same, family, allowed)
    sizes = np.bincount(label, minlength=n)
    in_group = np.flatnonzero(sizes[label] >= 2)
    if not len(in_group):
        return _empty()
    counted = _counted(events, ids, label, in_group, priority)
    low, high = _fatalities(events, label, in_group)
    out = pd.DataFrame(
        {
            "event_group": ids[counted[label[in_group]]],
            "counted": counted[label[in_group]] == in_group,
            "fatalities_low": low,
            "fatalities_high": high,
        },
        index=pd.Index(ids[in_group], name="incident_id"),
    )
    return out.astype({"fatalities_low": "Int64", "fatalities_high": "Int64"})


def _empty() -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "event_group": pd.Series(dtype=object),
            "counted": pd.Series(dtype=bool),
            "fatalities_low": pd.Series(dtype="Int64"),
            "fatalities_high": pd.Series(dtype="Int64"),
        }
    )
    out.index.name = "incident_id"
    return out


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _clashing(label: np.ndarray, family: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Per component: whether it holds two reports of one family not joined by that family's
    own links."""
    pieces = pd.DataFrame({"group": label, "family": family, "allowed": allowed})
    per_family = pieces.drop_duplicates().groupby(["group", "family"]).size()
    bad = per_family[per_family > 1].index.get_level_values("group").unique()
    clash = np.zeros(label.max() + 1 if len(label) else 0, dtype=bool)
    clash[np.asarray(bad, dtype=np.int64)] = True
    return clash


def _split(
    label: np.ndarray,
    clash: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    score: np.ndarray,
    same: np.ndarray,
    family: np.ndarray,
    allowed: np.ndarray,
) -> np.ndarray:
    """Components that clash, rebuilt link by link (a family's own links first, then the
    strongest): a link that would join two reports of one family is left out. Few components
    clash; only their links are walked."""
    label = label.copy()
    involved = clash[label[a]]
    a, b, score, same = a[involved], b[involved], score[involved], same[involved]
    order = np.lexsort((b, a, -score, ~same))
    parent: dict[int, int] = {}
    pieces: dict[int, set[tuple[int, int]]] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for k in order:
        x, y = int(a[k]), int(b[k])
        rx, ry = root(x), root(y)
        if rx == ry:
            continue
        joined = pieces.get(rx, {(int(family[x]), int(allowed[x]))}) | pieces.get(
            ry, {(int(family[y]), int(allowed[y]))}
        )
        # At most one piece per family: pieces their own family's links did not join stay apart.
        if len({f for f, _ in joined}) < len(joined):
            continue
        parent[ry] = rx
        pieces[rx] = joined
        pieces.pop(ry, None)
    members = np.flatnonzero(clash[label])
    fresh = label.max() + 1
    roots = np.array([root(int(x)) for x in members], dtype=np.int64)
    label[members] = fresh + roots
    return np.unique(label, return_inverse=True)[1]


def _counted(
    events: pd.DataFrame,
    ids: np.ndarray,
    label: np.ndarray,
    in_group: np.ndarray,
    priority: Sequence[str],
) -> np.ndarray:
    """Per group label: the position of the report counted."""
    families = events["family"].astype(str).to_numpy()[in_group]
    ranks = pd.Series(families).map(lambda f: _rank(f, priority)).to_numpy()
    unknowns = np.zeros(len(in_group), dtype=np.int64)
    orders: tuple[tuple[str, tuple[str, ...], int], ...] = (
        ("location_precision", LOCATION_ORDER, 1),  # none given: approximate
        ("date_precision", DATE_ORDER, 0),  # none given: the day
    )
    for column, codes, default in orders:
        if column in events:
            level = pd.Index(codes).get_indexer(events[column].astype(str).to_numpy()[in_group])
            unknowns += np.where(level < 0, default, level)
    if "perpetrator_type" in events:
        perpetrator = events["perpetrator_type"].to_numpy(dtype=object)[in_group]
        unknowns += pd.isna(perpetrator) | (perpetrator == "unidentified")
    unknowns += pd.isna(events["fatalities"].to_numpy(dtype=object)[in_group])
    order = np.lexsort((ids[in_group], unknowns, ranks, label[in_group]))
    group_sorted = label[in_group][order]
    first = np.r_[True, group_sorted[1:] != group_sorted[:-1]]
    counted = np.full(label.max() + 1, -1, dtype=np.int64)
    counted[group_sorted[first]] = in_group[order][first]
    return counted


def _rank(family: str, priority: Sequence[str]) -> int:
    listed = list(priority)
    return listed.index(family) if family in listed else family_rank(family, tuple(listed))


def _fatalities(
    events: pd.DataFrame, label: np.ndarray, in_group: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each report's group's least and most death toll (NaN: none given)."""
    figures = [
        pd.to_numeric(events[c], errors="coerce").to_numpy(dtype=float)[in_group]
        for c in ("fatalities", "fatalities_low", "fatalities_high")
        if c in events
    ]
    stacked = np.column_stack(figures)
    frame = pd.DataFrame(
        {
            "group": label[in_group],
            "low": np.nanmin(np.where(np.isnan(stacked), np.inf, stacked), 1),
        }
    )
    frame["high"] = np.nanmax(np.where(np.isnan(stacked), -np.inf, stacked), 1)
    per = frame.groupby("group").agg(low=("low", "min"), high=("high", "max"))
    low = per["low"].reindex(label[in_group]).to_numpy()
    high = per["high"].reindex(label[in_group]).to_numpy()
    return np.where(np.isinf(low), np.nan, low), np.where(np.isinf(high), np.nan, high)
