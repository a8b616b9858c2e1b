"""A batch's rows beside the stored events they are linked to or may repeat (review page).

An analyst reviewing a batch wants each row next to what the store already holds of the
same event: the links kept in the store (``store.links``: made when the batch came into
analysis, or decided by an analyst) and, for a batch still under review (not linked yet),
the links ``ingest.linking`` would propose now between its rows and the events in
analysis. Pairs of one source are *possible duplicates* (the same report sent twice);
pairs across sources are *possible links* (one event, reported by two sources). Pure:
pandas and the linking only; the caller passes what the person may see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ingest import linking
from ingest.relink import as_events, tolerances_from_env
from languages import N_, Labels

PAIR_COLUMNS = ("row_id", "stored_id", "kind", "score", "reason")
KINDS = Labels(
    {
        "linked": N_("same event (linked by pocmap)"),
        "confirmed": N_("same event (confirmed by an analyst)"),
        "queued": N_("same event? waiting for an analyst"),
        "split": N_("two events (split by an analyst)"),
        "would_link": N_("same event (will be linked once accepted)"),
        "possible_link": N_("possible same event from another source"),
        "possible_duplicate": N_("possible duplicate from the same source"),
    }
)
"""What a pair is, in words: a link kept in the store (its status), or one proposed now."""
COMPARED = ("incident_id", "date", "place", "incident_type", "fatalities", "source", "narrative")
"""What the review shows of each side of a pair."""


def review_pairs(
    rows: pd.DataFrame,
    stored: pd.DataFrame,
    links: pd.DataFrame,
    *,
    office: str,
    stored_offices: Mapping[int, str],
    tolerances: linking.Tolerances | None = None,
) -> pd.DataFrame:
    """Each row of a batch paired with a stored event it is linked to or may repeat.

    Parameters
    ----------
    rows : the batch's incidents (with geometry and ``incident_id``).
    stored : incidents in analysis (the batch's own rows among them are left out).
    links : the store's links (``store.links.LINK_COLUMNS``); empty when the caller may
        not read them.
    office : the office that sent the batch (its source family for a row without one).
    stored_offices : ``{batch_id: office}`` of the stored incidents' batches.
    tolerances : the linking's windows (default: from the environment).

    Returns
    -------
    :data:`PAIR_COLUMNS`, one line per pair, links kept in the store first, then those
    proposed now (best score first); ``kind`` is a key of :data:`KINDS`.
    """
    mine = set(rows["incident_id"].astype(str)) if len(rows) else set()
    if not mine:
        return _empty()
    stored = stored[~stored["incident_id"].astype(str).isin(mine)]
    kept = _kept(links, mine)
    found = _proposed(rows, stored, office, stored_offices, tolerances)
    if len(kept) and len(found):
        known = set(zip(kept["row_id"], kept["stored_id"], strict=True))
        pairs = list(zip(found["row_id"], found["stored_id"], strict=True))
        found = found[[p not in known for p in pairs]]
    out = pd.concat([f for f in (kept, found) if len(f)] or [_empty()], ignore_index=True)
    return out[list(PAIR_COLUMNS)]


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype=float if c == "score" else object) for c in PAIR_COLUMNS}
    )


def _kept(links: pd.DataFrame, mine: set[str]) -> pd.DataFrame:
    """The store's links between one of the batch's rows and an event outside it."""
    if not len(links):
        return _empty()
    a, b = links["a"].astype(str), links["b"].astype(str)
    a_mine, b_mine = a.isin(mine).to_numpy(), b.isin(mine).to_numpy()
    across = a_mine ^ b_mine
    return pd.DataFrame(
        {
            "row_id": np.where(a_mine, a, b)[across],
            "stored_id": np.where(a_mine, b, a)[across],
            "kind": links["status"].astype(str).to_numpy()[across],
            "score": links["score"].astype(float).to_numpy()[across],
            "reason": links["reason"].astype(str).to_numpy()[across],
        }
    )


def _proposed(
    rows: pd.DataFrame,
    stored: pd.DataFrame,
    office: str,
    stored_offices: Mapping[int, str],
    tolerances: linking.Tolerances | None,
) -> pd.DataFrame:
    """What the linking proposes now between the batch's rows and the stored events."""
    if not len(stored) or "geometry" not in rows or "geometry" not in stored:
        return _empty()
    stored = stored[stored["batch_id"].isin(list(stored_offices))]
    if not len(stored):
        return _empty()
    old = as_events(stored, stored["batch_id"].map(dict(stored_offices)))
    new = as_events(rows, office)
    found = linking.candidate_links(
        pd.concat([old, new], ignore_index=True), tolerances or tolerances_from_env()
    )
    mine = set(new["incident_id"].astype(str))
    a, b = found["a"].astype(str), found["b"].astype(str)
    a_mine, b_mine = a.isin(mine).to_numpy(), b.isin(mine).to_numpy()
    across = a_mine ^ b_mine
    if not across.any():
        return _empty()
    duplicate = found["duplicate"].astype(bool).to_numpy()
    certain = found["certain"].astype(bool).to_numpy()
    kind = np.where(
        duplicate, "possible_duplicate", np.where(certain, "would_link", "possible_link")
    )
    out = pd.DataFrame(
        {
            "row_id": np.where(a_mine, a, b)[across],
            "stored_id": np.where(a_mine, b, a)[across],
            "kind": kind[across],
            "score": found["score"].astype(float).to_numpy()[across],
            "reason": found["reason"].astype(str).to_numpy()[across],
        }
    )
    return out.sort_values("score", ascending=False, kind="stable", ignore_index=True)


def place_of(row: Mapping[Any, Any]) -> str:
    """Where a report is, as a person reads it: its admin areas, else its coordinates."""
    names = [str(row[c]) for c in ("admin2", "admin1") if _given(row.get(c))]
    if names:
        return ", ".join(names)
    point = row.get("geometry")
    if point is not None and not getattr(point, "is_empty", True):
        return f"{point.y:.4f}, {point.x:.4f}"
    return ""


def side_by_side(pairs: pd.DataFrame, rows: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """One line per pair: its kind and score, then :data:`COMPARED` of the batch's row
    (``row_<field>``) and of the stored event (``stored_<field>``), as given (restricted
    fields already blank where the caller may not read them). A stored event the caller
    cannot see keeps only its id."""
    by_row = _records(rows)
    by_stored = _records(stored)
    lines = []
    for pair in pairs.itertuples(index=False):
        line: dict[str, Any] = {"kind": pair.kind, "score": round(float(pair.score), 2)}  # type: ignore[arg-type]
        for side, key, known in (
            ("row", pair.row_id, by_row),
            ("stored", pair.stored_id, by_stored),
        ):
            record = known.get(str(key), {"incident_id": str(key)})
            for field in COMPARED:
                line[f"{side}_{field}"] = record.get(field)
        lines.append(line)
    columns = ["kind", "score", *(f"{s}_{f}" for s in ("row", "stored") for f in COMPARED)]
    return pd.DataFrame(lines, columns=columns)


def _records(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    if not len(frame):
        return {}
    out = {}
    for record in frame.drop_duplicates("incident_id").to_dict("records"):
        shown = {f: _plain(record.get(f)) for f in COMPARED if f != "place"}
        shown["place"] = place_of(record)
        out[str(record["incident_id"])] = shown
    return out


def _given(value: Any) -> bool:
    if value is None:
        return False
    try:
        missing = bool(pd.isna(value))
    except (TypeError, ValueError):  # an array-like is given
        missing = False
    return not missing and str(value).strip() != ""


def _plain(value: Any) -> Any:
    if not _given(value):
        return None
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, np.generic):
        return value.item()
    return value
